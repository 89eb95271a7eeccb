// Amazon DynamoDB, JSON 1.0 protocol (X-Amz-Target: DynamoDB_20120810.<Operation>), served by an in-process
// dynalite (npm `dynalite`, in memory, on a worker thread). The simulator verifies the SigV4 signature (dynalite checks none) and
// then forwards the request byte for byte to dynalite on a loopback port and relays its answer (status, body,
// content-type, x-amzn-RequestId, x-amz-crc32). Tables live until the simulator stops or POST /_sim/reset.
//
// Who may call: every access key the simulator knows (seeded and created account keys, STS sessions) and the
// fixed platform identity below, which exists for DynamoDB only (it is what the platform's own credentials chain
// is pointed at in tests and demos).
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { ApiError } from './common.mjs';

export const name = 'dynamodb';
export const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
// DynamoDB's own request limit (BatchWriteItem: 25 items of up to 400 KB; dynalite refuses more than 16 MiB).
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const FORWARD_TIMEOUT_MS = 60_000;

/** The platform's own identity, accepted by DynamoDB only. Documented in README.md. */
export const PLATFORM_ACCOUNT_ID = '000000000000';
export const PLATFORM_ACCESS_KEY_ID = 'AKIASIMPLATFORM00001';
export const PLATFORM_SECRET_ACCESS_KEY = 'simPlatformSecretAccessKey00000000000001';
export const PLATFORM_USER_ARN = `arn:aws:iam::${PLATFORM_ACCOUNT_ID}:user/account-platform`;

/** For the SigV4 verifier: the platform key's secret and identity, or null for any other key. */
export function platformCredentials(accessKeyId) {
  if (accessKeyId !== PLATFORM_ACCESS_KEY_ID) return null;
  return {
    secretAccessKey: PLATFORM_SECRET_ACCESS_KEY,
    identity: {
      type: 'user',
      account_id: PLATFORM_ACCOUNT_ID,
      arn: PLATFORM_USER_ARN,
      user_id: 'AIDASIMPLATFORM00001',
      access_key_id: PLATFORM_ACCESS_KEY_ID,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Protocol

function targetOperation(headers) {
  const t = headers['x-amz-target'];
  if (typeof t !== 'string' || !t.startsWith(TARGET_PREFIX)) return null;
  const op = t.slice(TARGET_PREFIX.length);
  return /^[A-Za-z]{1,64}$/.test(op) ? op : null;
}

export function matches({ headers }) {
  return targetOperation(headers) !== null;
}

/** True when a request is (probably) for DynamoDB, from its headers alone; decides the body size limit. */
export function looksLikeDynamoDb(headers, scopeService) {
  return scopeService === name || String(headers['x-amz-target'] ?? '').startsWith('DynamoDB_');
}

/** The body is not parsed here: dynalite validates it and answers as DynamoDB would. */
export function parse({ headers }) {
  return { operation: targetOperation(headers) ?? 'unknown', input: {} };
}

export function faultTarget() {
  return {};
}

// Framework errors carry Coral's namespace, modeled ones DynamoDB's, as the real service sends them.
const CORAL = 'com.amazon.coral.service#';
const MODELED = 'com.amazonaws.dynamodb.v20120810#';

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle':
      return new ApiError('ProvisionedThroughputExceededException', message ??
        'The level of configured provisioned throughput for the table was exceeded. ' +
        'Consider increasing your provisioning level with the UpdateTable API.', 400, { ns: MODELED });
    case 'internal': return new ApiError('InternalServerError', message ?? 'Internal server error', 500, { ns: MODELED });
    case 'unavailable': return new ApiError('ServiceUnavailableException', message ?? 'Service Unavailable', 503, { ns: CORAL });
    case 'access_denied':
      return new ApiError('AccessDeniedException', message ?? 'User is not authorized to perform this DynamoDB action.', 400, { ns: CORAL });
    case 'missing_auth': return new ApiError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 400, { ns: CORAL });
    case 'incomplete_signature': return new ApiError('IncompleteSignatureException', message, 400, { ns: CORAL });
    case 'unknown_key':
    case 'invalid_token':
      return new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400, { ns: CORAL });
    case 'expired_token': return new ApiError('ExpiredTokenException', 'The security token included in the request is expired', 400, { ns: CORAL });
    case 'skew':
    case 'signature': return new ApiError('InvalidSignatureException', message, 400, { ns: CORAL });
    default: return new ApiError('InternalServerError', message ?? 'Internal server error', 500, { ns: MODELED });
  }
}

