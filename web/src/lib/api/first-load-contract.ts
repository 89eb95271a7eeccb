// The few contract shapes the first load needs (the error body, the session state, the login answer), checked by
// hand instead of with zod and the generated zod schemas: the login page's JavaScript then carries neither (zod and
// zod.gen.ts arrive with the first page that needs them). Each check keeps exactly what its generated schema allows
// (first-load-contract.test.ts runs both on the same bodies, and pins the error codes to the generated enum) and,
// like zod, returns a copy holding only the contract's fields. One laxness: a time is checked for its RFC 3339 UTC
// form, not for calendar validity (2026-02-30 passes here and not in zod).
// The types are the generated ones (type-only imports: nothing of the generated modules is in the bundle).
import type { Error as ErrorBody, LoginResponse, SessionState, User } from './generated';

/** What apiRequest validates a body with: a generated zod schema or one of the checks below (same shape). */
export interface Validator<T> {
  safeParse(
    data: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

type Path = PropertyKey[];
/** A failed check: where and what. */
class Mismatch extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function record(v: unknown, path: Path): Record<string, unknown> {
  if (!isRecord(v)) throw new Mismatch(path, 'expected object');
  return v;
}
function str(v: unknown, path: Path): string {
  if (typeof v !== 'string') throw new Mismatch(path, 'expected string');
  return v;
}
function bool(v: unknown, path: Path): boolean {
  if (typeof v !== 'boolean') throw new Mismatch(path, 'expected boolean');
  return v;
}
function oneOf<T extends string>(values: readonly T[], v: unknown, path: Path): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new Mismatch(path, 'invalid option');
  return v as T;
}

const TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;
/** zTime: an RFC 3339 UTC time, or null. */
function time(v: unknown, path: Path): string | null {
  if (v === null) return null;
  if (!TIME.test(str(v, path))) throw new Mismatch(path, 'invalid ISO datetime');
  return v as string;
}
const TEAM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The error codes of the contract's Error body (pinned to the generated enum by the test). */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf',
  'not_found',
  'method_not_allowed',
  'already_exists',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'headers_too_large',
  'rate_limited',
  'aws_error',
  'unavailable',
  'timeout',
  'internal',
  'password_change_required',
] as const satisfies readonly ErrorBody['error']['code'][];

function errorBody(v: unknown): ErrorBody {
  const e = record(record(v, []).error, ['error']);
  const out: ErrorBody['error'] = {
    code: oneOf(ERROR_CODES, e.code, ['error', 'code']),
    message: str(e.message, ['error', 'message']),
    request_id: str(e.request_id, ['error', 'request_id']),
  };
  if (e.field !== undefined) out.field = str(e.field, ['error', 'field']);
  return { error: out };
}

function user(v: unknown, path: Path): User {
  const u = record(v, path);
  const teams = u.teams;
  if (!Array.isArray(teams)) throw new Mismatch([...path, 'teams'], 'expected array');
  return {
    user_id: str(u.user_id, [...path, 'user_id']),
    email: str(u.email, [...path, 'email']),
    role: oneOf(['admin', 'user'] as const, u.role, [...path, 'role']),
    teams: teams.map((t, i) => {
      if (!TEAM_ID.test(str(t, [...path, 'teams', i]))) throw new Mismatch([...path, 'teams', i], 'invalid string');
      return t as string;
    }),
    disabled: bool(u.disabled, [...path, 'disabled']),
    must_change_password: bool(u.must_change_password, [...path, 'must_change_password']),
    created_at: time(u.created_at, [...path, 'created_at']),
    updated_at: time(u.updated_at, [...path, 'updated_at']),
  };
}

function sessionState(v: unknown): SessionState {
  const s = record(v, []);
  return { user: s.user === null ? null : user(s.user, ['user']) };
}

function loginResponse(v: unknown): LoginResponse {
  const r = record(v, []);
  return {
    token: str(r.token, ['token']),
    user: user(r.user, ['user']),
    expires_at: time(r.expires_at, ['expires_at']),
  };
}

function validator<T>(check: (v: unknown) => T): Validator<T> {
  return {
    safeParse(data) {
      try {
        return { success: true, data: check(data) };
      } catch (e) {
        if (!(e instanceof Mismatch)) throw e;
        return { success: false, error: { issues: [{ path: e.path, message: e.message }] } };
      }
    },
  };
}

/** zError: the body of every error answer. */
export const vError = validator(errorBody);
/** zSessionState: GET /api/auth/session. */
export const vSessionState = validator(sessionState);
/** zLoginResponse: POST /api/auth/login. */
export const vLoginResponse = validator(loginResponse);
