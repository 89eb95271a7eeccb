// The login throttle on the wire (issue 8, finding 5), with real client addresses: the server listens on
// 127.0.0.1 and each "client" connects from its own loopback address (127.0.0.x), so the throttle sees them as
// different addresses. Policy: docs/operations.md "Login throttling".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN, Platform, sqlite, waitFor } from './lib/platform.mjs';

// POST /api/auth/login from `localAddress`. Resolves { status, retryAfter, code }.
function loginFrom(p, localAddress, email, password) {
  const body = JSON.stringify({ email, password });
  return new Promise((resolvePromise, reject) => {
    const req = http.request(p.url('/api/auth/login'), {
      method: 'POST', localAddress, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => {
        let code;
        try { code = JSON.parse(text).error?.code; } catch { /* a success body */ }
        resolvePromise({ status: res.statusCode, retryAfter: res.headers['retry-after'], code });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('login throttle', () => {
  let p;
  before(async () => {
    p = await Platform.start({ sim: null });
  });
  after(async () => {
    if (p) await p.stop();
  });

  test('a lock from one address does not lock the owner out from another, and survives a restart', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await loginFrom(p, '127.0.0.2', ADMIN.email, `wrong-${i}-xxxx`)).status, 401);
    }
    const locked = await loginFrom(p, '127.0.0.2', ADMIN.email, ADMIN.password);
    assert.equal(locked.status, 429);
    assert.equal(locked.code, 'rate_limited');
    assert.ok(Number(locked.retryAfter) >= 1, `Retry-After: ${locked.retryAfter}`);
    assert.equal((await loginFrom(p, '127.0.0.1', ADMIN.email, ADMIN.password)).status, 200, 'the owner elsewhere');

    // The counters live in the database: a restarted server (or another instance) remembers the 5 failures, so
    // once the wait is over, the next failure locks again at once (a fresh in-memory count would allow 5 more).
    let rows;
    p = await p.restart({ sim: null }, async (dir) => {
      rows = await sqlite(dir, "SELECT attempts FROM login_throttles WHERE throttle_key LIKE 'login:%@127.0.0.2';");
    });
    assert.equal(rows.trim(), '5');
    await waitFor(async () => (await loginFrom(p, '127.0.0.2', ADMIN.email, 'wrong-again-xx')).status === 401,
      { timeoutMs: 10000, intervalMs: 100, what: 'the 1 s wait to end' });
    assert.equal((await loginFrom(p, '127.0.0.2', ADMIN.email, ADMIN.password)).status, 429, 'locked again at once');
  });

  test('the per-address budget stops a sprayer after 100 failures, without touching other addresses', async () => {
    for (let i = 0; i < 100; i++) {
      const r = await loginFrom(p, '127.0.0.3', `spray-${i}@example.com`, 'guess-12345');
      assert.equal(r.status, 401, `attempt ${i}`);
    }
    const stopped = await loginFrom(p, '127.0.0.3', 'spray-100@example.com', 'guess-12345');
    assert.equal(stopped.status, 429);
    assert.ok(Number(stopped.retryAfter) >= 1);
    assert.equal((await loginFrom(p, '127.0.0.3', ADMIN.email, ADMIN.password)).status, 429, 'any email from there');
    assert.equal((await loginFrom(p, '127.0.0.4', ADMIN.email, ADMIN.password)).status, 200, 'another address');
  });
});
