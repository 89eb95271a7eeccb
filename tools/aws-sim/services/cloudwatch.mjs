// Amazon CloudWatch (read side) in the three protocols CloudWatch speaks ("FAQs on CloudWatch supported protocols"):
//  - AWS JSON 1.0 with AWS-Query compatibility: POST / with X-Amz-Target: GraniteServiceVersion20100801.<Operation>
//    and Content-Type application/x-amz-json-1.0; errors carry `__type` and the x-amzn-query-error header
//    "<QueryCode>;Sender|Receiver". The AWS SDK for JavaScript v3 sends this by default; the platform's C++ client
//    sends it too.
//  - Smithy RPC v2 CBOR: POST /service/GraniteServiceVersion20100801/operation/<Operation> with
//    smithy-protocol: rpc-v2-cbor and a CBOR body (timestamps as tag 1, epoch seconds); errors as in JSON.
//  - AWS Query: POST / form-encoded Action=<Operation>&Version=2010-08-01 (lists as Name.member.N, timestamps ISO
//    8601), answered in XML (<OperationResponse><OperationResult>…), errors as <ErrorResponse>.
// The JS SDK sends the last two when a client is built with `protocol: AwsSmithyRpcV2CborProtocol` /
// `AwsQueryProtocol` (@aws-sdk/core/protocols); the suite drives all three.
//
// Operations: GetMetricData (MetricStat queries; no metric-math expressions) and ListMetrics, for namespace
// AWS/Bedrock, dimension ModelId, metrics Invocations, InputTokenCount, OutputTokenCount, InvocationThrottles,
// CacheReadInputTokenCount, CacheWriteInputTokenCount. The data is scripted per (account, region, model id) through
// the control API (POST /_sim/accounts/{id}/traffic): one record per minute.
//
// How a minute's record becomes samples (the simulator's model, documented in README.md): Invocations and
// InvocationThrottles publish one sample of value 1 per request; the token metrics publish one sample per
// invocation, all of the minute's average size. So Sum is the minute's total, SampleCount the number of requests
// (at least 1 when there were tokens), Average = Sum / SampleCount, Maximum = Minimum = the per-request average
// (1 for the count metrics). A metric with nothing in a period has no data point there (CloudWatch omits it):
// no data is not zero.
import { createHash } from 'node:crypto';
import { cbor, tag } from '@smithy/core/cbor';
import { ApiError, PageTokens, Validator, double, toAwsJson } from './common.mjs';
import { errorFor as stsErrorFor } from './sts.mjs';

export const name = 'monitoring';
export const faultName = 'cloudwatch';
export const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const SHAPE_NAMESPACE = 'com.amazonaws.cloudwatch#';
const CBOR_PATH = /^\/service\/GraniteServiceVersion20100801\/operation\/([A-Za-z]+)$/;
const QUERY_VERSION = '2010-08-01';
const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

export const NAMESPACE = 'AWS/Bedrock';
export const DIMENSION = 'ModelId';
/** Metric name → the traffic record field it reads and whether each request counts 1 (a count metric). */
export const METRICS = {
  Invocations: { field: 'invocations', count: true },
  InputTokenCount: { field: 'input_tokens', count: false },
  OutputTokenCount: { field: 'output_tokens', count: false },
  InvocationThrottles: { field: 'throttles', count: true },
  CacheReadInputTokenCount: { field: 'cache_read', count: false },
  CacheWriteInputTokenCount: { field: 'cache_write', count: false },
};
export const FIELDS = ['invocations', 'input_tokens', 'output_tokens', 'throttles', 'cache_read', 'cache_write'];
const STATS = ['Sum', 'SampleCount', 'Average', 'Maximum', 'Minimum'];

export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100800;
const LIST_PAGE = 500;
/** Scripted minutes kept per account (20 model-weeks at one point a minute); more is refused with 413. */
export const MAX_POINTS_PER_ACCOUNT = 201600;
const RECENTLY_ACTIVE_MS = 3 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------------
// Scripted traffic

export class CloudWatchState {
  constructor({ maxPointsPerAccount = MAX_POINTS_PER_ACCOUNT } = {}) {
    this.maxPointsPerAccount = maxPointsPerAccount;
    this.reset();
  }