export function render(err) {
  const body = { __type: (err.extra?.ns ?? CORAL) + err.code, message: err.message ?? null };
  return { status: err.status, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}

// Never called: the simulator forwards DynamoDB requests to the backend below instead of invoking a handler.
export async function invoke() {
  throw errorFor('internal');
}

// ---------------------------------------------------------------------------------------------------
// The backend

// Hop-by-hop headers are the proxy's own business; everything else reaches dynalite as the client sent it.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect']);
const RELAYED = ['content-type', 'x-amzn-requestid', 'x-amz-crc32'];

/** The AWS error code of a DynamoDB error body (`{"__type":"ns#Code"}`), or `http_<status>`. */
export function errorCode(status, body) {
  try {
    const type = JSON.parse(body.toString('utf8')).__type;
    if (typeof type === 'string' && type) return type.slice(type.lastIndexOf('#') + 1);
  } catch {
    // not JSON: fall through
  }
  return `http_${status}`;
}

/**
 * An in-process dynalite on an ephemeral loopback port, on a worker thread of its own (dynalite-worker.mjs).
 * start() before forward(); reset() empties it; stop() ends the worker.
 */
export class DynaliteBackend {
  constructor({ log = () => {} } = {}) {
    this.log = log;
    this.worker = null;
    this.port = 0;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    this.ready = null;
  }

  start() {
    // Ended by stop() (Simulator.close()); until then it keeps the process alive, as the listening server does.
    this.worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url));
    this.worker.on('error', (e) => this.log(`aws-sim: dynalite worker failed: ${e.stack ?? e}`));
    this.ready = this.ask('start');
    return this.ready;
  }

  /** Sends a command to the worker; resolves once dynalite listens (this.port set), rejects on its error. */
  ask(command) {
    return new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`dynalite worker exited with ${code}`));
      this.worker.once('exit', onExit);
      this.worker.once('message', (m) => {
        this.worker.off('exit', onExit);
        if (m.error) return reject(new Error(m.error));
        this.port = m.port;
        resolve();
      });
      this.worker.postMessage(command);
    });
  }

  /** Drops every table: the next request waits for a fresh, empty dynalite. */
  reset() {
    if (!this.worker) return;
    const previous = this.ready;
    this.ready = (async () => {
      await previous?.catch(() => {});
      this.agent.destroy();
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
      await this.ask('restart');
    })();
    this.ready.catch((e) => this.log(`aws-sim: dynalite restart failed: ${e.message}`));
  }

  async stop() {
    await this.ready?.catch(() => {});
    this.agent.destroy();
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  /**
   * Sends the request ({method, url, rawHeaders, body}) to dynalite; resolves with {status, headers, body,
   * outcome} where outcome is 'ok' or the AWS error code. Rejects when dynalite cannot be reached.
   */
  async forward(request) {
    try {
      return await this.send(request);
    } catch (e) {
      // A kept-alive connection that dynalite closed as idle just as it was reused: the request never arrived.
      if (e.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) return this.send(request);
      throw e;
    }
  }

  async send({ method, url, rawHeaders, body }) {
    await this.ready;
    if (!this.worker) throw new Error('dynalite is not running');
    const headers = {};
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const k = rawHeaders[i];
      if (HOP_BY_HOP.has(k.toLowerCase()) || k.toLowerCase() === 'content-length') continue;
      headers[k] = k in headers ? `${headers[k]}, ${rawHeaders[i + 1]}` : rawHeaders[i + 1];
    }
    headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const out = http.request({ host: '127.0.0.1', port: this.port, method, path: url, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const data = Buffer.concat(chunks);
          const relayed = {};
          for (const h of RELAYED) if (res.headers[h] !== undefined) relayed[h] = res.headers[h];
          const status = res.statusCode;
          resolve({ status, headers: relayed, body: data, outcome: status === 200 ? 'ok' : errorCode(status, data) });
        });
      });
      out.setTimeout(FORWARD_TIMEOUT_MS, () => out.destroy(new Error('dynalite did not answer in time')));
      out.on('error', (e) => {
        e.reusedSocket = out.reusedSocket;
        reject(e);
      });
      out.end(body);
    });
  }
}
