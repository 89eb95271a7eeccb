// Shared pieces of the service implementations.
import { createHmac, randomBytes } from 'node:crypto';
import { parseRawQuery } from '../sigv4-verify.mjs';

/** An error to send on the wire: `code` is the AWS error code, `status` the HTTP status. */
export class ApiError extends Error {
  constructor(code, message, status = 400, extra = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

/**
 * Marks doubles so that they are written as AWS writes them (`400000.0`, not `400000`).
 * Use `double(x)` in response objects and `toAwsJson()` to serialise.
 */
const DOUBLE = Symbol('double');
export function double(v) {
  return { [DOUBLE]: true, v: Number(v) };
}

function formatDouble(v) {
  if (!Number.isFinite(v)) return 'null';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  return String(v);
}

export function toAwsJson(obj) {
  const placeholders = [];
  const text = JSON.stringify(obj, (key, value) => {
    if (value && typeof value === 'object' && value[DOUBLE]) {
      placeholders.push(formatDouble(value.v));
      return `\u0000D${placeholders.length - 1}\u0000`;
    }
    return value;
  });
  return text.replace(/"\\u0000D(\d+)\\u0000"/g, (_, i) => placeholders[Number(i)]);
}

/** Epoch seconds as a double, the JSON 1.1 / REST-JSON timestamp format. */
export function epochSeconds(date) {
  return double(Math.round(date.getTime()) / 1000);
}

const PATTERNS = new Map();
function compiled(pattern) {
  let re = PATTERNS.get(pattern);
  if (!re) PATTERNS.set(pattern, (re = new RegExp(`^(?:${pattern})$`)));
  return re;
}

/** Coral-style constraint checks producing AWS's "N validation errors detected: ..." message. */
export class Validator {
  constructor() {
    this.errors = [];
  }

  lower(name) {
    return name.charAt(0).toLowerCase() + name.slice(1);
  }

  value(v) {
    return v === undefined || v === null ? 'null' : `'${typeof v === 'object' ? JSON.stringify(v) : v}'`;
  }

  required(input, name) {
    if (input[name] === undefined || input[name] === null) {
      this.errors.push(`Value null at '${this.lower(name)}' failed to satisfy constraint: Member must not be null`);
      return false;
    }
    return true;
  }

  string(input, name, { min, max, pattern, required = false } = {}) {
    if (required && !this.required(input, name)) return;
    const v = input[name];
    if (v === undefined || v === null) return;
    if (typeof v !== 'string') {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must be a string`);
      return;
    }
    if (min !== undefined && v.length < min) {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
    }
    if (max !== undefined && v.length > max) {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    if (pattern && !compiled(pattern).test(v)) {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`);
    }
  }

  integer(input, name, { min, max, required = false } = {}) {
    if (required && !this.required(input, name)) return;
    const v = input[name];
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must be an integer`);
      return;
    }
    if (min !== undefined && v < min) {
      this.errors.push(`Value '${v}' at '${this.lower(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    }
    if (max !== undefined && v > max) {
      this.errors.push(`Value '${v}' at '${this.lower(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    }
  }

  number(input, name, { min, max, required = false } = {}) {
    if (required && !this.required(input, name)) return;
    const v = input[name];
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must be a number`);
      return;
    }
    if (min !== undefined && v < min) {
      this.errors.push(`Value '${v}' at '${this.lower(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    }
    if (max !== undefined && v > max) {
      this.errors.push(`Value '${v}' at '${this.lower(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    }
  }

  oneOf(input, name, values) {
    const v = input[name];
    if (v === undefined || v === null) return;
    if (!values.includes(v)) {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
    }
  }

  boolean(input, name) {
    const v = input[name];
    if (v === undefined || v === null) return;
    if (typeof v !== 'boolean') {
      this.errors.push(`Value ${this.value(v)} at '${this.lower(name)}' failed to satisfy constraint: Member must be a boolean`);
    }
  }

  message() {
    const n = this.errors.length;
    return `${n} validation error${n === 1 ? '' : 's'} detected: ${this.errors.join('; ')}`;
  }
}

/**
 * Opaque pagination tokens: an offset and a MAC over `bind|offset` under a key made per process, so a client can
 * neither forge a token nor use one outside the request it was made for (`bind` names the operation, caller,
 * region and filters). `invalid()` makes the error to throw for a bad token.
 */
export class PageTokens {
  constructor(invalid) {
    this.key = randomBytes(32);
    this.invalid = invalid;
  }

  mac(bind, offset) {
    return createHmac('sha256', this.key).update(`${bind}|${offset}`).digest('base64url').slice(0, 22);
  }

  make(bind, offset) {
    return Buffer.from(JSON.stringify({ o: offset, m: this.mac(bind, offset) })).toString('base64');
  }

  /** The offset in `token`; throws invalid() when it was not made by make(bind, …). */
  read(bind, token) {
    let parsed;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    } catch {
      throw this.invalid();
    }
    if (!parsed || !Number.isInteger(parsed.o) || parsed.o < 0 || typeof parsed.m !== 'string') throw this.invalid();
    if (this.mac(bind, parsed.o) !== parsed.m) throw this.invalid();
    return parsed.o;
  }
}

// ---------------------------------------------------------------------------------------------------
// AWS Query protocol (STS, SNS): form parameters in, XML out.

export function xmlEscape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

/** The request's parameters: the query string, then a form body (last value of a repeated name wins). */
export function queryFormParams({ headers, body, rawQuery }) {
  const params = {};
  const add = (obj) => {
    for (const [k, v] of Object.entries(obj)) params[k] = Array.isArray(v) ? v[v.length - 1] : v;
  };
  add(parseRawQuery(rawQuery));
  const ct = String(headers['content-type'] ?? '');
  if (body.length && (ct.startsWith('application/x-www-form-urlencoded') || ct === '')) {
    // Form encoding: '+' means space.
    add(parseRawQuery(body.toString('utf8').replace(/\+/g, '%20')));
  }
  return params;
}

/** <ErrorResponse xmlns=…><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>. */
export function queryErrorResponse(xmlns, err, ctx) {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${xmlns}">\n` +
    `  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(err.code)}</Code>\n` +
    `    <Message>${xmlEscape(err.message ?? '')}</Message>\n  </Error>\n` +
    `  <RequestId>${ctx.requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status: err.status, headers: { 'content-type': 'text/xml' }, body };
}

/** <ActionResponse xmlns=…><ActionResult>resultXml</ActionResult><ResponseMetadata/></ActionResponse>, 200. */
export function queryOkResponse(xmlns, action, resultXml, ctx) {
  const body =
    `<${action}Response xmlns="${xmlns}">\n` +
    `  <${action}Result>\n${resultXml}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${ctx.requestId}</RequestId>\n  </ResponseMetadata>\n` +
    `</${action}Response>\n`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}
