// SigV4 (header-based, AWS4-HMAC-SHA256) verification using AWS's own signer (@smithy/signature-v4).
//
// The request is rebuilt with only the headers the client listed in SignedHeaders and signed again
// with the secret looked up for the access key id; the two signatures are compared in constant time.
// SECURITY: the smithy signer trusts an incoming x-amz-content-sha256 header as the payload hash. We
// replace it with the SHA-256 of the body actually received, so a tampered body never verifies.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';

/** Hash constructor in the shape the smithy signer expects (`new Sha256(secret?)`). */
export class Sha256 {
  constructor(secret) {
    return new Hash('sha256', secret);
  }
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * A verification failure. `kind` is one of:
 * missing_auth, incomplete_signature, unknown_key, invalid_token, expired_token, skew, signature.
 * Each service maps the kind to its own wire error (see services/*.mjs).
 */
export class AuthError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

export function sha256Hex(data) {
  return createHash('sha256').update(data ?? '').digest('hex');
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(value) {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new AuthError('incomplete_signature', `Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const fields = {};
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !fields[k]);
  if (missing.length) {
    throw new AuthError(
      'incomplete_signature',
      missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') +
        ` Authorization=${trimmed}`,
    );
  }
  const scope = fields.Credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1]) || !scope[0]) {
    throw new AuthError(
      'incomplete_signature',
      `Credential should be scoped to a valid region, service and terminated by 'aws4_request'. Credential=${fields.Credential}`,
    );
  }
  const signedHeaders = fields.SignedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (!/^[0-9a-f]{64}$/.test(fields.Signature)) {
    throw new AuthError('signature', 'The request signature we calculated does not match the signature you provided.');
  }
  return {
    accessKeyId: scope[0],
    scopeDate: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders,
    signature: fields.Signature,
  };
}

/** The credential scope (service, region) without verifying anything; used for routing. */
export function peekScope(authorizationHeader) {
  try {
    const a = parseAuthorization(authorizationHeader);
    return a ? { service: a.service, region: a.region, accessKeyId: a.accessKeyId } : null;
  } catch {
    return null;
  }
}

/** `20150830T123600Z` -> Date, or null. */
export function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatAmzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function decodePath(rawPath) {
  return rawPath
    .split('/')
    .map((seg) => {
      try {
        return decodeURIComponent(seg);
      } catch {
        return seg;
      }
    })
    .join('/');
}

/** Raw query string -> {key: value | [values]} with percent-decoding ('+' stays '+', as SigV4 wants). */
export function parseRawQuery(rawQuery) {
  const query = {};
  if (!rawQuery) return query;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const dec = (s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    const key = dec(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : dec(pair.slice(eq + 1));
    if (key in query) query[key] = [].concat(query[key], value);
    else query[key] = value;
  }
  return query;
}

function safeEqualHex(a, b) {
  const ba = Buffer.from(String(a), 'utf8');
  const bb = Buffer.from(String(b), 'utf8');
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba);
    return false;
  }
  return timingSafeEqual(ba, bb);
}

export function constantTimeEqual(a, b) {
  return safeEqualHex(a, b);
}

// Signers are kept per credentials and scope so that their derived signing keys are reused.
const SIGNER_CACHE_MAX = 10000;
const signerCache = new Map();
function signerFor(auth, secretAccessKey, sessionToken) {
  const key = `${auth.accessKeyId}\n${secretAccessKey}\n${sessionToken ?? ''}\n${auth.region}\n${auth.service}`;
  let signer = signerCache.get(key);
  if (!signer) {
    if (signerCache.size >= SIGNER_CACHE_MAX) signerCache.clear();
    signer = new SignatureV4({
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, sessionToken },
      region: auth.region,
      service: auth.service,
      sha256: Sha256,
      applyChecksum: false,
      uriEscapePath: auth.service !== 's3',
    });
    signerCache.set(key, signer);
  }
  return signer;
}

/**
 * Verifies a SigV4-signed request.
 *
 * @param {object} request
 *   method, path (raw, still percent-encoded), rawQuery (string without '?'),
 *   headers: {lowercase name: string | string[]} (Node's req.headersDistinct works), body: Buffer
 * @param {(accessKeyId: string) => ({secretAccessKey: string, sessionToken?: string, expiration?: Date} | null)} lookup
 * @param {{now?: number, maxSkewMs?: number}} options
 * @returns {Promise<{accessKeyId, region, service, signingDate, credentials}>}
 */
export async function verifyRequest(request, lookup, options = {}) {
  const now = options.now ?? Date.now();
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const headers = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) {
    headers[k.toLowerCase()] = Array.isArray(v) ? v : [String(v)];
  }
  const first = (name) => (headers[name] ? headers[name][0] : undefined);

  const authHeader = first('authorization');
  if (!authHeader) throw new AuthError('missing_auth', 'Missing Authentication Token');
  const auth = parseAuthorization(authHeader);

  const amzDateRaw = first('x-amz-date');
  if (!amzDateRaw) {
    throw new AuthError(
      'incomplete_signature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signingDate = parseAmzDate(amzDateRaw);
  if (!signingDate) {
    throw new AuthError('incomplete_signature', `Date must be in ISO-8601 'basic format'. Got '${amzDateRaw}'.`);
  }

  const creds = lookup(auth.accessKeyId);
  if (!creds) throw new AuthError('unknown_key', 'The security token included in the request is invalid.');

  const tokenHeader = first('x-amz-security-token');
  if (creds.sessionToken) {
    if (!tokenHeader || !safeEqualHex(tokenHeader, creds.sessionToken)) {
      throw new AuthError('invalid_token', 'The security token included in the request is invalid.');
    }
    if (creds.expiration && creds.expiration.getTime() <= now) {
      throw new AuthError('expired_token', 'The security token included in the request is expired');
    }
  } else if (tokenHeader) {
    throw new AuthError('invalid_token', 'The security token included in the request is invalid.');
  }

  if (Math.abs(now - signingDate.getTime()) > maxSkewMs) {
    const fmt = (ms) => formatAmzDate(new Date(ms));
    const relation = signingDate.getTime() < now ? 'earlier' : 'later';
    const bound =
      relation === 'earlier'
        ? `${fmt(now - maxSkewMs)} (${fmt(now)} - ${maxSkewMs / 60000} min.)`
        : `${fmt(now + maxSkewMs)} (${fmt(now)} + ${maxSkewMs / 60000} min.)`;
    throw new AuthError('skew', `Signature expired: ${amzDateRaw} is now ${relation} than ${bound}`);
  }

  if (!auth.signedHeaders.includes('host')) {
    throw new AuthError('signature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  // Rebuild the request with exactly the signed headers.
  const signedHeaders = {};
  for (const name of auth.signedHeaders) {
    const values = headers[name];
    if (values === undefined) {
      throw new AuthError(
        'signature',
        'The request signature we calculated does not match the signature you provided. ' +
          `Signed header '${name}' is missing from the request.`,
      );
    }
    signedHeaders[name] = values.join(',');
  }
  const body = request.body && request.body.length ? request.body : undefined;
  if ('x-amz-content-sha256' in signedHeaders) {
    // Never trust the client's claim about its own payload.
    signedHeaders['x-amz-content-sha256'] = sha256Hex(body ?? '');
  }

  const rawPath = request.path || '/';
  const httpRequest = new HttpRequest({
    method: (request.method || 'GET').toUpperCase(),
    protocol: 'http:',
    hostname: (first('host') || 'localhost').replace(/:\d+$/, ''),
    path: decodePath(rawPath),
    query: parseRawQuery(request.rawQuery),
    headers: signedHeaders,
    body,
  });

  // The signer adds x-amz-security-token itself when a token is given: only pass it when it was signed.
  const sessionToken = auth.signedHeaders.includes('x-amz-security-token') ? creds.sessionToken : undefined;
  const signer = signerFor(auth, creds.secretAccessKey, sessionToken);
  const signed = await signer.sign(httpRequest, {
    signingDate,
    signingRegion: auth.region,
    signingService: auth.service,
    signableHeaders: new Set(auth.signedHeaders),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '')?.[1];
  if (!expected || !safeEqualHex(expected, auth.signature)) {
    throw new AuthError(
      'signature',
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return {
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    service: auth.service,
    signingDate,
    credentials: creds,
  };
}