  reset() {
    // account_id -> {points, series: Map(`${region}\n${model}` -> {region, model_id, minutes: Map(epochSec -> rec)})}
    this.accounts = new Map();
  }

  account(accountId) {
    return this.accounts.get(String(accountId)) ?? null;
  }

  /**
   * Sets the given minutes of one (account, region, model id) series, replacing what those minutes held.
   * spec: {region, model_id, series: [{at, invocations?, input_tokens?, …}]} or
   *       {region, model_id, per_minute: {invocations?, …}, from, to} (every minute in [from, to)).
   * Throws Error (400) for a malformed spec, or {status: 413} when the account would hold too many minutes.
   */
  script(accountId, spec) {
    if (!spec || typeof spec !== 'object') throw Object.assign(new Error('body must be a JSON object'), { status: 400 });
    const { region, model_id: model } = spec;
    if (typeof region !== 'string' || !/^[a-z][a-z0-9-]{1,31}$/.test(region)) throw badSpec('region must be a region name');
    if (typeof model !== 'string' || model.length < 1 || model.length > 1024) throw badSpec('model_id must be a non-empty string');
    const records = [];
    if (spec.series !== undefined) {
      if (!Array.isArray(spec.series)) throw badSpec('series must be an array');
      for (const p of spec.series) records.push([minute(p?.at, 'series[].at'), record(p)]);
    } else if (spec.per_minute !== undefined) {
      const from = minute(spec.from, 'from');
      const to = minute(spec.to, 'to');
      if (to <= from) throw badSpec('to must be after from');
      if ((to - from) / 60 > this.maxPointsPerAccount) throw tooMany(this.maxPointsPerAccount);
      const rec = record(spec.per_minute);
      for (let t = from; t < to; t += 60) records.push([t, rec]);
    } else {
      throw badSpec('give series: [{at, …}] or per_minute: {…} with from and to');
    }
    const acct = this.accounts.get(String(accountId)) ?? { points: 0, series: new Map() };
    const key = `${region}\n${model}`;
    const existing = acct.series.get(key);
    let added = 0;
    const seen = new Set();
    for (const [t] of records) {
      if (!seen.has(t) && !existing?.minutes.has(t)) added++;
      seen.add(t);
    }
    if (acct.points + added > this.maxPointsPerAccount) throw tooMany(this.maxPointsPerAccount);
    const series = existing ?? { region, model_id: model, minutes: new Map() };
    for (const [t, rec] of records) series.minutes.set(t, rec);
    acct.series.set(key, series);
    acct.points += added;
    this.accounts.set(String(accountId), acct);
    return { account_id: String(accountId), region, model_id: model, minutes_set: records.length, points: acct.points };
  }

  /** Drops the account's traffic, or one region's, or one series. Returns the number of minutes removed. */
  clear(accountId, { region = null, model_id: model = null } = {}) {
    const acct = this.accounts.get(String(accountId));
    if (!acct) return 0;
    let removed = 0;
    for (const [key, s] of acct.series) {
      if ((region && s.region !== region) || (model && s.model_id !== model)) continue;
      removed += s.minutes.size;
      acct.series.delete(key);
    }
    acct.points -= removed;
    if (acct.series.size === 0) this.accounts.delete(String(accountId));
    return removed;
  }

  view(accountId) {
    const acct = this.accounts.get(String(accountId));
    const series = [];
    for (const s of acct?.series.values() ?? []) {
      const times = [...s.minutes.keys()];
      series.push({ region: s.region, model_id: s.model_id, points: times.length, from: Math.min(...times), to: Math.max(...times) + 60 });
    }
    return { account_id: String(accountId), points: acct?.points ?? 0, max_points: this.maxPointsPerAccount, series };
  }

  series(accountId, region, model) {
    return this.accounts.get(String(accountId))?.series.get(`${region}\n${model}`) ?? null;
  }
}

function badSpec(message) {
  return Object.assign(new Error(message), { status: 400 });
}

function tooMany(max) {
  return Object.assign(new Error(`too much traffic: at most ${max} scripted minutes per account (DELETE some first)`), { status: 413 });
}

function minute(v, what) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw badSpec(`${what} must be epoch seconds (an integer)`);
  if (v % 60 !== 0) throw badSpec(`${what} must be minute-aligned (a multiple of 60)`);
  return v;
}

