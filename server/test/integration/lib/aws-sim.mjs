// The AWS simulator (tools/aws-sim) as a child process of a test, plus helpers around its control API (/_sim/*).
//
//   const sim = await AwsSim.start();                 // port 0, AWS's rate limits on, no added latency
//   const { account_id, credentials } = await sim.account({ account_id: '111111111111' });
//   // → credentials for POST /api/accounts (a fresh, unique access key pair of that simulated account)
//   await sim.fault({ operation: 'GetServiceQuota', error: 'access_denied', account_id });
//   const counters = await sim.counters();
//   await sim.stop();
//
// Every simulator has an account of its own for the platform's identity (`sim.platformIdentity`): the harness gives
// its keys to the server as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (used to assume the roles of assume_role
// accounts). The simulator listens on 127.0.0.1 only and refuses any other host.
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';

import { REPO_ROOT, waitFor, trackChild, untrackChild, lineCollector } from './common.mjs';

export const SIM_DIR = resolve(REPO_ROOT, 'tools/aws-sim');
export const SIM_SCRIPT = resolve(SIM_DIR, 'server.mjs');

// The simulated AWS account whose access key is the platform's own identity.
export const PLATFORM_ACCOUNT_ID = '090909090909';

const START_TIMEOUT_MS = 15000;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// A unique access key id: AKIA + 16 characters of A-Z2-7 (as AWS's).
export function newAccessKeyId(prefix = 'AKIA') {
  const bytes = randomBytes(16);
  let out = prefix;
  for (const b of bytes) out += B32[b & 31];
  return out;
}
// A 40-character secret access key (letters, digits, + and /, as AWS's).
export function newSecretAccessKey() {
  return randomBytes(30).toString('base64');
}
// An external id for a role trust policy.
export function newExternalId() {
  return 'ext-' + randomBytes(8).toString('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// Minimal SigV4 (header auth) for the few signed calls a test makes itself (STS AssumeRole for temporary keys).

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

function amzDate(d = new Date()) {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

// Signs a POST of `body` to `url` for (region, service). Returns the headers to send.
export function signPost(url, body, { accessKeyId, secretAccessKey, sessionToken }, { region = 'us-east-1', service, contentType }) {
  const u = new URL(url);
  const date = amzDate();
  const day = date.slice(0, 8);
  const headers = { 'content-type': contentType, host: u.host, 'x-amz-date': date };
  if (sessionToken) headers['x-amz-security-token'] = sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = ['POST', u.pathname || '/', '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha256Hex(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonical)].join('\n');
  let key = hmac('AWS4' + secretAccessKey, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const out = { ...headers };
  delete out.host; // fetch sends the same Host itself
  out.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return out;
}

const xmlText = (xml, tag) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

export class AwsSim {
  constructor() {
    this.stdoutLines = [];
    this.stderrLines = [];
    this.exit = null;
  }

  // Starts `node tools/aws-sim/server.mjs --port 0`. Options: rateLimits (default true: AWS's published API
  // rates), latencyMs (default 0), args (more CLI arguments). Creates the platform identity's account.
  static async start({ rateLimits = true, latencyMs = 0, args = [] } = {}) {
    const sim = new AwsSim();
    const fullArgs = [SIM_SCRIPT, '--port', '0', '--host', '127.0.0.1', '--rate-limits', rateLimits ? 'on' : 'off',
      '--latency-ms', String(latencyMs), ...args];
    const child = spawn(process.execPath, fullArgs, { cwd: SIM_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    sim.child = child;
    trackChild(child);
    sim.exited = new Promise((resolveExit) => {
      child.on('close', (code, signal) => {
        sim.exit = { code, signal };
        untrackChild(child);
        resolveExit(sim.exit);
      });
    });
    child.on('error', (e) => {
      sim.spawnError = e;
    });
    lineCollector(child.stdout, sim.stdoutLines);
    lineCollector(child.stderr, sim.stderrLines);
    try {
      const line = await waitFor(() => {
        if (sim.spawnError) throw sim.spawnError;
        if (sim.exit) throw new Error(`aws-sim exited (${JSON.stringify(sim.exit)}) before listening:\n${sim.stderrLines.join('\n')}`);
        return sim.stdoutLines[0];
      }, { timeoutMs: START_TIMEOUT_MS, what: 'the aws-sim URL on stdout' });
      const m = /^(http:\/\/127\.0\.0\.1:(\d+))\/?$/.exec(line.trim());
      assert.ok(m, `unexpected first line of aws-sim: ${line}`);
      sim.url = m[1];
      sim.port = Number(m[2]);
      const keys = { access_key_id: newAccessKeyId(), secret_access_key: newSecretAccessKey() };
      await sim.control('POST', '/_sim/accounts', { account_id: PLATFORM_ACCOUNT_ID, ...keys, user_name: 'account-platform-service' });
      sim.platformIdentity = { account_id: PLATFORM_ACCOUNT_ID, ...keys };
    } catch (e) {
      await sim.stop();
      throw e;
    }
    return sim;
  }

  // The environment a server needs to use this simulator: endpoint and the platform's own identity.
  serverEnv() {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: this.platformIdentity.access_key_id,
      AWS_SECRET_ACCESS_KEY: this.platformIdentity.secret_access_key,
    };
  }

  async stop() {
    if (!this.child) return null;
    if (!this.exit) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exit;
  }

  // One control API call. Resolves the parsed JSON; throws on a status >= 400 unless `allowError`.
  async control(method, path, body, { allowError = false } = {}) {
    const res = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 400 && !allowError) throw new Error(`aws-sim ${method} ${path}: ${res.status} ${text}`);
    return allowError ? { status: res.status, json } : json;
  }

  // Registers a simulated AWS account (or, when `account_id` already exists there, a new key of it) with a unique
  // access key pair, and returns what POST /api/accounts needs:
  //   { account_id, credentials, access_key: {access_key_id, secret_access_key}, role? }
  // Options:
  //   account_id   12 digits (default: the simulator picks 2000000000NN)
  //   role         true or { role_name?, external_id? (default: a fresh one; null = none) }: the account gets that
  //                role and `credentials` are assume_role credentials for it
  //   quotas       [{ region?, code, value } | { region?, code, unapplied: true }]
  //   unapplied    [codes without an applied value in us-east-1]
  //   quota_profile 'varied' (default) | 'defaults'
  //   contact      ContactInformation fields (or null for none)
  async account({ account_id, role, quotas, unapplied, quota_profile, contact } = {}) {
    const access_key = { access_key_id: newAccessKeyId(), secret_access_key: newSecretAccessKey() };
    let id = account_id;
    const exists = id !== undefined && (await this.control('GET', `/_sim/accounts/${id}`, undefined, { allowError: true })).status === 200;
    if (exists) {
      await this.control('POST', `/_sim/accounts/${id}/keys`, access_key);
      for (const q of quotas ?? []) await this.setQuota(id, q.region ?? 'us-east-1', q.code, q.unapplied ? { unapplied: true } : { value: q.value });
      for (const code of unapplied ?? []) await this.setQuota(id, 'us-east-1', code, { unapplied: true });
      if (contact !== undefined) await this.control('PUT', `/_sim/accounts/${id}/contact`, contact ?? {});
    } else {
      const spec = { ...access_key, quotas, unapplied, quota_profile };
      if (id !== undefined) spec.account_id = id;
      if (contact !== undefined) spec.contact = contact;
      id = (await this.control('POST', '/_sim/accounts', spec)).account_id;
    }
    const out = {
      account_id: id,
      access_key,
      credentials: { type: 'access_key', ...access_key },
    };
    if (role) {
      const r = role === true ? {} : role;
      const external_id = r.external_id === undefined ? newExternalId() : r.external_id;
      const created = await this.control('POST', `/_sim/accounts/${id}/roles`, {
        role_name: r.role_name ?? `PlatformReader${randomBytes(3).toString('hex')}`,
        role_arn: r.role_arn,
        ...(external_id === null ? {} : { external_id }),
      });
      out.role = { role_arn: created.role_arn, external_id };
      out.credentials = { type: 'assume_role', role_arn: created.role_arn, ...(external_id === null ? {} : { external_id }) };
    }
    return out;
  }

  // Adds an access key (fresh unique pair unless given) to an existing simulated account; returns it.
  async addKey(accountId, key = {}) {
    const k = { access_key_id: key.access_key_id ?? newAccessKeyId(), secret_access_key: key.secret_access_key ?? newSecretAccessKey() };
    await this.control('POST', `/_sim/accounts/${accountId}/keys`, k);
    return k;
  }

  // Adds a role; returns { role_arn, external_id }.
  async addRole(accountId, { role_arn, role_name, external_id } = {}) {
    const r = await this.control('POST', `/_sim/accounts/${accountId}/roles`, { role_arn, role_name, external_id });
    return { role_arn: r.role_arn, external_id: r.external_id };
  }

  // Temporary credentials (ASIA…, with a session token) from a real STS AssumeRole against the simulator, signed
  // with `caller` ({access_key_id, secret_access_key}). Resolves { access_key_id, secret_access_key, session_token }.
  async assumeRole(caller, roleArn, { externalId, durationSeconds = 3600, region = 'us-east-1' } = {}) {
    const params = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn,
      RoleSessionName: 'integration-test', DurationSeconds: String(durationSeconds) });
    if (externalId) params.set('ExternalId', externalId);
    const body = params.toString();
    const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
    const headers = signPost(this.url + '/', body,
      { accessKeyId: caller.access_key_id, secretAccessKey: caller.secret_access_key }, { region, service: 'sts', contentType });
    const res = await fetch(this.url + '/', { method: 'POST', headers, body });
    const xml = await res.text();
    assert.equal(res.status, 200, `AssumeRole ${roleArn}: ${res.status} ${xml}`);
    return {
      access_key_id: xmlText(xml, 'AccessKeyId'),
      secret_access_key: xmlText(xml, 'SecretAccessKey'),
      session_token: xmlText(xml, 'SessionToken'),
    };
  }

  // The simulated account as the control API shows it (keys, roles, contact_information, overrides).
  async getAccount(accountId) {
    return this.control('GET', `/_sim/accounts/${accountId}`);
  }

  async deleteAccount(accountId) {
    return this.control('DELETE', `/_sim/accounts/${accountId}`);
  }

  // Every quota of an account in a region: Map code → { code, name, default_value, applied_value, unapplied }.
  async quotas(accountId, region = 'us-east-1') {
    const r = await this.control('GET', `/_sim/accounts/${accountId}/quotas/${region}`);
    return new Map(r.quotas.map((q) => [q.code, q]));
  }

  // The value the platform should read for a code: the applied value, or AWS's default when none is applied.
  async expectedValue(accountId, code, region = 'us-east-1') {
    const q = (await this.quotas(accountId, region)).get(code);
    assert.ok(q, `the simulator knows ${code}`);
    return q.unapplied ? { value: q.default_value, source: 'aws_default' } : { value: q.applied_value, source: 'applied' };
  }

  // body: { value } | { unapplied: true } | { reset: true }
  async setQuota(accountId, region, code, body) {
    return this.control('PUT', `/_sim/accounts/${accountId}/quotas/${region}/${code}`, body);
  }

  // Adds a fault rule (see tools/aws-sim/README.md); resolves the rule with its id.
  async fault(rule) {
    return this.control('POST', '/_sim/faults', rule);
  }

  async removeFault(id) {
    return this.control('DELETE', `/_sim/faults/${id}`, undefined, { allowError: true });
  }

  async clearFaults() {
    return this.control('DELETE', '/_sim/faults');
  }

  async counters() {
    return this.control('GET', '/_sim/counters');
  }

  async resetCounters() {
    return this.control('POST', '/_sim/counters/reset');
  }

  async setConfig(config) {
    return this.control('PUT', '/_sim/config', config);
  }
}

// Calls of one operation in a counters view: { total, ok, <outcome>: n }, for one account or all of them.
export function callsOf(counters, operation, accountId) {
  let outcomes;
  if (accountId === undefined) outcomes = counters.by_operation?.[operation]?.outcomes ?? {};
  else outcomes = counters.by_account?.[accountId]?.operations?.[operation] ?? {};
  const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
  return { total, ...outcomes };
}
