// Start-up and process behaviour: first admin, master key, fail-fast options, health, request ids, access log,
// graceful stop, offline `user add`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat, writeFile, rm, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import net from 'node:net';
import {
  ADMIN, HASH_ARGS, Platform, addUserOffline, assertError, assertStatus, makeTempDir, runBinary,
} from './lib/platform.mjs';

// Lines of stderr that are not JSON log lines.
function plainLines(stderr) {
  return stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('{'));
}

describe('first start', () => {
  let p;
  let dataDir;
  after(async () => {
    if (p) await p.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('creates the first admin with a generated password, printed once', async () => {
    dataDir = await makeTempDir();
    p = await Platform.start({ dataDir, admin: null });
    const lines = p.stdoutLines.filter((l) => l.startsWith('First admin created'));
    assert.equal(lines.length, 1, p.stdoutLines.join('\n'));
    const m = /^First admin created: admin@localhost {2}password: (\S+) {2}\(shown once/.exec(lines[0]);
    assert.ok(m, lines[0]);
    const password = m[1];
    assert.ok(password.length >= 16, 'a generated password is long');
    // The password is on stdout only: never in the logs.
    assert.ok(!p.stderrLines.some((l) => l.includes(password)), 'password must not be logged');

    const login = await p.api('POST', '/api/auth/login', { body: { email: 'admin@localhost', password } });
    assertStatus(login, 200);
    assert.equal(login.json.user.role, 'admin');

    // Second start on the same data dir: nothing about a first admin, the password is not shown again.
    p = await p.restart({ admin: null });
    assert.ok(!p.stdoutLines.some((l) => /first admin/i.test(l) || l.includes(password)), p.stdoutLines.join('\n'));
    assert.ok(!p.stderrLines.some((l) => l.includes(password)));
    // Still the same admin with the same password.
    await p.login('admin@localhost', password);
  });

  test('creates master.key readable by its owner only', async () => {
    const st = await stat(join(dataDir, 'master.key'));
    assert.ok(st.isFile());
    assert.equal(st.mode & 0o777, 0o600, `mode ${(st.mode & 0o777).toString(8)}`);
    const key = (await readFile(join(dataDir, 'master.key'), 'utf8')).trim();
    assert.ok(key.length >= 32, 'the key file holds a key');
    assert.ok(!p.stderrLines.some((l) => l.includes(key)), 'the key is never logged');
    assert.ok(!p.stdoutLines.some((l) => l.includes(key)), 'the key is never printed');
  });

  test('uses AP_ADMIN_EMAIL and AP_ADMIN_PASSWORD when given and prints no password', async () => {
    const q = await Platform.start();
    try {
      const lines = q.stdoutLines.filter((l) => l.startsWith('First admin created'));
      assert.equal(lines.length, 1);
      assert.ok(lines[0].includes(ADMIN.email), lines[0]);
      assert.ok(!lines[0].includes('password'), `no password is printed when it was given: ${lines[0]}`);
      assert.ok(!q.stdoutLines.concat(q.stderrLines).some((l) => l.includes(ADMIN.password)));
      await q.login(ADMIN.email, ADMIN.password);
    } finally {
      await q.stop();
    }
  });
});

describe('fail fast', () => {
  let dir;
  before(async () => {
    dir = await makeTempDir();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('an invalid option value exits non-zero with one clear line', async () => {
    const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'd1'), '--log-level', 'loud']);
    assert.notEqual(r.code, 0);
    const lines = plainLines(r.stderr);
    assert.ok(lines.length >= 1, `stderr: ${r.stderr}`);
    assert.match(lines[0], /--log-level/, `the line names the option: ${r.stderr}`);
    assert.match(lines[0], /loud/, `the line names the bad value: ${r.stderr}`);
    // CLI11 adds a generic hint; nothing else (no usage dump, no log noise).
    assert.ok(lines.length === 1 || (lines.length === 2 && /--help/.test(lines[1])), `stderr: ${r.stderr}`);
    assert.ok(!r.stdout.includes('listening'), r.stdout);
  });

  test('an invalid duration exits non-zero with a line naming the option',
    async () => {
      const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'd2'), ...HASH_ARGS,
        '--session-ttl', '5x']);
      assert.notEqual(r.code, 0);
      const lines = plainLines(r.stderr);
      assert.equal(lines.length, 1, `one line: ${r.stderr}`);
      assert.match(lines[0], /--session-ttl/, `the line names the option: ${r.stderr}`);
    });

  test('a bad first-admin email or password exits non-zero with a line naming the variable', async () => {
    for (const [env, name] of [[{ AP_ADMIN_EMAIL: 'admin@example.com', AP_ADMIN_PASSWORD: 'short' }, 'AP_ADMIN_PASSWORD'],
      [{ AP_ADMIN_EMAIL: 'not-an-email', AP_ADMIN_PASSWORD: 'long-enough-password' }, 'AP_ADMIN_EMAIL']]) {
      const d = join(dir, `admin-${name}`);
      const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', d, ...HASH_ARGS], { env });
      assert.notEqual(r.code, 0, `${name}: ${r.stdout}`);
      const lines = plainLines(r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0].includes(name), r.stderr);
      assert.ok(!r.stdout.includes('First admin created'), r.stdout);
      assert.ok(!r.stderr.includes('short'), 'the rejected password is not echoed');
      // Fixing the variable lets the next start succeed on the same data dir.
      const ok = await Platform.start({ dataDir: d });
      try {
        await ok.login(ADMIN.email, ADMIN.password);
      } finally {
        await ok.stop();
      }
    }
  });

  test('a port in use exits non-zero with a clear line', async () => {
    const blocker = net.createServer();
    await new Promise((res) => blocker.listen(0, '127.0.0.1', res));
    const port = blocker.address().port;
    try {
      const r = await runBinary(['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', join(dir, 'd3'), ...HASH_ARGS],
        { env: { AP_ADMIN_EMAIL: ADMIN.email, AP_ADMIN_PASSWORD: ADMIN.password } });
      assert.notEqual(r.code, 0);
      const lines = plainLines(r.stderr);
      assert.equal(lines.length, 1, `one line: ${r.stderr}`);
      assert.match(lines[0], /in use/, r.stderr);
      assert.ok(lines[0].includes(String(port)), `the line names the address: ${r.stderr}`);
      assert.ok(!r.stdout.includes('listening'));
    } finally {
      await new Promise((res) => blocker.close(res));
    }
  });

  test('a data dir that cannot be created exits non-zero with a clear line', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const bad = join(file, 'data');
    const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', bad, ...HASH_ARGS]);
    assert.notEqual(r.code, 0);
    const lines = plainLines(r.stderr);
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.ok(lines[0].includes(bad), `the line names the path: ${r.stderr}`);
    assert.ok(!r.stdout.includes('listening'));
  });

  test('a data dir that is a regular file exits non-zero', async () => {
    const file = join(dir, 'another-file');
    await writeFile(file, 'x');
    const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', file, ...HASH_ARGS]);
    assert.notEqual(r.code, 0);
    assert.equal(plainLines(r.stderr).length, 1, r.stderr);
    assert.ok(!r.stdout.includes('listening'));
  });

  test('a corrupt database exits non-zero with a clear line', async () => {
    const d = join(dir, 'corrupt');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(d);
    await writeFile(join(d, 'account-platform.db'), 'this is not an SQLite database, just text '.repeat(200));
    const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', d, ...HASH_ARGS]);
    assert.notEqual(r.code, 0);
    assert.equal(plainLines(r.stderr).length, 1, r.stderr);
    assert.ok(!r.stdout.includes('listening'));
  });
});