function record(p) {
  if (!p || typeof p !== 'object') throw badSpec('each point must be an object');
  const rec = {};
  for (const f of FIELDS) {
    const v = p[f] ?? 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badSpec(`${f} must be a number >= 0`);
    rec[f] = v;
  }
  return rec;
}

/** The samples of one minute for one metric: {sum, count, max, min}, or null when it has none. */
function samples(rec, metric) {
  const sum = rec[metric.field];
  if (!(sum > 0)) return null;
  if (metric.count) return { sum, count: sum, max: 1, min: 1 };
  const count = Math.max(1, rec.invocations);
  return { sum, count, max: sum / count, min: sum / count };
}

// ---------------------------------------------------------------------------------------------------
// Pagination tokens: opaque, MAC'd, bound to the caller, region and the request (as service-quotas.mjs does).

function invalidToken() {
  return new ApiError('InvalidNextToken', 'The service returned an invalid token.');
}
const TOKENS = new PageTokens(invalidToken);
const makeToken = (bind, offset) => TOKENS.make(bind, offset);
const readToken = (bind, token) => TOKENS.read(bind, token);

// ---------------------------------------------------------------------------------------------------
// Protocol

export function matches({ path, headers }) {
  const t = headers['x-amz-target'];
  return (typeof t === 'string' && t.startsWith(TARGET_PREFIX)) || CBOR_PATH.test(path);
}

function knownOperation(operation, protocol) {
  if (!HANDLERS[operation]) {
    throw Object.assign(new ApiError(protocol === 'query' ? 'InvalidAction' : 'UnknownOperationException', `Unknown operation ${operation}`), { protocol });
  }
  return operation;
}

function serializationError(protocol) {
  return Object.assign(new ApiError('SerializationException', 'Start of structure or map found where not expected.'), { protocol });
}

export function parse({ path, headers, body }) {
  const ct = String(headers['content-type'] ?? '');
  const cborMatch = CBOR_PATH.exec(path);
  if (cborMatch) {
    if (headers['smithy-protocol'] !== 'rpc-v2-cbor') {
      throw Object.assign(new ApiError('UnknownOperationException', 'aws-sim: RPC v2 CBOR requests need smithy-protocol: rpc-v2-cbor'), { protocol: 'cbor' });
    }
    const operation = knownOperation(cborMatch[1], 'cbor');
    let input;
    try {
      input = body.length ? cbor.deserialize(new Uint8Array(body)) : {};
    } catch {
      throw serializationError('cbor');
    }
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw serializationError('cbor');
    return { operation, input: untag(input), protocol: 'cbor' };
  }
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(TARGET_PREFIX)) {
    const operation = knownOperation(target.slice(TARGET_PREFIX.length), 'json');
    if (!ct.startsWith(CONTENT_TYPE)) {
      throw Object.assign(new ApiError('UnknownOperationException', `aws-sim: CloudWatch expects Content-Type ${CONTENT_TYPE}`), { protocol: 'json' });
    }
    let input;
    try {
      input = JSON.parse(body.length ? body.toString('utf8') : '{}');
    } catch {
      throw serializationError('json');
    }
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw serializationError('json');
    return { operation, input, protocol: 'json' };
  }
  if (ct.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body.toString('utf8'));
    const action = form.get('Action');
    if (!action) throw Object.assign(new ApiError('MissingAction', 'Missing Action'), { protocol: 'query' });
    const operation = knownOperation(action, 'query');
    if (form.get('Version') !== QUERY_VERSION) {
      throw Object.assign(new ApiError('InvalidParameterValueException', `aws-sim: Version must be ${QUERY_VERSION}`), { protocol: 'query' });
    }
    form.delete('Action');
    form.delete('Version');
    return { operation, input: fromQuery(form), protocol: 'query' };
  }
  throw Object.assign(new ApiError('UnknownOperationException', 'aws-sim: not a CloudWatch request'), { protocol: 'json' });
}

/** CBOR timestamps (tag 1, epoch seconds) become plain epoch seconds, as in JSON. */
function untag(v) {
  if (Array.isArray(v)) return v.map(untag);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    if (v.tag === 1 && typeof v.value === 'number' && Object.keys(v).length === 2) return v.value;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, untag(x)]));
  }
  return v;
}

