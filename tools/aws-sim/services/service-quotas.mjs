// AWS Service Quotas, JSON 1.1 protocol (X-Amz-Target: ServiceQuotasV20190624.<Operation>).
import { randomBytes } from 'node:crypto';
import { ApiError, PageTokens, Validator, double, epochSeconds, toAwsJson } from './common.mjs';

export const name = 'servicequotas';
export const TARGET_PREFIX = 'ServiceQuotasV20190624.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

const SERVICE_CODE = { min: 1, max: 63, pattern: '[a-zA-Z][a-zA-Z0-9-]{1,63}' };
const QUOTA_CODE = { min: 1, max: 128, pattern: '[a-zA-Z][a-zA-Z0-9-]{1,128}' };
const NEXT_TOKEN = { min: 0, max: 2048 };
const LEVELS = ['ACCOUNT', 'RESOURCE', 'ALL'];
const STATUSES = ['PENDING', 'CASE_OPENED', 'APPROVED', 'DENIED', 'CASE_CLOSED', 'NOT_APPROVED', 'INVALID_REQUEST'];
const OPEN_STATUSES = new Set(['PENDING', 'CASE_OPENED']);
const MAX_OPEN_REQUESTS = 20;

const MSG_NO_SERVICE = 'The request failed because the specified service does not exist.';
const MSG_NO_QUOTA = 'The request failed because the specified service quota does not exist.';

// Pagination tokens are opaque: offset + MAC bound to the operation, caller account, region and filters.
const TOKENS = new PageTokens(() => new ApiError('InvalidPaginationTokenException', 'Invalid pagination token provided.'));
const makeToken = (bind, offset) => TOKENS.make(bind, offset);
const readToken = (bind, token) => TOKENS.read(bind, token);

function paginate(items, input, bind, defaultMax = 100) {
  const max = input.MaxResults ?? defaultMax;
  const start = input.NextToken ? readToken(bind, input.NextToken) : 0;
  if (start > items.length) throw new ApiError('InvalidPaginationTokenException', 'Invalid pagination token provided.');
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? makeToken(bind, start + max) : undefined;
  return { page, next };
}

// ---------------------------------------------------------------------------------------------------
// Protocol

export function matches({ headers }) {
  const t = headers['x-amz-target'];
  return typeof t === 'string' && t.startsWith(TARGET_PREFIX);
}

export function parse({ headers, body }) {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
    throw new ApiError('UnknownOperationException', null);
  }
  const operation = target.slice(TARGET_PREFIX.length);
  if (!HANDLERS[operation]) throw new ApiError('UnknownOperationException', null);
  let input = {};
  const text = body.length ? body.toString('utf8') : '{}';
  try {
    input = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return { operation, input };
}

/** Fields a fault can match on. */
export function faultTarget(input) {
  return { code: input.QuotaCode };
}

// Errors whose body member is lower-case `message` (framework errors) rather than the modeled `Message`.
const LOWER_MESSAGE = new Set([
  'ThrottlingException', 'InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException',
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'ValidationException',
  'SerializationException', 'UnknownOperationException', 'ServiceUnavailableException', 'InternalFailure',
]);

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle': return new ApiError('ThrottlingException', 'Rate exceeded', 400);
    case 'internal': return new ApiError('ServiceException', message ?? 'An internal error occurred.', 500);
    case 'unavailable': return new ApiError('ServiceUnavailableException', message ?? 'Service Unavailable', 503);
    case 'access_denied':
      return new ApiError('AccessDeniedException', message ?? 'You do not have sufficient access to perform this action.', 400);
    case 'missing_auth': return new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
    case 'incomplete_signature': return new ApiError('IncompleteSignatureException', message, 400);
    case 'unknown_key':
    case 'invalid_token': return new ApiError('UnrecognizedClientException', message, 403);
    case 'expired_token': return new ApiError('ExpiredTokenException', message, 400);
    case 'skew':
    case 'signature': return new ApiError('InvalidSignatureException', message, 400);
    default: return new ApiError('ServiceException', message ?? 'An internal error occurred.', 500);
  }
}

export function render(err) {
  const body = { __type: err.code };
  body[LOWER_MESSAGE.has(err.code) ? 'message' : 'Message'] = err.message ?? null;
  return { status: err.status, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}

function ok(obj) {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: toAwsJson(obj) };
}

// ---------------------------------------------------------------------------------------------------
// Shapes

