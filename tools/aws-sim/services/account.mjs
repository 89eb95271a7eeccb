// AWS Account Management API, REST-JSON protocol: POST /getContactInformation, POST /putContactInformation.
import { ApiError } from './common.mjs';
import { CONTACT_FIELDS } from '../state.mjs';

export const name = 'account';
const CONTENT_TYPE = 'application/json';

const ROUTES = {
  '/getContactInformation': 'GetContactInformation',
  '/putContactInformation': 'PutContactInformation',
};

// Member constraints of ContactInformation (required members first).
const CONTACT_RULES = {
  FullName: { min: 1, max: 50, required: true },
  AddressLine1: { min: 1, max: 60, required: true },
  City: { min: 1, max: 50, required: true },
  PostalCode: { min: 1, max: 20, required: true },
  CountryCode: { min: 2, max: 2, required: true },
  PhoneNumber: { min: 1, max: 20, pattern: /^[+][\s0-9()-]+$/, required: true },
  AddressLine2: { min: 1, max: 60 },
  AddressLine3: { min: 1, max: 60 },
  StateOrRegion: { min: 1, max: 50 },
  DistrictOrCounty: { min: 1, max: 50 },
  CompanyName: { min: 1, max: 50 },
  WebsiteUrl: { min: 1, max: 256 },
};

export function matches({ path, method }) {
  return method === 'POST' && path in ROUTES;
}

export function parse({ path, method, body }) {
  const operation = ROUTES[path];
  if (!operation || method !== 'POST') throw new ApiError('UnknownOperationException', 'Unknown operation', 404);
  let input = {};
  if (body.length) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ApiError('SerializationException', 'Could not parse the request body as JSON.', 400);
    }
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return { operation, input };
}

export function faultTarget() {
  return {};
}

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle': return new ApiError('TooManyRequestsException', 'Rate exceeded', 429, { errorType: 'Client' });
    case 'internal': return new ApiError('InternalServerException', message ?? 'An internal error occurred.', 500);
    case 'unavailable': return new ApiError('ServiceUnavailableException', message ?? 'Service Unavailable', 503);
    case 'access_denied':
      return new ApiError('AccessDeniedException', message ?? 'You do not have sufficient access to perform this action.', 403);
    case 'missing_auth': return new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
    case 'incomplete_signature': return new ApiError('IncompleteSignatureException', message, 403);
    case 'unknown_key':
    case 'invalid_token': return new ApiError('UnrecognizedClientException', message, 403);
    case 'expired_token': return new ApiError('ExpiredTokenException', message, 403);
    case 'skew':
    case 'signature': return new ApiError('InvalidSignatureException', message, 403);
    default: return new ApiError('InternalServerException', message ?? 'An internal error occurred.', 500);
  }
}

export function render(err) {
  const body = { message: err.message ?? null };
  if (err.extra.reason) body.reason = err.extra.reason;
  if (err.extra.fieldList) body.fieldList = err.extra.fieldList;
  if (err.extra.errorType) body.errorType = err.extra.errorType;
  return {
    status: err.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': err.code },
    body: JSON.stringify(body),
  };
}

function ok(obj) {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(obj) };
}

function validationError(fieldList) {
  return new ApiError('ValidationException', 'Invalid request body', 400, { reason: 'fieldValidationFailed', fieldList });
}

/** The account the call is about: the caller's own, or (organisation management account) a member's. */
function targetAccount(ctx, input, action) {
  const caller = ctx.identity;
  if (input.AccountId !== undefined && input.AccountId !== null) {
    if (typeof input.AccountId !== 'string' || !/^\d{12}$/.test(input.AccountId)) {
      throw validationError([{ name: 'AccountId', message: 'Member must satisfy regular expression pattern: ^\\d{12}$' }]);
    }
  }
  const id = input.AccountId ?? caller.account_id;
  const target = ctx.state.getAccount(id);
  const allowed =
    id === caller.account_id || (target && target.management_account_id === caller.account_id);
  if (!target || !allowed) {
    throw new ApiError(
      'AccessDeniedException',
      `User: ${caller.arn} is not authorized to perform: account:${action} on resource: arn:aws:account::${id}:account`,
      403,
    );
  }
  return target;
}

const HANDLERS = {
  GetContactInformation(ctx, input) {
    const target = targetAccount(ctx, input, 'GetContactInformation');
    if (!target.contact) {
      throw new ApiError('ResourceNotFoundException', 'The contact information for this account was not found.', 404);
    }
    const out = {};
    for (const f of CONTACT_FIELDS) if (target.contact[f] !== undefined && target.contact[f] !== null) out[f] = target.contact[f];
    return ok({ ContactInformation: out });
  },

  PutContactInformation(ctx, input) {
    const ci = input.ContactInformation;
    if (!ci || typeof ci !== 'object' || Array.isArray(ci)) {
      throw validationError([{ name: 'ContactInformation', message: 'Member must not be null' }]);
    }
    const fields = [];
    for (const [field, rule] of Object.entries(CONTACT_RULES)) {
      const v = ci[field];
      if (v === undefined || v === null) {
        if (rule.required) fields.push({ name: `ContactInformation.${field}`, message: 'Member must not be null' });
        continue;
      }
      if (typeof v !== 'string') fields.push({ name: `ContactInformation.${field}`, message: 'Member must be a string' });
      else if (v.length < rule.min || v.length > rule.max) {
        fields.push({ name: `ContactInformation.${field}`, message: `Member must have length between ${rule.min} and ${rule.max}` });
      } else if (rule.pattern && !rule.pattern.test(v)) {
        fields.push({ name: `ContactInformation.${field}`, message: `Member must satisfy regular expression pattern: ${rule.pattern.source}` });
      }
    }
    if (fields.length) throw validationError(fields);
    const target = targetAccount(ctx, input, 'PutContactInformation');
    const contact = {};
    for (const f of CONTACT_FIELDS) if (typeof ci[f] === 'string') contact[f] = ci[f];
    target.contact = contact;
    return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: '{}' };
  },
};

export const OPERATIONS = Object.keys(HANDLERS);

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}
