// AWS Organizations, JSON 1.1 protocol (X-Amz-Target: AWSOrganizationsV20161128.<Operation>), a global service
// (endpoint organizations.us-east-1.amazonaws.com, signed for us-east-1): the read side onboarding needs —
// DescribeOrganization, ListAccounts, ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent,
// DescribeOrganizationalUnit, ListParents.
//
// Organizations are made through the control API (PUT /_sim/organizations/{management account id}); the
// simulator's accounts are not members of any organization otherwise. Who may call: the management account or a
// registered delegated administrator (AccessDeniedException for the other members; an account in no organization
// gets AWSOrganizationsNotInUseException), except DescribeOrganization, which every member may call (as on AWS).
import { createHash } from 'node:crypto';
import { ApiError, PageTokens, Validator, epochSeconds, toAwsJson } from './common.mjs';
import { SimError } from '../state.mjs';

export const name = 'organizations';
export const TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const STATUSES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'];
const MAX_RESULTS = 20;
const MAX_ACCOUNTS = 10000;
const MAX_OUS = 1000;

const TOKENS = new PageTokens(
  () => new ApiError('InvalidInputException', 'You provided an invalid value for a parameter: NextToken.', 400, { reason: 'INVALID_PAGINATION_TOKEN' }),
);

function lowerId(seed, length) {
  const digest = createHash('sha256').update(seed).digest();
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; out.length < length; i++) out += abc[digest[i % digest.length] % abc.length];
  return out;
}

// ---------------------------------------------------------------------------------------------------
// State

/** The organizations the control API made, by management account id. */
export class OrganizationsState {
  constructor() {
    this.reset();
  }

  reset() {
    this.orgs = new Map(); // management account id -> org
  }

  /**
   * Creates or replaces the organization of `managementId` from spec {delegated_admins?, ous: [{id?, name, parent}],
   * accounts: [{account_id, name?, email?, status?, ou?}]}. An OU's parent and an account's ou name an OU (by id or
   * name) or the root ("root", null or absent). The management account is a member at the root unless listed.
   * Returns the org. Throws SimError(400/409) for bad input; nothing changes then.
   */
  put(managementId, spec) {
    if (!/^\d{12}$/.test(managementId)) throw new SimError(400, 'management_account_id must be 12 digits');
    if (!spec || typeof spec !== 'object') throw new SimError(400, 'body must be an object');
    const orgId = `o-${lowerId(`org:${managementId}`, 10)}`;
    const rootId = `r-${lowerId(`root:${managementId}`, 4)}`;
    const arnBase = `arn:aws:organizations::${managementId}`;
    const org = {
      id: orgId,
      arn: `${arnBase}:organization/${orgId}`,
      management_account_id: managementId,
      delegated_admins: new Set(),
      root: { id: rootId, name: 'Root', arn: `${arnBase}:root/${orgId}/${rootId}` },
      ous: new Map(), // id -> {id, name, arn, parent}
      accounts: new Map(), // account id -> member (insertion order = ListAccounts order)
    };
    for (const d of spec.delegated_admins ?? []) {
      if (typeof d !== 'string' || !/^\d{12}$/.test(d)) throw new SimError(400, 'delegated_admins must hold 12-digit account ids');
      org.delegated_admins.add(d);
    }
    const ous = spec.ous ?? [];
    if (!Array.isArray(ous) || ous.length > MAX_OUS) throw new SimError(400, `ous must be an array of at most ${MAX_OUS}`);
    const byName = new Map();
    const resolveParent = (ref, what) => {
      if (ref === undefined || ref === null || ref === 'root' || ref === rootId) return rootId;
      const found = org.ous.get(ref) ?? byName.get(ref);
      if (!found) throw new SimError(400, `${what}: no OU ${ref} (list parents before their children)`);
      return found.id;
    };
    for (const [i, ou] of ous.entries()) {
      if (!ou || typeof ou.name !== 'string' || !ou.name || ou.name.length > 128) throw new SimError(400, `ous[${i}].name must be 1..128 characters`);
      const id = ou.id ?? `ou-${rootId.slice(2)}-${lowerId(`ou:${managementId}:${ou.name}:${i}`, 8)}`;
      if (!/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(id)) throw new SimError(400, `ous[${i}].id must look like ou-xxxx-xxxxxxxx`);
      if (org.ous.has(id)) throw new SimError(409, `ous[${i}]: OU ${id} listed twice`);
      const parent = resolveParent(ou.parent, `ous[${i}].parent`);
      const entry = { id, name: ou.name, arn: `${arnBase}:ou/${orgId}/${id}`, parent };
      org.ous.set(id, entry);
      if (!byName.has(ou.name)) byName.set(ou.name, entry);
    }
    const accounts = spec.accounts ?? [];
    if (!Array.isArray(accounts) || accounts.length > MAX_ACCOUNTS) throw new SimError(400, `accounts must be an array of at most ${MAX_ACCOUNTS}`);
    const joined = spec.joined_at ? new Date(spec.joined_at) : new Date('2024-01-01T00:00:00Z');
    const add = (a, i) => {
      const id = String(a.account_id ?? '');
      if (!/^\d{12}$/.test(id)) throw new SimError(400, `accounts[${i}].account_id must be 12 digits`);
      if (org.accounts.has(id)) throw new SimError(409, `accounts[${i}]: account ${id} listed twice`);
      const status = a.status ?? 'ACTIVE';
      if (!STATUSES.includes(status)) throw new SimError(400, `accounts[${i}].status must be one of ${STATUSES.join(', ')}`);
      org.accounts.set(id, {
        account_id: id,
        name: a.name ?? `Account ${id.slice(-4)}`,
        email: a.email ?? `aws+${id}@example.com`,
        status,
        parent: resolveParent(a.ou, `accounts[${i}].ou`),
        joined_method: id === managementId ? 'INVITED' : a.joined_method ?? 'CREATED',
        joined: new Date(joined.getTime() + i * 60_000),
        arn: `${arnBase}:account/${orgId}/${id}`,
      });
    };
    accounts.forEach(add);
    if (!org.accounts.has(managementId)) add({ account_id: managementId, name: 'Management' }, accounts.length);
    for (const [other, o] of this.orgs) {
      if (other === managementId) continue;
      for (const id of org.accounts.keys()) {
        if (o.accounts.has(id)) throw new SimError(409, `account ${id} is already in the organization of ${other}`);
      }
    }
    this.orgs.set(managementId, org);
    return org;
  }

