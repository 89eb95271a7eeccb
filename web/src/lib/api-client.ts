// The one way the web app talks to the server: same-origin fetch with the session cookie, the CSRF header on every
// write, zod validation of every response body, and one typed error. No UI side effects live here: callers decide
// what a 401 or a 409 means for the screen. Response schemas come from the generated contract (lib/api/contract.ts,
// generated from docs/openapi.yaml): a body the contract does not allow is an error (invalid_response), never guessed at.
// No zod here: the error body is checked by hand (api/first-load-contract.ts), so the login page's first load does
// not carry zod; callers pass a generated zod schema, or a hand check of the same shape, as `schema`.
import { vError, type Validator } from './api/first-load-contract';

/** Header the server requires on every cookie-authenticated write (its CSRF rule). */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_VALUE = 'account-platform';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every failure of an API call: an HTTP error, an invalid response body or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly request_id: string;
  readonly field: string | undefined;
  /** Seconds from the Retry-After header of a 429 (or 503), when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    request_id?: string;
    field?: string;
    retryAfterSeconds?: number;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.request_id = init.request_id ?? '';
    this.field = init.field;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /**
   * The message without the server's "field: " prefix, for showing next to the field it names.
   * The server writes 422 messages as "<field>: <text>".
   */
  get detail(): string {
    if (this.field && this.message.startsWith(`${this.field}: `)) return this.message.slice(this.field.length + 2);
    return this.message;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions<T> {
  /** Validates (and types) the response body, a generated schema; omit for responses without a body (204). */
  schema?: Validator<T>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Builds an absolute same-origin URL; empty query values are left out. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const base = typeof window !== 'undefined' ? window.location.origin : 'http://localhost';
  const url = new URL(path, base);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      url.searchParams.set(k, String(v));
    }
  }
  return url.toString();
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const when = Date.parse(value);
  if (!Number.isNaN(when)) return Math.max(0, Math.ceil((when - Date.now()) / 1000));
  return undefined;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends one request. Resolves with the validated body (undefined when no schema is given); rejects with ApiError.
 */
export async function apiRequest<T = undefined>(
  method: HttpMethod,
  path: string,
  options: RequestOptions<T> = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER] = CSRF_VALUE;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', message: e instanceof Error ? e.message : 'network error' });
  }

  const json = await readJson(response);
  if (!response.ok) {
    // The contract's Error body; anything else (e.g. a proxy's page) becomes http_<status>.
    const parsed = vError.safeParse(json);
    const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));
    if (parsed.success) {
      const err = parsed.data.error;
      throw new ApiError({ status: response.status, ...err, retryAfterSeconds });
    }
    throw new ApiError({
      status: response.status,
      code: `http_${response.status}`,
      message: response.statusText || `HTTP ${response.status}`,
      request_id: response.headers.get('X-Request-Id') ?? undefined,
      retryAfterSeconds,
    });
  }
  if (!options.schema) return undefined as T;
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      message: `unexpected response from ${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid body'}`,
      request_id: response.headers.get('X-Request-Id') ?? undefined,
    });
  }
  return parsed.data;
}
