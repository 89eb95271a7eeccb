// Test harness of the integration suite: runs the real `account-platform` binary on a loopback port with a
// fresh data directory, next to its own AWS simulator (tools/aws-sim, see aws-sim.mjs), and speaks HTTP to it.
//
//   const p = await startPlatform();            // admin from AP_ADMIN_EMAIL / AP_ADMIN_PASSWORD (see ADMIN)
//   const token = await p.login(ADMIN.email, ADMIN.password);
//   const res = await p.api('GET', '/api/auth/me', { token });   // → { status, headers, json, text }
//   const acct = await p.awsAccount({ account_id: '111111111111' }); // a simulated AWS account: {account_id, credentials}
//   await p.createAccount(token, { account_id: '111111111111' });    // registers it (fresh simulated keys unless given)
//   await p.stop();                              // SIGTERM, wait for exit, remove the data dir, stop the simulator
//
// AWS is never reached: the server's AWS endpoint is the simulator on 127.0.0.1 (or a closed loopback port when a
// test runs without one), the EC2 metadata service is off and no AWS_* variable of the test's environment leaks in.
// No fixed sleeps: everything that waits polls with a deadline (waitFor).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

import { REPO_ROOT, waitFor, lineCollector, trackChild, untrackChild } from './common.mjs';
import { AwsSim } from './aws-sim.mjs';
import { assertResponseMatchesContract } from './contract.mjs';

export { REPO_ROOT, waitFor };
export { AwsSim };

export const BINARY = process.env.AP_BINARY || resolve(REPO_ROOT, 'build-it/bin/account-platform');

// The admin every test server starts with unless the test asks for the generated first admin.
export const ADMIN = Object.freeze({ email: 'admin@example.com', password: 'admin-password-0123' });

// Cheap argon2id so that logins do not dominate the run time.
export const HASH_ARGS = ['--password-hash-memory-kib', '8192'];

const START_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 15000;

export async function makeTempDir(prefix = 'ap-it-') {
  return mkdtemp(join(tmpdir(), prefix));
}

// The environment of a child: ours without any AP_* variable, plus `env`. A key set to undefined is dropped.
// AWS is never reached from tests: every AWS_* variable of ours is dropped, AWS endpoints point at loopback (a
// closed port unless the test gives the simulator's URL), the EC2 metadata service is off and the shared
// credentials/config files are empty (never the ~/.aws of whoever runs the tests).
const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:\d+\/?$/;
function childEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AP_') && !k.startsWith('AWS_')) out[k] = v;
  }
  out.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  out.AWS_EC2_METADATA_DISABLED = 'true';
  out.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  out.AWS_CONFIG_FILE = '/dev/null';
  for (const [k, v] of Object.entries(env || {})) {
    if (v === undefined) delete out[k];
    else out[k] = String(v);
  }
  for (const [k, v] of Object.entries(out)) {
    if (k.startsWith('AWS_ENDPOINT_URL')) assert.match(v, LOOPBACK_URL, `${k} must stay on loopback`);
  }
  return out;
}