  delete(managementId) {
    return this.orgs.delete(managementId);
  }

  /** The organization `accountId` is a member of, or null. */
  orgOf(accountId) {
    for (const o of this.orgs.values()) if (o.accounts.has(accountId)) return o;
    return null;
  }

  view(org) {
    return {
      id: org.id,
      arn: org.arn,
      management_account_id: org.management_account_id,
      delegated_admins: [...org.delegated_admins],
      root: org.root,
      ous: [...org.ous.values()],
      accounts: [...org.accounts.values()].map((a) => ({ ...a, joined: a.joined.toISOString() })),
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Protocol

export function matches({ headers }) {
  const t = headers['x-amz-target'];
  return typeof t === 'string' && t.startsWith(TARGET_PREFIX);
}

export function parse({ headers, body }) {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) throw new ApiError('UnknownOperationException', null);
  const operation = target.slice(TARGET_PREFIX.length);
  if (!HANDLERS[operation]) throw new ApiError('UnknownOperationException', null);
  let input;
  try {
    input = JSON.parse(body.length ? body.toString('utf8') : '{}');
  } catch {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return { operation, input };
}

export function faultTarget() {
  return {};
}

const LOWER_MESSAGE = new Set([
  'InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException', 'MissingAuthenticationTokenException',
  'IncompleteSignatureException', 'SerializationException', 'UnknownOperationException',
]);

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle':
      return new ApiError('TooManyRequestsException', 'AWS Organizations can\'t complete your request because another request is in progress or too many requests were made. Try again later.', 400, { type: 'Throttling' });
    case 'internal': return new ApiError('ServiceException', message ?? 'AWS Organizations can\'t complete your request because of an internal service error.', 500);
    case 'unavailable': return new ApiError('ServiceException', message ?? 'Service Unavailable', 503);
    case 'access_denied': return new ApiError('AccessDeniedException', message ?? 'You don\'t have permissions to access this resource.', 400);
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
  if (err.extra.reason) body.Reason = err.extra.reason;
  if (err.extra.type) body.Type = err.extra.type;
  return { status: err.status, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}

function ok(obj) {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: toAwsJson(obj) };
}

// ---------------------------------------------------------------------------------------------------
// Operations

function invalidInput(message, reason = 'INVALID_INPUT') {
  return new ApiError('InvalidInputException', message, 400, { reason });
}

function checkPaging(input) {
  const v = new Validator();
  v.integer(input, 'MaxResults', { min: 1, max: MAX_RESULTS });
  v.string(input, 'NextToken', { max: 100000 });
  if (v.errors.length) throw invalidInput(v.message());
}

function paginate(items, input, bind) {
  checkPaging(input);
  const max = input.MaxResults ?? MAX_RESULTS;
  const start = input.NextToken ? TOKENS.read(bind, input.NextToken) : 0;
  if (start > items.length) throw TOKENS.invalid();
  const page = items.slice(start, start + max);
  return { page, next: start + max < items.length ? TOKENS.make(bind, start + max) : undefined };
}

/** The organization the caller may read as management account or delegated administrator. */
function callerOrg(ctx, operation, { anyMember = false } = {}) {
  const caller = ctx.identity;
  const org = ctx.organizations.orgOf(caller.account_id);
  if (!org) {
    throw new ApiError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
  }
  if (anyMember || org.management_account_id === caller.account_id || org.delegated_admins.has(caller.account_id)) return org;
  throw new ApiError(
    'AccessDeniedException',
    `You don't have permissions to access this resource. (${caller.arn} may not call organizations:${operation}: ` +
      'only the management account or a delegated administrator may)',
    400,
  );
}

function accountShape(a) {
  return {
    Id: a.account_id,
    Arn: a.arn,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joined_method,
    JoinedTimestamp: epochSeconds(a.joined),
  };
}

const ouShape = (ou) => ({ Id: ou.id, Arn: ou.arn, Name: ou.name });

function requireParent(org, input, field = 'ParentId') {
  const v = new Validator();
  v.string(input, field, { max: 100, pattern: 'r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}', required: true });
  if (v.errors.length) throw invalidInput(v.message());
  const id = input[field];
  if (id !== org.root.id && !org.ous.has(id)) throw new ApiError('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.', 400);
  return id;
}

const HANDLERS = {
  DescribeOrganization(ctx) {
    const org = callerOrg(ctx, 'DescribeOrganization', { anyMember: true });
    const mgmt = org.accounts.get(org.management_account_id);
    return ok({
      Organization: {
        Id: org.id,
        Arn: org.arn,
        FeatureSet: 'ALL',
        MasterAccountArn: mgmt.arn,
        MasterAccountId: org.management_account_id,
        MasterAccountEmail: mgmt.email,
        AvailablePolicyTypes: [],
      },
    });
  },

  ListAccounts(ctx, input) {
    const org = callerOrg(ctx, 'ListAccounts');
    const { page, next } = paginate([...org.accounts.values()], input, `ListAccounts|${org.id}`);
    return ok({ Accounts: page.map(accountShape), ...(next ? { NextToken: next } : {}) });
  },

  ListRoots(ctx, input) {
    const org = callerOrg(ctx, 'ListRoots');
    const { page, next } = paginate([org.root], input, `ListRoots|${org.id}`);
    return ok({ Roots: page.map((r) => ({ Id: r.id, Arn: r.arn, Name: r.name, PolicyTypes: [] })), ...(next ? { NextToken: next } : {}) });
  },

  ListOrganizationalUnitsForParent(ctx, input) {
    const org = callerOrg(ctx, 'ListOrganizationalUnitsForParent');
    const parent = requireParent(org, input);
    const children = [...org.ous.values()].filter((ou) => ou.parent === parent);
    const { page, next } = paginate(children, input, `ListOUs|${org.id}|${parent}`);
    return ok({ OrganizationalUnits: page.map(ouShape), ...(next ? { NextToken: next } : {}) });
  },

  ListAccountsForParent(ctx, input) {
    const org = callerOrg(ctx, 'ListAccountsForParent');
    const parent = requireParent(org, input);
    const children = [...org.accounts.values()].filter((a) => a.parent === parent);
    const { page, next } = paginate(children, input, `ListAccountsForParent|${org.id}|${parent}`);
    return ok({ Accounts: page.map(accountShape), ...(next ? { NextToken: next } : {}) });
  },

  DescribeOrganizationalUnit(ctx, input) {
    const org = callerOrg(ctx, 'DescribeOrganizationalUnit');
    const v = new Validator();
    v.string(input, 'OrganizationalUnitId', { max: 68, pattern: 'ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}', required: true });
    if (v.errors.length) throw invalidInput(v.message());
    const ou = org.ous.get(input.OrganizationalUnitId);
    if (!ou) throw new ApiError('OrganizationalUnitNotFoundException', 'We can\'t find an OU with the OrganizationalUnitId that you specified.', 400);
    return ok({ OrganizationalUnit: ouShape(ou) });
  },

  ListParents(ctx, input) {
    const org = callerOrg(ctx, 'ListParents');
    const v = new Validator();
    v.string(input, 'ChildId', { max: 100, pattern: '\\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}', required: true });
    if (v.errors.length) throw invalidInput(v.message());
    const child = org.accounts.get(input.ChildId) ?? org.ous.get(input.ChildId);
    if (!child) throw new ApiError('ChildNotFoundException', 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.', 400);
    const parent = child.parent;
    const type = parent === org.root.id ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
    const { page, next } = paginate([{ Id: parent, Type: type }], input, `ListParents|${org.id}|${input.ChildId}`);
    return ok({ Parents: page, ...(next ? { NextToken: next } : {}) });
  },
};

export const OPERATIONS = Object.keys(HANDLERS);

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}