const QUERY_INTEGERS = new Set(['Period', 'MaxDatapoints']);
const QUERY_TIMESTAMPS = new Set(['StartTime', 'EndTime']);
const QUERY_BOOLEANS = new Set(['ReturnData', 'IncludeLinkedAccounts']);
const QUERY_LISTS = new Set(['MetricDataQueries', 'Dimensions']);

/** AWS Query parameters (A.member.1.B=…) as the JSON-shaped input the handlers read, with types restored. */
function fromQuery(form) {
  const root = {};
  for (const [key, raw] of form) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      const last = i === parts.length - 1;
      if (parts[i + 1] === 'member' && i + 2 < parts.length) {
        const index = Number(parts[i + 2]) - 1;
        if (!Number.isInteger(index) || index < 0 || index > 10000) break;
        node[name] ??= [];
        if (i + 2 === parts.length - 1) {
          node[name][index] = raw;
          break;
        }
        node[name][index] ??= {};
        node = node[name][index];
        i += 2;
        continue;
      }
      if (last) node[name] = coerce(name, raw);
      else node = node[name] ??= {};
    }
  }
  return root;
}

function coerce(name, raw) {
  if (QUERY_INTEGERS.has(name) && /^-?\d+$/.test(raw)) return Number(raw);
  if (QUERY_TIMESTAMPS.has(name)) {
    const t = Date.parse(raw);
    return Number.isNaN(t) ? raw : t / 1000;
  }
  if (QUERY_BOOLEANS.has(name) && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (QUERY_LISTS.has(name) && raw === '') return [];
  return raw;
}

/** Fields a fault can match on: `code` is the first ModelId the call names (GetMetricData) or filters on. */
export function faultTarget(input) {
  const q = Array.isArray(input?.MetricDataQueries) ? input.MetricDataQueries[0] : null;
  const dims = q?.MetricStat?.Metric?.Dimensions ?? input?.Dimensions;
  const model = Array.isArray(dims) ? dims.find((d) => d?.Name === DIMENSION)?.Value : undefined;
  return { code: model ?? null };
}

// The query-protocol code of each JSON error shape (the awsQueryError trait) and its fault side.
const QUERY_CODES = {
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  MissingRequiredParameterException: 'MissingParameter',
  InternalServiceFault: 'InternalServiceError',
  InvalidNextToken: 'InvalidNextToken',
  ValidationException: 'ValidationError',
};
const MODELED = new Set(Object.keys(QUERY_CODES));

// Signature and credential failures: CloudWatch, a query-protocol service at heart, answers them with the same
// codes as STS (SignatureDoesNotMatch, InvalidClientTokenId, ExpiredToken, …).
const AUTH_KINDS = new Set(['missing_auth', 'incomplete_signature', 'unknown_key', 'invalid_token', 'expired_token', 'skew', 'signature']);

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle': return new ApiError('Throttling', 'Rate exceeded', 400);
    case 'unavailable': return new ApiError('ServiceUnavailable', message ?? 'Service Unavailable', 503);
    case 'access_denied':
      return new ApiError('AccessDenied', message ?? 'User is not authorized to perform: cloudwatch:GetMetricData', 403);
    default:
      if (AUTH_KINDS.has(kind)) return stsErrorFor(kind, message);
      return new ApiError('InternalServiceFault', message ?? 'Internal service error.', 500);
  }
}

