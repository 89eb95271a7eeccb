// Test harness of the integration suite: runs the real `account-platform` binary on a loopback port with a
// fresh data directory and speaks HTTP to it.
//
//   const p = await startPlatform();            // admin from AP_ADMIN_EMAIL / AP_ADMIN_PASSWORD (see ADMIN)
//   const token = await p.login(ADMIN.email, ADMIN.password);
//   const res = await p.api('GET', '/api/auth/me', { token });   // → { status, headers, json, text }
//   await p.stop();                              // SIGTERM, wait for exit, remove the data dir
//
// No fixed sleeps: everything that waits polls with a deadline (waitFor).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = process.env.AP_REPO_ROOT ? resolve(process.env.AP_REPO_ROOT) : resolve(here, '../../../..');

export const BINARY = process.env.AP_BINARY || resolve(REPO_ROOT, 'build-it/bin/account-platform');

// The admin every test server starts with unless the test asks for the generated first admin.
export const ADMIN = Object.freeze({ email: 'admin@example.com', password: 'admin-password-0123' });

// Cheap argon2id so that logins do not dominate the run time.
export const HASH_ARGS = ['--password-hash-memory-kib', '8192'];

const START_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 15000;

// Polls `fn` until it returns a truthy value; fails with `what` after `timeoutMs`.
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function makeTempDir(prefix = 'ap-it-') {
  return mkdtemp(join(tmpdir(), prefix));
}

// The environment of a child: ours without any AP_* variable, plus `env`. A key set to undefined is dropped.
// AWS is never reached from tests: every AWS_* variable of ours is dropped, AWS endpoints point at loopback (a
// closed port unless the test gives the simulator's URL) and the EC2 metadata service is off.
function childEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AP_') && !k.startsWith('AWS_')) out[k] = v;
  }
  out.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  out.AWS_EC2_METADATA_DISABLED = 'true';
  for (const [k, v] of Object.entries(env || {})) {
    if (v === undefined) delete out[k];
    else out[k] = String(v);
  }
  return out;
}

// Collects a stream's output as complete lines.
function lineCollector(stream, lines) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    partial += chunk;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      lines.push(partial.slice(0, nl));
      partial = partial.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (partial) lines.push(partial);
    partial = '';
  });
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
  static async start({ dataDir, admin = ADMIN, args = [], env = {} } = {}) {
    const p = new Platform();
    p.ownsDataDir = !dataDir;
    p.dataDir = dataDir || (await makeTempDir());
    const adminEnv = admin ? { AP_ADMIN_EMAIL: admin.email, AP_ADMIN_PASSWORD: admin.password } : {};
    const fullArgs = ['serve', '--listen', '127.0.0.1:0', '--data-dir', p.dataDir, ...HASH_ARGS, ...args];
    const child = spawn(BINARY, fullArgs, { env: childEnv({ ...adminEnv, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    p.child = child;
    p.exited = new Promise((resolveExit) => {
      child.on('close', (code, signal) => { // after stdout and stderr are drained
        p.exit = { code, signal };
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

  async kill() {
    if (!this.exit) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  // SIGTERM, then waits for the exit. Resolves { code, signal }. Removes the data dir unless keepDataDir (or the
  // caller passed its own dataDir to start()).
  async stop({ keepDataDir = false } = {}) {
    if (!this.exit) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.ownsDataDir && !keepDataDir) await rm(this.dataDir, { recursive: true, force: true });
    return this.exit;
  }

  // Stops (keeping the data dir), runs `between(dataDir)` if given (e.g. to edit the database with sqlite()),
  // and starts again on the same data dir with `options`. Resolves the new Platform.
  async restart(options = {}, between = undefined) {
    const exit = await this.stop({ keepDataDir: true });
    assert.equal(exit.code, 0, `the server should stop cleanly, got ${JSON.stringify(exit)}`);
    if (between) await between(this.dataDir);
    const next = await Platform.start({ ...options, dataDir: this.dataDir });
    next.ownsDataDir = this.ownsDataDir;
    return next;
  }

  url(path) {
    return this.baseUrl + path;
  }

  // One HTTP request. body: an object/array (sent as JSON) or a string/Buffer (sent as is, see rawBody).
  // Resolves { status, headers (Headers), json (parsed body or undefined), text }.
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

  // Registers an access-key account as `adminToken`; returns the account JSON.
  async createAccount(adminToken, overrides = {}) {
    const body = {
      account_id: overrides.account_id,
      account_name: overrides.account_name ?? `Account ${overrides.account_id}`,
      regions: overrides.regions ?? ['us-east-1'],
      teams: overrides.teams ?? [],
      credentials: overrides.credentials ?? {
        type: 'access_key',
        access_key_id: 'AKIAIOSFODNN7EXAMPLE',
        secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    };
    const r = await this.api('POST', '/api/accounts', { token: adminToken, body });
    assert.equal(r.status, 201, `creating account ${body.account_id}: ${r.status} ${r.text}`);
    return r.json;
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