describe('running server', () => {
  let p;
  let adminToken;
  let adminId;
  before(async () => {
    p = await Platform.start();
    const r = await p.api('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    adminToken = r.json.token;
    adminId = r.json.user.user_id;
  });
  after(async () => {
    if (p) await p.stop();
  });

  test('/health and /ready answer 200 without a login', async () => {
    const h = await p.api('GET', '/health');
    assertStatus(h, 200);
    assert.deepEqual(h.json, { status: 'ok' });
    const r = await p.api('GET', '/ready');
    assertStatus(r, 200);
    assert.deepEqual(r.json, { status: 'ready' });
  });

  test('X-Request-Id is echoed when valid and generated otherwise', async () => {
    const given = await p.api('GET', '/health', { headers: { 'X-Request-Id': 'it-req-0001' } });
    assert.equal(given.headers.get('x-request-id'), 'it-req-0001');

    const a = await p.api('GET', '/health');
    const b = await p.api('GET', '/health');
    const ida = a.headers.get('x-request-id');
    const idb = b.headers.get('x-request-id');
    assert.ok(ida && ida.length >= 8, `generated id: ${ida}`);
    assert.notEqual(ida, idb, 'each request gets its own id');

    // An id that could break a log line or a header is replaced.
    const bad = await p.api('GET', '/health', { headers: { 'X-Request-Id': 'has spaces "quotes"' } });
    const badId = bad.headers.get('x-request-id');
    assert.ok(badId && badId !== 'has spaces "quotes"', badId);
    assert.match(badId, /^[A-Za-z0-9._:-]+$/);

    // Error bodies carry the same id.
    const err = await p.api('GET', '/api/auth/me', { headers: { 'X-Request-Id': 'it-req-0002' } });
    assertError(err, 401, 'unauthenticated');
    assert.equal(err.json.error.request_id, 'it-req-0002');
  });

  test('X-Request-Id: up to 128 characters are kept, longer ones replaced', async () => {
    const ok = 'a'.repeat(128);
    assert.equal((await p.api('GET', '/health', { headers: { 'X-Request-Id': ok } })).headers.get('x-request-id'), ok);
    const long = 'b'.repeat(129);
    const r = await p.api('GET', '/health', { headers: { 'X-Request-Id': long } });
    assert.notEqual(r.headers.get('x-request-id'), long);
    assert.ok(r.headers.get('x-request-id'));
  });

  test('/api/openapi.json is public and describes an OpenAPI 3 API', async () => {
    const r = await p.api('GET', '/api/openapi.json');
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    assert.match(String(r.json.openapi), /^3\./);
    assert.equal(typeof r.json.paths, 'object');
  });

  test('writes one JSON access-log line per request', async () => {
    const rid = 'it-log-0001';
    const r = await p.api('GET', '/api/accounts/123456789012', { token: adminToken, headers: { 'X-Request-Id': rid } });
    assertError(r, 404, 'not_found');
    const entry = await p.accessLogOf(rid);
    assert.equal(entry.method, 'GET');
    assert.equal(entry.route, '/api/accounts/{id}', 'the route pattern, not the raw path');
    assert.equal(entry.status, 404);
    assert.equal(typeof entry.duration_ms, 'number');
    assert.ok(entry.duration_ms >= 0);
    assert.equal(entry.request_id, rid);
    assert.equal(entry.user_id, adminId);
    assert.equal(typeof entry.ts, 'string');

    const anon = 'it-log-0002';
    await p.api('GET', '/health', { headers: { 'X-Request-Id': anon } });
    const e2 = await p.accessLogOf(anon);
    assert.equal(e2.status, 200);
    assert.equal(e2.route, '/health');
    assert.equal(e2.user_id, '', 'no user for an anonymous request');

    // Exactly one line per request, also for requests that never reach a route.
    const unknown = 'it-log-0003';
    await p.api('GET', '/api/no-such-thing', { headers: { 'X-Request-Id': unknown } });
    const e3 = await p.accessLogOf(unknown);
    assert.equal(e3.status, 404);
    // Give a duplicate line a chance to show up, then count (the next request's line proves the writer moved on).
    await p.api('GET', '/health', { headers: { 'X-Request-Id': 'it-log-0004' } });
    await p.accessLogOf('it-log-0004');
    for (const id of [rid, anon, unknown]) {
      const n = p.logs().filter((e) => e.msg === 'http_request' && e.request_id === id).length;
      assert.equal(n, 1, `one line for ${id}`);
    }
    // Every stderr line is JSON.
    for (const l of p.stderrLines) assert.doesNotThrow(() => JSON.parse(l), `not JSON: ${l}`);
  });

  test('SIGTERM stops the server with exit code 0', async () => {
    const exit = await p.stop();
    p = null;
    assert.deepEqual(exit, { code: 0, signal: null });
  });
});

describe('user add', () => {
  let p;
  after(async () => {
    if (p) await p.stop();
  });

  test('creates users offline that can then log in', async () => {
    const dataDir = await makeTempDir();
    // The first server creates the database; users are then added with the server stopped.
    p = await Platform.start({ dataDir });
    p.ownsDataDir = true;
    await p.stop({ keepDataDir: true });

    const withPassword = await addUserOffline(dataDir, {
      email: 'Cli.User@Example.com', role: 'user', teams: ['team-b', 'team-a'], password: 'cli-password-0123',
    });
    assert.match(withPassword.stdout, /Created user cli\.user@example\.com/);
    assert.ok(!withPassword.stdout.includes('cli-password-0123'), 'a given password is not echoed');

    const generated = await addUserOffline(dataDir, { email: 'cli.admin@example.com', role: 'admin' });
    const m = /password: (\S+) {2}\(shown once\)/.exec(generated.stdout);
    assert.ok(m, generated.stdout);

    const dup = await runBinary(['user', 'add', '--email', 'cli.user@example.com', '--data-dir', dataDir, ...HASH_ARGS]);
    assert.notEqual(dup.code, 0, 'a duplicate email fails');
    assert.equal(plainLines(dup.stderr).length, 1, dup.stderr);

    const bad = await runBinary(['user', 'add', '--email', 'not-an-email', '--data-dir', dataDir, ...HASH_ARGS]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /email/);

    const q = await Platform.start({ dataDir });
    q.ownsDataDir = true;
    p = q;
    const r = await q.api('POST', '/api/auth/login', { body: { email: 'cli.user@example.com', password: 'cli-password-0123' } });
    assertStatus(r, 200);
    assert.equal(r.json.user.role, 'user');
    assert.deepEqual(r.json.user.teams, ['team-a', 'team-b']);
    const me = await q.api('GET', '/api/auth/me', { token: r.json.token });
    assertStatus(me, 200);
    assert.equal(me.json.email, 'cli.user@example.com');

    const admin = await q.api('POST', '/api/auth/login', { body: { email: 'cli.admin@example.com', password: m[1] } });
    assertStatus(admin, 200);
    assert.equal(admin.json.user.role, 'admin');
    const users = await q.api('GET', '/api/admin/users', { token: admin.json.token });
    assertStatus(users, 200);
  });
});