export function render(err, ctx) {
  const protocol = err.protocol ?? ctx?.protocol ?? 'json';
  const queryCode = QUERY_CODES[err.code] ?? err.code;
  const side = err.status >= 500 ? 'Receiver' : 'Sender';
  if (protocol === 'query') {
    const body =
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${side}</Type><Code>${xmlEscape(queryCode)}</Code>` +
      `<Message>${xmlEscape(err.message ?? '')}</Message></Error><RequestId>${ctx?.requestId ?? ''}</RequestId></ErrorResponse>`;
    return { status: err.status, headers: { 'content-type': 'text/xml' }, body };
  }
  const fields = { __type: MODELED.has(err.code) ? SHAPE_NAMESPACE + err.code : err.code, message: err.message ?? null };
  const headers = { 'x-amzn-query-error': `${queryCode};${side}` };
  if (protocol === 'cbor') {
    return {
      status: err.status,
      headers: { ...headers, 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      body: Buffer.from(cbor.serialize(fields)),
    };
  }
  return { status: err.status, headers: { ...headers, 'content-type': CONTENT_TYPE }, body: JSON.stringify(fields) };
}

// Answers are built with num() for doubles and ts() for timestamps, then written in the request's protocol.
const NUM = Symbol('num');
const TS = Symbol('ts');
const num = (v) => ({ [NUM]: true, v });
const ts = (v) => ({ [TS]: true, v });

function convert(v, { onNum, onTs }) {
  if (Array.isArray(v)) return v.map((x) => convert(x, { onNum, onTs }));
  if (v && typeof v === 'object') {
    if (v[NUM]) return onNum(v.v);
    if (v[TS]) return onTs(v.v);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x, { onNum, onTs })]));
  }
  return v;
}

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlOf(name, v) {
  if (Array.isArray(v)) return `<${name}>${v.map((x) => xmlOf('member', x)).join('')}</${name}>`;
  if (v && typeof v === 'object') return `<${name}>${Object.entries(v).map(([k, x]) => xmlOf(k, x)).join('')}</${name}>`;
  return `<${name}>${xmlEscape(v)}</${name}>`;
}

function formatDouble(v) {
  return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : String(v);
}

function respond(ctx, output) {
  const protocol = ctx.protocol ?? 'json';
  if (protocol === 'query') {
    const plain = convert(output, { onNum: formatDouble, onTs: (sec) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z') });
    const op = ctx.operation;
    const inner = Object.entries(plain).map(([k, x]) => xmlOf(k, x)).join('');
    const body =
      `<${op}Response xmlns="${XMLNS}"><${op}Result>${inner}</${op}Result>` +
      `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${op}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml' }, body };
  }
  if (protocol === 'cbor') {
    const value = convert(output, { onNum: (v) => v, onTs: (sec) => tag({ tag: 1, value: sec }) });
    return { status: 200, headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body: Buffer.from(cbor.serialize(value)) };
  }
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: toAwsJson(convert(output, { onNum: double, onTs: (sec) => sec })) };
}

function invalidValue(message) {
  return new ApiError('InvalidParameterValueException', message);
}

// ---------------------------------------------------------------------------------------------------
// Operations

