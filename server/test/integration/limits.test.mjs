// Protocol-level limits and error mapping: body size, unknown paths, wrong methods, malformed input, and a 500
// that does not leak internal text.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN, Platform, assertError, assertStatus, sqlite, waitFor } from './lib/platform.mjs';

const MiB = 1024 * 1024;

// Parses a raw node:http response into the { status, headers, json, text } shape of Platform.api.
function rawRequest(p, { method, path, headers = {}, chunks = [] }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: p.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), json, text });
      });
    });
    req.on('error', reject);
    (async () => {
      for (const c of chunks) {
        if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(() => {});
  });
}

describe('limits', () => {
  let p;
  let adminToken;
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
  });
  after(async () => {
    if (p) await p.stop();
  });

  test('a body over 1 MiB is 413 with the JSON error; exactly 1 MiB is read', async () => {
    const over = await p.api('POST', '/api/auth/login', {
      rawBody: 'x'.repeat(MiB + 1), headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'it-413' },
    });
    assertError(over, 413, 'payload_too_large');
    assert.equal(over.json.error.request_id, 'it-413');

    // At the limit: parsed (and then judged on its content).
    const prefix = '{"email":"nobody@example.com","password":"wrong-password","pad":"';
    const body = prefix + 'a'.repeat(MiB - prefix.length - 2) + '"}';
    assert.equal(Buffer.byteLength(body), MiB);
    const at = await p.api('POST', '/api/auth/login', { rawBody: body, headers: { 'Content-Type': 'application/json' } });
    assertError(at, 401, 'unauthenticated');

    // The server is still fine.
    assertStatus(await p.api('GET', '/health'), 200);
  });

  test('a chunked body over 1 MiB is 413 too', async () => {
    const chunk = 'y'.repeat(64 * 1024);
    const r = await rawRequest(p, {
      method: 'POST', path: '/api/accounts',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', 'X-Request-Id': 'it-413-chunked' },
      chunks: Array(20).fill(chunk),
    });
    assertError(r, 413, 'payload_too_large');
    assert.equal(r.json.error.request_id, 'it-413-chunked');
  });

  test('headers over the limit are 431 with the JSON error', async () => {
    const r = await rawRequest(p, { method: 'GET', path: '/health', headers: { 'X-Big': 'z'.repeat(20 * 1024) } });
    assertError(r, 431, 'headers_too_large');
  });

  test('unknown paths are 404 JSON', async () => {
    for (const path of ['/api/nothing-here', '/api/accounts/111111111111/nothing', '/api/admin', '/api', '/api/metrics', '/metrics/extra', '/index.html',
      '/api/accounts/111111111111/quota/extra']) {
      const r = await p.api('GET', path, { token: adminToken });
      assertError(r, 404, 'not_found');
    }
    // Also without a login: an unknown route does not demand one.
    assertError(await p.api('GET', '/api/nothing-here'), 404, 'not_found');
  });

  test('a wrong method is 405 with Allow', async () => {
    const cases = [
      ['DELETE', '/api/auth/me', ['GET']],
      ['GET', '/api/auth/login', ['POST']],
      ['PUT', '/api/accounts', ['GET', 'POST']],
      ['POST', '/api/accounts/111111111111', ['DELETE', 'GET', 'PATCH']],
      ['DELETE', '/api/admin/quota-config', ['GET', 'PUT']],
      ['POST', '/health', ['GET']],
    ];
    for (const [method, path, allow] of cases) {
      const r = await p.api(method, path, { token: adminToken });
      assertError(r, 405, 'method_not_allowed');
      const got = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      assert.deepEqual(got, allow, `${method} ${path}: Allow ${r.headers.get('allow')}`);
    }
  });

  test('HEAD on a GET route answers without a body', async () => {
    const r = await p.api('HEAD', '/health');
    assertStatus(r, 200);
    assert.equal(r.text, '');
  });

  test('HEAD announces the Content-Length a GET would send (or none)',
    async () => {
      for (const path of ['/health', '/api/auth/me']) {
        const headers = { Authorization: `Bearer ${adminToken}` };
        const get = await rawRequest(p, { method: 'GET', path, headers });
        const head = await rawRequest(p, { method: 'HEAD', path, headers });
        assertStatus(head, 200);
        const len = head.headers.get('content-length');
        assert.ok(len === null || len === String(Buffer.byteLength(get.text)), `${path}: HEAD Content-Length ${len}, GET body ${Buffer.byteLength(get.text)} bytes`);
      }
    });

  test('malformed input is 400 bad_request', async () => {
    for (const rawBody of ['{', 'null', '"a string"', '[]', '{"email": "a@b.c",}', '']) {
      const r = await p.api('POST', '/api/admin/teams', { token: adminToken, rawBody, headers: { 'Content-Type': 'application/json' } });
      assertError(r, 400, 'bad_request');
    }
    const enc = await p.api('GET', '/api/accounts/%zz', { token: adminToken });
    assertError(enc, 400, 'bad_request');
  });

  test('a 500 never echoes internal text; the log has it under the request id', async () => {
    await p.createAccount(adminToken, { account_id: '121212121212' });
    // Its first refresh is over before the restart (so that what follows does not depend on the timing of background refreshes).
    await p.waitNoRefresh(adminToken);
    // Break the sealed credentials behind the server's back.
    p = await p.restart({}, (dir) => sqlite(dir,
      "UPDATE accounts SET sealed_credentials = X'00112233445566778899' WHERE account_id = '121212121212';"));
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    const r = await p.api('GET', '/api/accounts/121212121212/credentials', { token: adminToken, headers: { 'X-Request-Id': 'it-500' } });
    assertError(r, 500, 'internal');
    assert.equal(r.json.error.request_id, 'it-500');
    assert.ok(!/decrypt|seal|vault|sqlite|credential|exception|\.cc\b/i.test(r.json.error.message), r.json.error.message);
    // The operator finds the cause by the request id.
    const logged = await waitFor(() => p.logs().find((e) => e.level === 'error' && e.request_id === 'it-500' && e.msg !== 'http_request'),
      { what: 'the internal error in the log, under the request id' });
    assert.match(JSON.stringify(logged), /decrypt/);
    const access = await p.accessLogOf('it-500');
    assert.equal(access.status, 500);
    // The failed export is audited.
    const audit = await p.audit(adminToken, 'action=credentials.export&target_id=121212121212');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].outcome, 'failure');
    // Other accounts are unaffected.
    assertStatus(await p.api('GET', '/api/accounts/121212121212', { token: adminToken }), 200);
  });
});
