// Test helpers: start the simulator (in-process or as a child process), sign raw requests with
// AWS's own signer, and call the control API.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../sigv4-verify.mjs';
import { Simulator } from '../server.mjs';

export const SIM_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

/** Starts a simulator in this process on a free loopback port. */
export async function startSim(options = {}) {
  const sim = new Simulator({ log: () => {}, ...options });
  const url = await sim.listen(0, '127.0.0.1');
  return { sim, url, close: () => sim.close() };
}

/** Resolves with fn() once it returns a truthy value; rejects after timeoutMs. */
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Starts `node server.mjs ...args` and resolves with {url, child, stderr(), stop()} once it printed its URL. */
export function startChild(args = [], { timeoutMs = 10000 } = {}) {
  const child = spawn(process.execPath, [path.join(SIM_DIR, 'server.mjs'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not print its URL within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve({ url: out.slice(0, nl), firstLine: out.slice(0, nl), child, stderr: () => err, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}; stderr: ${err}`));
    });
  });
}

/** Plain HTTP request to 127.0.0.1; resolves {status, headers, text, json()}. */
export function rawRequest(url, { method = 'GET', path: p = '/', headers = {}, body = '', timeoutMs = 10000, agent } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method, path: p, headers, agent: agent ?? false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** Control API call. */
export async function control(url, method, p, body) {
  const res = await rawRequest(url, {
    method,
    path: p,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  return { status: res.status, body: res.text ? res.json() : null };
}

export async function createAccount(url, spec = {}) {
  const r = await control(url, 'POST', '/_sim/accounts', spec);
  if (r.status !== 201) throw new Error(`create account failed: ${JSON.stringify(r.body)}`);
  const key = r.body.access_keys[0];
  return { ...r.body, credentials: { accessKeyId: key.access_key_id, secretAccessKey: key.secret_access_key } };
}

/**
 * Signs a request with @smithy/signature-v4 and sends it.
 * opts: service, region, credentials, method, path, headers, body, signingDate,
 *       sendBody (send a different body than the one signed), signContentSha (add x-amz-content-sha256),
 *       mutate(headers) to change headers after signing, agent (http.Agent for keep-alive).
 */
export async function signedRequest(url, opts) {
  const u = new URL(url);
  const body = opts.body ?? '';
  const headers = { host: u.host, ...(opts.headers ?? {}) };
  const req = new HttpRequest({
    method: opts.method ?? 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: opts.path ?? '/',
    headers,
    body,
  });
  const signer = new SignatureV4({
    credentials: opts.credentials,
    region: opts.region ?? 'us-east-1',
    service: opts.service,
    sha256: Sha256,
    applyChecksum: opts.signContentSha === true,
  });
  const signed = await signer.sign(req, { signingDate: opts.signingDate ?? new Date() });
  const finalHeaders = { ...signed.headers };
  if (opts.mutate) opts.mutate(finalHeaders);
  const sendBody = opts.sendBody ?? body;
  finalHeaders['content-length'] = String(Buffer.byteLength(sendBody));
  return rawRequest(url, { method: signed.method, path: opts.path ?? '/', headers: finalHeaders, body: sendBody, timeoutMs: opts.timeoutMs, agent: opts.agent });
}

/** Service Quotas JSON 1.1 call. */
export function sqCall(url, credentials, operation, input = {}, extra = {}) {
  return signedRequest(url, {
    service: 'servicequotas',
    credentials,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `ServiceQuotasV20190624.${operation}`,
    },
    body: JSON.stringify(input),
    ...extra,
  });
}

/** STS query-protocol call. */
export function stsCall(url, credentials, action, params = {}, extra = {}) {
  const form = new URLSearchParams({ Action: action, Version: '2011-06-15', ...params }).toString();
  return signedRequest(url, {
    service: 'sts',
    credentials,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form,
    ...extra,
  });
}

/** Extracts <Tag>value</Tag> from an XML text. */
export function xmlValue(xml, tag) {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? m[1] : null;
}
