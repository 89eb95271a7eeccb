// Storage an anonymous client can grow stays bounded (issue 8, findings 4, 6 and 12), against the real binary:
// failed logins coalesce into counted audit entries, a user's sessions are capped, the database files are the
// owner's alone, and --audit-retention is validated at startup.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN, Platform, assertStatus, runBinary, waitFor } from './lib/platform.mjs';

describe('audit growth', () => {
  let p;
  let adminToken;
  before(async () => {
    p = await Platform.start({ sim: null });
    adminToken = await p.login(ADMIN.email, ADMIN.password);
  });
  after(async () => {
    if (p) await p.stop();
  });

  test('200 failed logins for one email from one address leave at most 2 audit entries, counting all 200', async () => {
    const email = 'nobody-here@example.com';
    const userAgent = 'A'.repeat(512);
    for (let i = 0; i < 200; i++) {
      const r = await p.api('POST', '/api/auth/login', {
        body: { email, password: `wrong-password-${i}` },
        headers: { 'User-Agent': userAgent },
      });
      assert.ok([401, 429].includes(r.status), `attempt ${i}: ${r.status} ${r.text}`);
    }
    // Every anonymous login entry on this fresh server comes from the loop above.
    const entries = await p.audit(adminToken, 'action=auth.login&actor_id=anonymous&page_size=1000');
    assert.ok(entries.length >= 1 && entries.length <= 2, JSON.stringify(entries, null, 1));
    let sum = 0;
    for (const e of entries) {
      assert.equal(e.client_ip, '127.0.0.1');
      assert.ok(Number.isInteger(e.count) && e.count >= 1, `count: ${e.count}`);
      assert.ok(Date.parse(e.last_at) >= Date.parse(e.at), `last_at ${e.last_at} before at ${e.at}`);
      sum += e.count;
    }
    assert.equal(sum, 200);
    const forEmail = await p.audit(adminToken, `action=auth.login&target_id=${encodeURIComponent(email)}`);
    assert.ok(forEmail.length <= 2, JSON.stringify(forEmail, null, 1));
  });

  test('audit entries carry count and last_at; a successful login is its own entry', async () => {
    const entries = await p.audit(adminToken, 'action=auth.login&outcome=success');
    assert.ok(entries.length >= 1);
    for (const e of entries) {
      assert.equal(e.count, 1);
      assert.equal(e.last_at, e.at);
    }
  });

  test("a user's sessions are capped: the oldest login stops working after 20 newer ones", async () => {
    const u = await p.createUser(adminToken, { email: 'many-logins@example.com' });
    const first = u.token; // createUser logged in once
    assertStatus(await p.api('GET', '/api/auth/me', { token: first }), 200);
    let last;
    for (let i = 0; i < 20; i++) last = await p.login(u.user.email, u.password);
    // Evicted in the store at once; this instance may trust its principal cache for up to --cache-ttl (5s).
    await waitFor(async () => (await p.api('GET', '/api/auth/me', { token: first })).status === 401,
                  { timeoutMs: 15000, intervalMs: 200, what: 'the oldest session to be evicted' });
    assertStatus(await p.api('GET', '/api/auth/me', { token: last }), 200);
  });

  test('the database and its -wal and -shm files are readable by their owner only', async () => {
    const db = join(p.dataDir, 'account-platform.db');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      const s = await stat(f);
      assert.equal(s.mode & 0o777, 0o600, `${f}: ${(s.mode & 0o777).toString(8)}`);
    }
  });

  test('--audit-retention below a year is refused at startup', async () => {
    const r = await runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', p.dataDir, '--audit-retention', '30d']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--audit-retention/);
  });
});
