// AWS STS, query protocol (POST form `Action=...&Version=2011-06-15`), XML responses.
import { ApiError, Validator, queryErrorResponse, queryFormParams, queryOkResponse, xmlEscape } from './common.mjs';

export const name = 'sts';
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';

export function matches(req) {
  const p = queryFormParams(req);
  return typeof p.Action === 'string' && (p.Version === VERSION || p.Action in HANDLERS);
}

export function parse(req) {
  const params = queryFormParams(req);
  const action = params.Action;
  if (!action) throw new ApiError('MissingAction', 'Missing Action', 400);
  if (!HANDLERS[action]) {
    throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${params.Version ?? VERSION}`, 400);
  }
  if (params.Version && params.Version !== VERSION) {
    throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${params.Version}`, 400);
  }
  return { operation: action, input: params };
}

export function faultTarget() {
  return {};
}

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle': return new ApiError('Throttling', 'Rate exceeded', 400);
    case 'internal': return new ApiError('InternalFailure', message ?? 'An internal error occurred.', 500);
    case 'unavailable': return new ApiError('ServiceUnavailable', message ?? 'Service Unavailable', 503);
    case 'access_denied': return new ApiError('AccessDenied', message ?? 'Access denied', 403);
    case 'missing_auth': return new ApiError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'incomplete_signature': return new ApiError('IncompleteSignature', message, 400);
    case 'unknown_key':
    case 'invalid_token': return new ApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    case 'expired_token': return new ApiError('ExpiredToken', 'The security token included in the request is expired', 400);
    case 'skew':
    case 'signature': return new ApiError('SignatureDoesNotMatch', message, 403);
    default: return new ApiError('InternalFailure', message ?? 'An internal error occurred.', 500);
  }
}

export function render(err, ctx) {
  return queryErrorResponse(XMLNS, err, ctx);
}

function ok(action, resultXml, ctx) {
  return queryOkResponse(XMLNS, action, resultXml, ctx);
}

function validationError(v) {
  return new ApiError('ValidationError', v.message(), 400);
}

const HANDLERS = {
  GetCallerIdentity(ctx) {
    const id = ctx.identity;
    return ok(
      'GetCallerIdentity',
      `    <Arn>${xmlEscape(id.arn)}</Arn>\n    <UserId>${xmlEscape(id.user_id)}</UserId>\n    <Account>${id.account_id}</Account>\n`,
      ctx,
    );
  },

  AssumeRole(ctx, p) {
    const input = { ...p };
    const v = new Validator();
    v.string(input, 'RoleArn', { min: 20, max: 2048, required: true });
    v.string(input, 'RoleSessionName', { min: 2, max: 64, pattern: '[\\w+=,.@-]*', required: true });
    v.string(input, 'ExternalId', { min: 2, max: 1224, pattern: '[\\w+=,.@:\\/-]*' });
    if (input.DurationSeconds !== undefined) {
      const n = Number(input.DurationSeconds);
      input.DurationSeconds = /^-?\d+$/.test(String(input.DurationSeconds)) ? n : input.DurationSeconds;
      v.integer(input, 'DurationSeconds', { min: 900, max: 43200 });
    }
    if (v.errors.length) throw validationError(v);

    const caller = ctx.identity;
    const denied = () =>
      new ApiError(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
        403,
      );
    const entry = ctx.state.roles.get(input.RoleArn);
    if (!entry) throw denied();
    const { role, account_id: roleAccount } = entry;
    if (role.trusted_account_ids && !role.trusted_account_ids.includes(caller.account_id)) throw denied();
    if (role.external_id !== null && role.external_id !== undefined) {
      if (input.ExternalId !== role.external_id) throw denied();
    }
    const duration = input.DurationSeconds ?? 3600;
    const maxDuration = caller.type === 'assumed-role' ? Math.min(3600, role.max_session_duration) : role.max_session_duration;
    if (duration > maxDuration) {
      throw new ApiError(
        'ValidationError',
        caller.type === 'assumed-role'
          ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
          : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        400,
      );
    }
    const s = ctx.state.createSession({
      role,
      accountId: roleAccount,
      sessionName: input.RoleSessionName,
      durationSeconds: duration,
      now: ctx.now,
    });
    return ok(
      'AssumeRole',
      `    <AssumedRoleUser>\n      <AssumedRoleId>${xmlEscape(`${role.role_id}:${s.session_name}`)}</AssumedRoleId>\n` +
        `      <Arn>${xmlEscape(s.assumed_role_arn)}</Arn>\n    </AssumedRoleUser>\n` +
        `    <Credentials>\n      <AccessKeyId>${s.access_key_id}</AccessKeyId>\n` +
        `      <SecretAccessKey>${xmlEscape(s.secret_access_key)}</SecretAccessKey>\n` +
        `      <SessionToken>${xmlEscape(s.session_token)}</SessionToken>\n` +
        `      <Expiration>${s.expiration.toISOString()}</Expiration>\n    </Credentials>\n`,
      ctx,
    );
  },
};

export const OPERATIONS = Object.keys(HANDLERS);

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}