// Runs the binary to completion (for `user add` and start-up failures). Resolves { code, signal, stdout, stderr }.
export function runBinary(args, { env, input, timeoutMs = 20000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BINARY, args, { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${BINARY} ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

// Creates a user offline with `account-platform user add`. Resolves the run result; throws on failure.
export async function addUserOffline(dataDir, { email, role = 'user', teams = [], password }) {
  const args = ['user', 'add', '--email', email, '--role', role, '--data-dir', dataDir, ...HASH_ARGS];
  if (teams.length) args.push('--teams', teams.join(','));
  if (password !== undefined) args.push('--password-stdin');
  const r = await runBinary(args, { input: password !== undefined ? password + '\n' : undefined });
  if (r.code !== 0) throw new Error(`user add failed (${r.code}): ${r.stderr}`);
  return r;
}

export class Platform {
  constructor() {
    this.stdoutLines = [];
    this.stderrLines = [];
    this.responses = []; // every response this harness received: { method, path, status, headers, text }
    this.exit = null; // { code, signal } once the process exited
  }

  // Starts the binary. Options:
  //   dataDir      reuse this directory (default: a fresh temp dir, removed by stop())
  //   admin        { email, password } for AP_ADMIN_*; null → no AP_ADMIN_* (the server generates the first admin)
  //   args         extra `serve` arguments
  //   env          extra environment
  //   sim          the AwsSim to use (shared: the caller stops it); default: a simulator of its own (AWS's rate
  //                limits, no added latency), stopped by stop(); null: none (AWS endpoint = a closed loopback port)
  static async start({ dataDir, admin = ADMIN, args = [], env = {}, sim } = {}) {
    const p = new Platform();
    p.ownsDataDir = !dataDir;
    p.ownsSim = sim === undefined;
    try {
      p.sim = sim === undefined ? await AwsSim.start() : sim;
    } catch (e) {
      throw new Error(`the AWS simulator did not start: ${e.message}`);
    }
    p.dataDir = dataDir || (await makeTempDir());
    const adminEnv = admin ? { AP_ADMIN_EMAIL: admin.email, AP_ADMIN_PASSWORD: admin.password } : {};
    const awsEnv = p.sim ? p.sim.serverEnv() : {};
    const fullArgs = ['serve', '--listen', '127.0.0.1:0', '--data-dir', p.dataDir, ...HASH_ARGS, ...args];
    const child = spawn(BINARY, fullArgs, { env: childEnv({ ...awsEnv, ...adminEnv, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    p.child = child;
    trackChild(child);
    p.exited = new Promise((resolveExit) => {
      child.on('close', (code, signal) => { // after stdout and stderr are drained
        p.exit = { code, signal };
        untrackChild(child);
        resolveExit(p.exit);
      });
    });
    child.on('error', (e) => {
      p.spawnError = e;
    });
    lineCollector(child.stdout, p.stdoutLines);
    lineCollector(child.stderr, p.stderrLines);
    try {
      const line = await waitFor(
        () => {
          if (p.spawnError) throw p.spawnError;
          if (p.exit) {
            throw new Error(`account-platform exited (${JSON.stringify(p.exit)}) before listening:\n` +
                            p.stderrLines.join('\n'));
          }
          return p.stdoutLines.find((l) => l.startsWith('Account Platform listening on '));
        },
        { timeoutMs: START_TIMEOUT_MS, what: 'the "listening" line' },
      );
      const m = /^Account Platform listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line.trim());
      assert.ok(m, `unexpected listening line: ${line}`);
      p.baseUrl = m[1];
      p.port = Number(m[2]);
    } catch (e) {
      await p.kill();
      throw e;
    }
    return p;
  }

  // SIGKILL (no clean shutdown). Removes the data dir and stops the simulator if they are this harness's, unless
  // keepDataDir / keepSim.
  async kill({ keepDataDir = false, keepSim = false } = {}) {
    if (!this.exit) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    if (this.ownsDataDir && !keepDataDir) await rm(this.dataDir, { recursive: true, force: true });
    if (this.ownsSim && this.sim && !keepSim) await this.sim.stop();
    return this.exit;
  }

  // SIGTERM, then waits for the exit. Resolves { code, signal }. Removes the data dir unless keepDataDir (or the
  // caller passed its own dataDir to start()); stops the simulator this harness started unless keepSim.
  async stop({ keepDataDir = false, keepSim = false } = {}) {
    if (!this.exit) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.ownsDataDir && !keepDataDir) await rm(this.dataDir, { recursive: true, force: true });
    if (this.ownsSim && this.sim && !keepSim) await this.sim.stop();
    return this.exit;
  }

  // Stops (keeping the data dir and the simulator), runs `between(dataDir)` if given (e.g. to edit the database
  // with sqlite()), and starts again on the same data dir and simulator with `options`. Resolves the new Platform.
  async restart(options = {}, between = undefined) {
    const exit = await this.stop({ keepDataDir: true, keepSim: true });
    assert.equal(exit.code, 0, `the server should stop cleanly, got ${JSON.stringify(exit)}`);
    return this.startAgain(options, between);
  }

  // After stop()/kill() with keepDataDir and keepSim: runs `between(dataDir)` and starts on the same data dir and
  // simulator (which the new Platform then owns as this one did).
  async startAgain(options = {}, between = undefined) {
    if (between) await between(this.dataDir);
    let next;
    try {
      next = await Platform.start({ ...options, dataDir: this.dataDir, sim: 'sim' in options ? options.sim : this.sim });
    } catch (e) {
      if (this.ownsSim && this.sim) await this.sim.stop();
      throw e;
    }
    next.ownsDataDir = this.ownsDataDir;
    next.ownsSim = this.ownsSim && !('sim' in options);
    return next;
  }

  url(path) {
    return this.baseUrl + path;
  }

  // One HTTP request. body: an object/array (sent as JSON) or a string/Buffer (sent as is, see rawBody).
  // Resolves { status, headers (Headers), json (parsed body or undefined), text }. Rejects when the response does
  // not match docs/openapi.yaml (undocumented status, body not matching the schema: see lib/contract.mjs).
  async api(method, path, { token, body, headers = {}, cookie, rawBody } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (cookie) h.Cookie = cookie;
    let payload;
    if (rawBody !== undefined) {
      payload = rawBody;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(this.url(path), { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json;
    if (text && (res.headers.get('content-type') || '').includes('json')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const out = { status: res.status, headers: res.headers, json, text };
    this.responses.push({ method, path, status: res.status, headers: [...res.headers.entries()], text });
    assertResponseMatchesContract({ method, path, status: res.status, contentType: res.headers.get('content-type'), text });
    return out;
  }

  // Logs in; returns the bearer token (asserts 200).
  async login(email, password) {
    const r = await this.api('POST', '/api/auth/login', { body: { email, password } });
    assert.equal(r.status, 200, `login of ${email} failed: ${r.status} ${r.text}`);
    assert.equal(typeof r.json.token, 'string');
    return r.json.token;
  }

  // Creates a user through the API as `adminToken`; returns { user, password, token }.
  async createUser(adminToken, { email, role = 'user', teams = [], password = 'user-password-0123' }) {
    const r = await this.api('POST', '/api/admin/users', { token: adminToken, body: { email, role, teams, password } });
    assert.equal(r.status, 201, `creating ${email}: ${r.status} ${r.text}`);
    const token = await this.login(email, password);
    return { user: r.json, password, token };
  }

  // A simulated AWS account for POST /api/accounts: { account_id, credentials, access_key, role? }. See
  // AwsSim.account (account_id, role, quotas, unapplied, quota_profile, contact).
  async awsAccount(options = {}) {
    assert.ok(this.sim, 'this server runs without an AWS simulator');
    return this.sim.account(options);
  }

  // Registers an account as `adminToken`; returns the account JSON (asserts 201). Unless `credentials` are given,
  // the account is first registered in the simulator (with `account_id` when given, and `aws` options for
  // AwsSim.account) and its fresh keys are used; without `account_id` the id comes from AWS.
  async createAccount(adminToken, overrides = {}) {
    let credentials = overrides.credentials;
    let accountId = overrides.account_id;
    if (!credentials) {
      const sim = await this.awsAccount({ account_id: overrides.account_id, ...(overrides.aws || {}) });
      credentials = sim.credentials;
      accountId = sim.account_id;
    }
    const body = {
      account_id: overrides.account_id,
      account_name: overrides.account_name ?? `Account ${accountId}`,
      regions: overrides.regions ?? ['us-east-1'],
      teams: overrides.teams ?? [],
      credentials,
    };
    const r = await this.api('POST', '/api/accounts', { token: adminToken, body });
    assert.equal(r.status, 201, `creating account ${accountId}: ${r.status} ${r.text}`);
    return r.json;
  }

  // Waits until the account shows no refresh in flight (e.g. the first one, started by its creation); resolves the
  // account JSON.
  async waitNotRefreshing(adminToken, accountId, { timeoutMs = 20000 } = {}) {
    return waitFor(async () => {
      const r = await this.api('GET', `/api/accounts/${accountId}`, { token: adminToken });
      assert.equal(r.status, 200, r.text);
      return r.json.refreshing === false ? r.json : null;
    }, { timeoutMs, intervalMs: 25, what: `account ${accountId} to finish refreshing` });
  }

  // Waits until no account (of any status) has a refresh in flight.
  async waitNoRefresh(adminToken, { timeoutMs = 20000 } = {}) {
    return waitFor(async () => {
      const r = await this.api('GET', '/api/accounts?status=all&page_size=200', { token: adminToken });
      assert.equal(r.status, 200, r.text);
      return r.json.items.every((a) => a.refreshing === false);
    }, { timeoutMs, intervalMs: 25, what: 'no account refreshing' });
  }

  // The parsed JSON log lines on stderr.
  logs() {
    const out = [];
    for (const l of this.stderrLines) {
      if (!l.startsWith('{')) continue;
      try {
        out.push(JSON.parse(l));
      } catch {
        /* not a log line */
      }
    }
    return out;
  }

  // Waits for the access-log line of the request with this id (lines are written after the response).
  async accessLogOf(requestId, { timeoutMs = 5000 } = {}) {
    return waitFor(() => this.logs().filter((e) => e.msg === 'http_request' && e.request_id === requestId).at(0),
                   { timeoutMs, what: `access log line of ${requestId}` });
  }

  // Audit log entries (admin token) matching a query string such as "action=credentials.export".
  async audit(adminToken, query = '') {
    const r = await this.api('GET', `/api/admin/audit-log${query ? '?' + query : ''}`, { token: adminToken });
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  }
}

export const startPlatform = (options) => Platform.start(options);

// Asserts the one error body: {"error":{"code","message","request_id"[,"field"]}} with request_id equal to the
// X-Request-Id response header. `field` is required for 422 and must then match; otherwise absent unless given.
export function assertError(res, status, code, { field, message } = {}) {
  const ctx = `${res.status} ${res.text}`;
  assert.equal(res.status, status, `status: ${ctx}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, `content-type: ${ctx}`);
  assert.ok(res.json && typeof res.json === 'object', `JSON body: ${ctx}`);
  assert.deepEqual(Object.keys(res.json), ['error'], `only "error" at the top: ${ctx}`);
  const e = res.json.error;
  const expectedKeys = ['code', 'message', 'request_id'];
  if (status === 422 || field !== undefined) expectedKeys.push('field');
  assert.deepEqual(Object.keys(e).sort(), expectedKeys.sort(), `error keys: ${ctx}`);
  assert.equal(e.code, code, `error code: ${ctx}`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0, `non-empty message: ${ctx}`);
  if (message instanceof RegExp) assert.match(e.message, message);
  else if (message !== undefined) assert.equal(e.message, message);
  assert.equal(typeof e.request_id, 'string');
  assert.ok(e.request_id.length > 0, `request_id: ${ctx}`);
  assert.equal(e.request_id, res.headers.get('x-request-id'), `request_id equals X-Request-Id: ${ctx}`);
  if (field !== undefined) assert.equal(e.field, field, `field: ${ctx}`);
  else if (status === 422) assert.equal(typeof e.field, 'string');
}

// Asserts a success status with a readable message on failure.
export function assertStatus(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status} ${res.text}`);
}

// Runs sqlite3 on a data dir's database (server stopped). Resolves stdout.
export function sqlite(dataDir, sql) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sqlite3', ['-bail', join(dataDir, 'account-platform.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`sqlite3 failed (${code}): ${err}\n${sql}`));
      else resolvePromise(out);
    });
    child.stdin.end(sql);
  });
}

let counter = 0;
// A unique suffix for names and ids within this process.
export function unique(prefix = 'x') {
  counter += 1;
  return `${prefix}${process.pid}${counter}`;
}

// A unique 12-digit AWS account id.
let accountCounter = 0;
export function accountId() {
  accountCounter += 1;
  return String(100000000000 + ((process.pid * 1000 + accountCounter) % 899999999999));
}