function quotaShape(cat, q, region, accountId, value, applied) {
  const out = {
    ServiceCode: cat.serviceCode,
    ServiceName: cat.serviceName,
    QuotaArn: `arn:aws:servicequotas:${region}:${accountId}:${cat.serviceCode}/${q.code}`,
    QuotaCode: q.code,
    QuotaName: q.name,
    Value: double(value),
    Unit: q.unit,
    Adjustable: q.adjustable,
    GlobalQuota: q.global,
  };
  if (q.period) out.Period = { PeriodValue: q.period.PeriodValue, PeriodUnit: q.period.PeriodUnit };
  if (applied) out.QuotaAppliedAtLevel = 'ACCOUNT';
  if (q.description) out.Description = q.description.slice(0, 350);
  return out;
}

function requestShape(r) {
  return {
    Id: r.id,
    ServiceCode: r.service_code,
    ServiceName: r.service_name,
    QuotaCode: r.quota_code,
    QuotaName: r.quota_name,
    DesiredValue: double(r.desired_value),
    Status: r.status,
    Created: epochSeconds(r.created),
    LastUpdated: epochSeconds(r.last_updated),
    Requester: JSON.stringify({ accountId: r.account_id, callerArn: r.caller_arn }),
    QuotaArn: r.quota_arn,
    GlobalQuota: r.global,
    Unit: r.unit,
    QuotaRequestedAtLevel: 'ACCOUNT',
    ...(r.case_id ? { CaseId: r.case_id } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Increase requests: creation (the API and the control API's "made outside the platform") and scripted status
// progressions. A script is {steps: [status, ...], advance: "per_read" | "per_seconds", seconds?}: with per_read
// each GetRequestedServiceQuotaChange of the request (and each history listing that returns it) moves it one step;
// with per_seconds it is at step floor(age / seconds) whenever it is read. CASE_OPENED assigns a case id; APPROVED
// applies the desired value. A request takes the script in force when it is made (state.increaseScript, set by
// PUT /_sim/config {increase_script}); the control API can give one request its own.

export const REQUEST_STATUSES = STATUSES;

export function validateScript(script) {
  if (script === null) return null;
  if (!script || typeof script !== 'object' || !Array.isArray(script.steps) || script.steps.length === 0) {
    throw new Error('increase_script must be null or {steps: [status, ...], advance?, seconds?}');
  }
  for (const st of script.steps) {
    if (!STATUSES.includes(st)) throw new Error(`increase_script.steps: unknown status ${st}`);
  }
  const advance = script.advance ?? 'per_read';
  if (advance !== 'per_read' && advance !== 'per_seconds') throw new Error('increase_script.advance must be per_read or per_seconds');
  const seconds = script.seconds ?? 1;
  if (!(typeof seconds === 'number' && seconds > 0)) throw new Error('increase_script.seconds must be > 0');
  return { steps: [...script.steps], advance, seconds };
}

// Applies `status` to request `r` of account `a` now.
export function setRequestStatus(state, a, r, status, caseId, now = Date.now()) {
  r.status = status;
  r.last_updated = new Date(now);
  if (caseId) r.case_id = String(caseId);
  if (status === 'CASE_OPENED' && !r.case_id) r.case_id = `case-${randomBytes(6).toString('hex')}`;
  if (status === 'APPROVED') state.setQuota(a.account_id, r.region, r.quota_code, { value: r.desired_value });
}

// Moves a scripted request along (see above): `read` is true for a read that counts as one step (per_read).
export function advanceRequest(state, a, r, now, read) {
  const sc = r.script;
  if (!sc) return;
  let target = sc.done;
  if (sc.advance === 'per_read') {
    if (read) target = sc.done + 1;
  } else {
    target = Math.floor((now - r.created.getTime()) / (sc.seconds * 1000));
  }
  target = Math.min(target, sc.steps.length);
  while (sc.done < target) {
    setRequestStatus(state, a, r, sc.steps[sc.done], undefined, now);
    sc.done += 1;
  }
}

export function createRequest(state, a, region, q, desiredValue, { callerArn, status = 'PENDING', caseId, now = Date.now(), script } = {}) {
  const cat = state.catalogue;
  const at = new Date(now);
  const r = {
    id: randomBytes(16).toString('hex') + randomBytes(6).toString('base64url').replace(/[_-]/g, 'x').slice(0, 8),
    account_id: a.account_id,
    region,
    caller_arn: callerArn ?? `arn:aws:iam::${a.account_id}:root`,
    service_code: cat.serviceCode,
    service_name: cat.serviceName,
    quota_code: q.code,
    quota_name: q.name,
    quota_arn: `arn:aws:servicequotas:${region}:${a.account_id}:${cat.serviceCode}/${q.code}`,
    desired_value: desiredValue,
    status,
    created: at,
    last_updated: at,
    global: q.global,
    unit: q.unit,
    case_id: caseId ? String(caseId) : null,
  };
  const sc = script === undefined ? state.increaseScript : script;
  if (sc) Object.defineProperty(r, 'script', { value: { ...sc, steps: [...sc.steps], done: 0 }, writable: true, enumerable: false });
  if (status === 'CASE_OPENED' && !r.case_id) r.case_id = `case-${randomBytes(6).toString('hex')}`;
  a.requests.push(r);
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Operations

function validate(input, build) {
  const v = new Validator();
  build(v);
  if (v.errors.length) throw new ApiError('ValidationException', v.message());
}

function requireService(ctx, input) {
  if (input.ServiceCode !== ctx.state.catalogue.serviceCode) throw new ApiError('NoSuchResourceException', MSG_NO_SERVICE);
}

function requireQuota(ctx, input) {
  const q = ctx.state.catalogue.get(input.QuotaCode);
  if (!q) throw new ApiError('NoSuchResourceException', MSG_NO_QUOTA);
  return q;
}

function account(ctx) {
  const a = ctx.state.getAccount(ctx.identity.account_id);
  if (!a) throw errorFor('unknown_key', 'The security token included in the request is invalid.');
  return a;
}

const HANDLERS = {
  GetServiceQuota(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', { ...SERVICE_CODE, required: true });
      v.string(input, 'QuotaCode', { ...QUOTA_CODE, required: true });
      v.string(input, 'ContextId', { min: 0, max: 2048 });
    });
    requireService(ctx, input);
    const q = requireQuota(ctx, input);
    if (input.ContextId) {
      throw new ApiError('NoSuchResourceException', 'The request failed because applied value for the specified context Id do not exist.');
    }
    const a = account(ctx);
    const applied = ctx.state.appliedQuota(a, ctx.region, q);
    if (applied.unapplied) throw new ApiError('NoSuchResourceException', MSG_NO_QUOTA);
    return ok({ Quota: quotaShape(ctx.state.catalogue, q, ctx.region, a.account_id, applied.value, true) });
  },

  GetAWSDefaultServiceQuota(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', { ...SERVICE_CODE, required: true });
      v.string(input, 'QuotaCode', { ...QUOTA_CODE, required: true });
    });
    requireService(ctx, input);
    const q = requireQuota(ctx, input);
    const cat = ctx.state.catalogue;
    return ok({ Quota: quotaShape(cat, q, ctx.region, '', cat.defaultValue(q, ctx.region), false) });
  },

  ListServiceQuotas(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', { ...SERVICE_CODE, required: true });
      v.string(input, 'NextToken', NEXT_TOKEN);
      v.integer(input, 'MaxResults', { min: 1, max: 100 });
      v.string(input, 'QuotaCode', QUOTA_CODE);
      v.oneOf(input, 'QuotaAppliedAtLevel', LEVELS);
    });
    requireService(ctx, input);
    const a = account(ctx);
    const cat = ctx.state.catalogue;
    let candidates = cat.quotas;
    if (input.QuotaCode) candidates = candidates.filter((q) => q.code === input.QuotaCode);
    if (input.QuotaAppliedAtLevel === 'RESOURCE') candidates = [];
    const items = [];
    for (const q of candidates) {
      const applied = ctx.state.appliedQuota(a, ctx.region, q);
      if (!applied.unapplied) items.push([q, applied.value]);
    }
    const bind = `LSQ|${a.account_id}|${ctx.region}|${input.QuotaCode ?? ''}|${input.QuotaAppliedAtLevel ?? ''}`;
    const { page, next } = paginate(items, input, bind);
    return ok({
      ...(next ? { NextToken: next } : {}),
      Quotas: page.map(([q, value]) => quotaShape(cat, q, ctx.region, a.account_id, value, true)),
    });
  },

  ListAWSDefaultServiceQuotas(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', { ...SERVICE_CODE, required: true });
      v.string(input, 'NextToken', NEXT_TOKEN);
      v.integer(input, 'MaxResults', { min: 1, max: 100 });
    });
    requireService(ctx, input);
    const cat = ctx.state.catalogue;
    const bind = `LADSQ|${ctx.identity.account_id}|${ctx.region}`;
    const { page, next } = paginate(cat.quotas, input, bind);
    return ok({
      ...(next ? { NextToken: next } : {}),
      Quotas: page.map((q) => quotaShape(cat, q, ctx.region, '', cat.defaultValue(q, ctx.region), false)),
    });
  },

  ListServices(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'NextToken', NEXT_TOKEN);
      v.integer(input, 'MaxResults', { min: 1, max: 100 });
    });
    const cat = ctx.state.catalogue;
    const { page, next } = paginate([{ ServiceCode: cat.serviceCode, ServiceName: cat.serviceName }], input, `LS|${ctx.identity.account_id}`);
    return ok({ ...(next ? { NextToken: next } : {}), Services: page });
  },

  RequestServiceQuotaIncrease(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', { ...SERVICE_CODE, required: true });
      v.string(input, 'QuotaCode', { ...QUOTA_CODE, required: true });
      v.number(input, 'DesiredValue', { min: 0, max: 10000000000, required: true });
      v.string(input, 'ContextId', { min: 0, max: 2048 });
      v.boolean(input, 'SupportCaseAllowed');
    });
    requireService(ctx, input);
    const q = requireQuota(ctx, input);
    const a = account(ctx);
    const cat = ctx.state.catalogue;
    if (!q.adjustable) {
      throw new ApiError('IllegalArgumentException', `The quota ${q.code} is not adjustable; you cannot request an increase.`);
    }
    const applied = ctx.state.appliedQuota(a, ctx.region, q);
    const current = applied.unapplied ? cat.defaultValue(q, ctx.region) : applied.value;
    if (input.DesiredValue <= current) {
      throw new ApiError('IllegalArgumentException', `The requested value ${input.DesiredValue} must be greater than the current value ${current}.`);
    }
    const open = a.requests.filter((r) => OPEN_STATUSES.has(r.status));
    if (open.some((r) => r.quota_code === q.code && r.region === ctx.region)) {
      throw new ApiError('ResourceAlreadyExistsException', 'Only one open service quota increase request is allowed per quota.');
    }
    if (open.length >= MAX_OPEN_REQUESTS) {
      throw new ApiError('QuotaExceededException', 'You have reached the maximum number of open service quota increase requests.');
    }
    const r = createRequest(ctx.state, a, ctx.region, q, input.DesiredValue, { callerArn: ctx.identity.arn, now: ctx.now });
    return ok({ RequestedQuota: requestShape(r) });
  },

  GetRequestedServiceQuotaChange(ctx, input) {
    validate(input, (v) => v.string(input, 'RequestId', { min: 1, max: 128, pattern: '[0-9a-zA-Z][a-zA-Z0-9-]{1,128}', required: true }));
    const a = account(ctx);
    const r = a.requests.find((x) => x.id === input.RequestId && x.region === ctx.region);
    if (!r) throw new ApiError('NoSuchResourceException', 'The request failed because the specified request does not exist.');
    advanceRequest(ctx.state, a, r, ctx.now, true);
    return ok({ RequestedQuota: requestShape(r) });
  },

  ListRequestedServiceQuotaChangeHistoryByQuota(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', { ...SERVICE_CODE, required: true });
      v.string(input, 'QuotaCode', { ...QUOTA_CODE, required: true });
      v.oneOf(input, 'Status', STATUSES);
      v.string(input, 'NextToken', NEXT_TOKEN);
      v.integer(input, 'MaxResults', { min: 1, max: 100 });
      v.oneOf(input, 'QuotaRequestedAtLevel', LEVELS);
    });
    requireService(ctx, input);
    requireQuota(ctx, input);
    const a = account(ctx);
    for (const r of a.requests) {
      if (r.region === ctx.region && r.quota_code === input.QuotaCode) advanceRequest(ctx.state, a, r, ctx.now, false);
    }
    const items = a.requests
      .filter((r) => r.region === ctx.region && r.quota_code === input.QuotaCode)
      .filter((r) => !input.Status || r.status === input.Status)
      .filter(() => input.QuotaRequestedAtLevel !== 'RESOURCE')
      .slice()
      .reverse();
    const bind = `LRQBQ|${a.account_id}|${ctx.region}|${input.QuotaCode}|${input.Status ?? ''}`;
    const { page, next } = paginate(items, input, bind);
    return ok({ ...(next ? { NextToken: next } : {}), RequestedQuotas: page.map(requestShape) });
  },

  ListRequestedServiceQuotaChangeHistory(ctx, input) {
    validate(input, (v) => {
      v.string(input, 'ServiceCode', SERVICE_CODE);
      v.oneOf(input, 'Status', STATUSES);
      v.string(input, 'NextToken', NEXT_TOKEN);
      v.integer(input, 'MaxResults', { min: 1, max: 100 });
      v.oneOf(input, 'QuotaRequestedAtLevel', LEVELS);
    });
    if (input.ServiceCode !== undefined) requireService(ctx, input);
    const a = account(ctx);
    for (const r of a.requests) if (r.region === ctx.region) advanceRequest(ctx.state, a, r, ctx.now, false);
    const items = a.requests
      .filter((r) => r.region === ctx.region)
      .filter((r) => !input.Status || r.status === input.Status)
      .filter(() => input.QuotaRequestedAtLevel !== 'RESOURCE')
      .slice()
      .reverse();
    const bind = `LRQ|${a.account_id}|${ctx.region}|${input.Status ?? ''}`;
    const { page, next } = paginate(items, input, bind);
    return ok({ ...(next ? { NextToken: next } : {}), RequestedQuotas: page.map(requestShape) });
  },
};

export const OPERATIONS = Object.keys(HANDLERS);

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}