function validateDimensions(v, dims, where, max, { valueRequired }) {
  if (dims === undefined || dims === null) return;
  if (!Array.isArray(dims)) {
    v.errors.push(`Value '${JSON.stringify(dims)}' at '${where}' failed to satisfy constraint: Member must be a list`);
    return;
  }
  if (dims.length > max) {
    v.errors.push(`Value '${JSON.stringify(dims)}' at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  dims.forEach((d, i) => {
    const at = `${where}.${i + 1}.member`;
    if (!d || typeof d !== 'object') {
      v.errors.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return;
    }
    const sub = new Validator();
    sub.string(d, 'Name', { min: 1, max: 255, required: true });
    sub.string(d, 'Value', { min: 1, max: 1024, required: valueRequired });
    for (const e of sub.errors) v.errors.push(e.replace(/ at '(\w+)'/, ` at '${at}.$1'`));
  });
}

/** The ascending [epochSec, value] points of one MetricStat over [start, end). */
function compute(ctx, stat, start, end) {
  const metric = stat.Metric ?? {};
  const spec = METRICS[metric.MetricName];
  const dims = metric.Dimensions ?? [];
  if (metric.Namespace !== NAMESPACE || !spec || dims.length !== 1 || dims[0].Name !== DIMENSION) return [];
  const series = ctx.cloudwatch.series(ctx.identity.account_id, ctx.region, dims[0].Value);
  if (!series) return [];
  const period = stat.Period;
  // Buckets start at StartTime rounded down to the minute (CloudWatch rounds the start of a query of recent data).
  const first = Math.floor(start / 60) * 60;
  const buckets = new Map();
  for (const [t, rec] of series.minutes) {
    if (t < first || t >= end) continue;
    const s = samples(rec, spec);
    if (!s) continue;
    const b = first + Math.floor((t - first) / period) * period;
    const acc = buckets.get(b);
    if (!acc) buckets.set(b, { ...s });
    else {
      acc.sum += s.sum;
      acc.count += s.count;
      acc.max = Math.max(acc.max, s.max);
      acc.min = Math.min(acc.min, s.min);
    }
  }
  const value = (a) => {
    switch (stat.Stat) {
      case 'Sum': return a.sum;
      case 'SampleCount': return a.count;
      case 'Average': return a.sum / a.count;
      case 'Maximum': return a.max;
      case 'Minimum': return a.min;
      default: return a.sum;
    }
  };
  return [...buckets.entries()].sort((x, y) => x[0] - y[0]).map(([t, a]) => [t, value(a)]);
}

function requestDigest(input) {
  const canon = JSON.stringify([input.MetricDataQueries, input.StartTime, input.EndTime, input.ScanBy ?? null, input.MaxDatapoints ?? null]);
  return createHash('sha256').update(canon).digest('base64url').slice(0, 16);
}

const HANDLERS = {
  GetMetricData(ctx, input) {
    const v = new Validator();
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries)) {
      v.required(input, 'MetricDataQueries');
      if (queries !== undefined && queries !== null) {
        v.errors.push(`Value '${JSON.stringify(queries)}' at 'metricDataQueries' failed to satisfy constraint: Member must be a list`);
      }
    } else if (queries.length > MAX_QUERIES) {
      v.errors.push(`Value '[…${queries.length} items]' at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERIES}`);
    }
    v.number(input, 'StartTime', { required: true });
    v.number(input, 'EndTime', { required: true });
    v.oneOf(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending']);
    v.integer(input, 'MaxDatapoints', { min: 1 });
    v.string(input, 'NextToken', {});
    if (Array.isArray(queries)) {
      queries.forEach((q, i) => {
        const at = `metricDataQueries.${i + 1}.member`;
        if (!q || typeof q !== 'object') {
          v.errors.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
          return;
        }
        const sub = new Validator();
        sub.string(q, 'Id', { min: 1, max: 255, pattern: '[a-z][a-zA-Z0-9_]*', required: true });
        sub.string(q, 'Label', {});
        sub.boolean(q, 'ReturnData');
        sub.integer(q, 'Period', { min: 1 });
        const stat = q.MetricStat;
        if (stat && typeof stat === 'object') {
          sub.integer(stat, 'Period', { min: 1, required: true });
          sub.string(stat, 'Stat', { required: true });
          sub.string(stat, 'Unit', {});
          const metric = stat.Metric;
          if (!metric || typeof metric !== 'object') sub.required(stat, 'Metric');
          else {
            const m = new Validator();
            m.string(metric, 'Namespace', { min: 1, max: 255, pattern: '[^:].*' });
            m.string(metric, 'MetricName', { min: 1, max: 255 });
            validateDimensions(m, metric.Dimensions, 'dimensions', 30, { valueRequired: true });
            for (const e of m.errors) sub.errors.push(e.replace(/ at '([\w.]+)'/, ` at 'metricStat.metric.$1'`));
          }
        }
        for (const e of sub.errors) v.errors.push(e.replace(/ at '([\w.]+)'/, ` at '${at}.$1'`));
      });
    }
    if (v.errors.length) throw new ApiError('ValidationException', v.message());

    const ids = new Set();
    queries.forEach((q, i) => {
      const member = `MetricDataQueries.member.${i + 1}`;
      if (ids.has(q.Id)) throw invalidValue(`The value ${q.Id} for parameter MetricDataQueries.member.${i + 1}.Id is not unique.`);
      ids.add(q.Id);
      if (q.Expression !== undefined) {
        if (q.MetricStat !== undefined) {
          throw new ApiError('InvalidParameterCombinationException', `The parameters ${member}.Expression and ${member}.MetricStat are mutually exclusive.`);
        }
        throw invalidValue(`aws-sim: ${member}.Expression (metric math) is not simulated; use MetricStat.`);
      }
      if (!q.MetricStat) throw new ApiError('MissingRequiredParameterException', `Exactly one element of the ${member}.MetricStat and ${member}.Expression parameters must be specified.`);
      const s = q.MetricStat;
      if (q.ReturnData === false) throw invalidValue(`aws-sim: ${member}.ReturnData false is not simulated.`);
      if (![1, 5, 10, 30].includes(s.Period) && s.Period % 60 !== 0) {
        throw invalidValue(`The parameter ${member}.MetricStat.Period must be 1, 5, 10, 30, or a multiple of 60.`);
      }
      if (!STATS.includes(s.Stat)) {
        throw invalidValue(`aws-sim: the statistic '${s.Stat}' of ${member}.MetricStat.Stat is not simulated (${STATS.join(', ')}).`);
      }
    });
    if (!(input.StartTime < input.EndTime)) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');

    const maxPoints = Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS, ctx.cloudwatchPagePoints ?? MAX_DATAPOINTS);
    const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
    const series = queries.map((q) => {
      const pts = compute(ctx, q.MetricStat, input.StartTime, input.EndTime);
      return descending ? pts.reverse() : pts;
    });
    const total = series.reduce((n, s) => n + s.length, 0);
    const bind = `GMD|${ctx.identity.account_id}|${ctx.region}|${requestDigest(input)}`;
    const offset = input.NextToken ? readToken(bind, input.NextToken) : 0;
    if (offset > total) throw invalidToken();
    const end = Math.min(total, offset + maxPoints);
    const results = [];
    let base = 0;
    series.forEach((pts, i) => {
      const from = Math.max(0, offset - base);
      const to = Math.max(0, Math.min(pts.length, end - base));
      const page = from < to ? pts.slice(from, to) : [];
      results.push({
        Id: queries[i].Id,
        Label: queries[i].Label ?? queries[i].MetricStat.Metric?.MetricName ?? queries[i].Id,
        Timestamps: page.map(([t]) => ts(t)),
        Values: page.map(([, val]) => num(val)),
        StatusCode: base + pts.length > end ? 'PartialData' : 'Complete',
      });
      base += pts.length;
    });
    return respond(ctx, { MetricDataResults: results, ...(end < total ? { NextToken: makeToken(bind, end) } : {}), Messages: [] });
  },

  ListMetrics(ctx, input) {
    const v = new Validator();
    v.string(input, 'Namespace', { min: 1, max: 255, pattern: '[^:].*' });
    v.string(input, 'MetricName', { min: 1, max: 255 });
    validateDimensions(v, input.Dimensions, 'dimensions', 10, { valueRequired: false });
    v.oneOf(input, 'RecentlyActive', ['PT3H']);
    v.boolean(input, 'IncludeLinkedAccounts');
    v.string(input, 'NextToken', {});
    if (v.errors.length) throw new ApiError('ValidationException', v.message());

    const items = [];
    const acct = ctx.cloudwatch.account(ctx.identity.account_id);
    const namespaceOk = input.Namespace === undefined || input.Namespace === NAMESPACE;
    const filters = input.Dimensions ?? [];
    const since = Math.floor((ctx.now - RECENTLY_ACTIVE_MS) / 1000);
    if (acct && namespaceOk && filters.every((f) => f.Name === DIMENSION)) {
      const series = [...acct.series.values()]
        .filter((s) => s.region === ctx.region)
        .filter((s) => filters.every((f) => f.Value === undefined || f.Value === s.model_id))
        .sort((a, b) => (a.model_id < b.model_id ? -1 : a.model_id > b.model_id ? 1 : 0));
      for (const s of series) {
        for (const [metricName, spec] of Object.entries(METRICS)) {
          if (input.MetricName !== undefined && input.MetricName !== metricName) continue;
          let seen = false;
          for (const [t, rec] of s.minutes) {
            if (rec[spec.field] > 0 && (input.RecentlyActive === undefined || t >= since)) {
              seen = true;
              break;
            }
          }
          if (seen) items.push({ Namespace: NAMESPACE, MetricName: metricName, Dimensions: [{ Name: DIMENSION, Value: s.model_id }] });
        }
      }
    }
    const bind = `LM|${ctx.identity.account_id}|${ctx.region}|${JSON.stringify([input.Namespace, input.MetricName, filters, input.RecentlyActive])}`;
    const offset = input.NextToken ? readToken(bind, input.NextToken) : 0;
    if (offset > items.length) throw invalidToken();
    const page = items.slice(offset, offset + LIST_PAGE);
    const next = offset + LIST_PAGE < items.length ? makeToken(bind, offset + LIST_PAGE) : undefined;
    return respond(ctx, { Metrics: page, ...(next ? { NextToken: next } : {}) });
  },
};

export const OPERATIONS = Object.keys(HANDLERS);

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}
