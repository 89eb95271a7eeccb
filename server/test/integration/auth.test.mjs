// Login, sessions (bearer and cookie), CSRF rule, throttling, logout, disabled users.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus, waitFor } from './lib/platform.mjs';

describe('auth', () => {
  let p;
  let adminToken;
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
  });
  after(async () => {
    if (p) await p.stop();
  });

  test('login returns a token, the user and an HttpOnly SameSite=Strict session cookie', async () => {
    const r = await p.api('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    assertStatus(r, 200);
    assert.equal(typeof r.json.token, 'string');
    assert.ok(r.json.token.length >= 32, 'a long random token');
    assert.equal(r.json.user.email, ADMIN.email);
    assert.equal(r.json.user.role, 'admin');
    assert.equal(r.json.user.disabled, false);
    assert.ok(!('password_hash' in r.json.user) && !('password' in r.json.user), 'no password material');
    assert.ok(!r.text.includes('argon2'), 'no hash in the body');
    assert.match(r.json.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.ok(Date.parse(r.json.expires_at) > Date.now(), 'expires in the future');

    const cookie = r.headers.get('set-cookie');
    assert.ok(cookie, 'Set-Cookie present');
    assert.ok(cookie.startsWith(`ap_session=${r.json.token};`), cookie);
    const attrs = cookie.split(';').map((s) => s.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), cookie);
    assert.ok(attrs.includes('samesite=strict'), cookie);
    assert.ok(attrs.includes('path=/'), cookie);
    assert.ok(!attrs.includes('secure'), 'not Secure unless --cookie-secure');
    assert.ok(attrs.includes('max-age=43200'), `Max-Age is the 12h session lifetime: ${cookie}`);
    assert.match(r.headers.get('cache-control') || '', /no-store/);
  });

  test('login email is case-insensitive', async () => {
    const r = await p.api('POST', '/api/auth/login', {
      body: { email: `  ${ADMIN.email.toUpperCase()} `, password: ADMIN.password },
    });
    assertStatus(r, 200);
  });

  test('a wrong password gets 401 with the same message as an unknown email', async () => {
    const wrong = await p.api('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'not-the-password' } });
    assertError(wrong, 401, 'unauthenticated');
    const unknown = await p.api('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'whatever-123' } });
    assertError(unknown, 401, 'unauthenticated');
    assert.equal(wrong.json.error.message, unknown.json.error.message);
    assert.ok(!('set-cookie' in Object.fromEntries(wrong.headers)), 'no cookie on failure');
  });

  test('login validation: malformed JSON → 400, missing fields → 422', async () => {
    const bad = await p.api('POST', '/api/auth/login', { rawBody: '{"email":', headers: { 'Content-Type': 'application/json' } });
    assertError(bad, 400, 'bad_request');
    const missing = await p.api('POST', '/api/auth/login', { body: { email: ADMIN.email } });
    assertError(missing, 422, 'validation_failed', { field: 'password' });
  });

  test('after 5 failures the email is throttled with 429 and Retry-After, even for the right password', async () => {
    const u = await p.createUser(adminToken, { email: 'throttled@example.com' });
    for (let i = 0; i < 5; i++) {
      const r = await p.api('POST', '/api/auth/login', { body: { email: 'throttled@example.com', password: `wrong-${i}-xxxx` } });
      assertError(r, 401, 'unauthenticated');
    }
    const t = await p.api('POST', '/api/auth/login', { body: { email: 'throttled@example.com', password: 'wrong-again-xx' } });
    assertError(t, 429, 'rate_limited');
    const retry = Number(t.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After: ${t.headers.get('retry-after')}`);

    const right = await p.api('POST', '/api/auth/login', { body: { email: 'THROTTLED@example.com', password: u.password } });
    assertError(right, 429, 'rate_limited');

    // Other emails are not affected.
    await p.login(ADMIN.email, ADMIN.password);

    // Once the wait is over the right password works again.
    const ok = await waitFor(async () => {
      const r = await p.api('POST', '/api/auth/login', { body: { email: 'throttled@example.com', password: u.password } });
      return r.status === 200 ? r : r.status === 429 ? null : assert.fail(`unexpected ${r.status} ${r.text}`);
    }, { timeoutMs: (retry + 3) * 1000, intervalMs: 200, what: 'the lockout to end' });
    assertStatus(ok, 200);

    // Failed and throttled logins are audited.
    const audit = await p.audit(adminToken, 'action=auth.login&outcome=denied');
    assert.ok(audit.length >= 1, 'a throttled login is audited as denied');
  });

  test('an unknown email is throttled the same way', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await p.api('POST', '/api/auth/login', { body: { email: 'ghost@example.com', password: `wrong-${i}-xxxx` } });
      assertError(r, 401, 'unauthenticated');
    }
    const t = await p.api('POST', '/api/auth/login', { body: { email: 'ghost@example.com', password: 'wrong-again-xx' } });
    assertError(t, 429, 'rate_limited');
    assert.ok(Number(t.headers.get('retry-after')) >= 1);
  });

  test('GET /api/auth/me returns the user of the token', async () => {
    const u = await p.createUser(adminToken, { email: 'me@example.com', teams: ['team-a'] });
    const r = await p.api('GET', '/api/auth/me', { token: u.token });
    assertStatus(r, 200);
    assert.equal(r.json.email, 'me@example.com');
    assert.equal(r.json.user_id, u.user.user_id);
    assert.equal(r.json.role, 'user');
    assert.deepEqual(r.json.teams, ['team-a']);
    assert.ok(!('password_hash' in r.json));

    assertError(await p.api('GET', '/api/auth/me'), 401, 'unauthenticated');
    assertError(await p.api('GET', '/api/auth/me', { token: 'not-a-real-token' }), 401, 'unauthenticated');
    assertError(await p.api('GET', '/api/auth/me', { headers: { Authorization: 'Basic abc' } }), 401, 'unauthenticated');
  });

  test('GET /api/auth/session answers 200 with the user or null, never 401', async () => {
    const u = await p.createUser(adminToken, { email: 'session@example.com', teams: ['team-s'] });
    for (const opts of [{ token: u.token }, { cookie: `ap_session=${u.token}` }]) {
      const r = await p.api('GET', '/api/auth/session', opts);
      assertStatus(r, 200);
      assert.equal(r.json.user.email, 'session@example.com');
      assert.equal(r.json.user.user_id, u.user.user_id);
      assert.deepEqual(r.json.user.teams, ['team-s']);
      assert.ok(!('password_hash' in r.json.user));
      assert.equal(r.headers.get('cache-control'), 'no-store');
    }
    // No session, an unknown token, a wrong scheme, a cookie of no session: all the logged-out answer.
    for (const opts of [
      {},
      { token: 'not-a-real-token' },
      { headers: { Authorization: 'Basic abc' } },
      { cookie: 'ap_session=not-a-real-token' },
    ]) {
      const r = await p.api('GET', '/api/auth/session', opts);
      assertStatus(r, 200);
      assert.deepEqual(r.json, { user: null }, JSON.stringify(opts));
    }
    // A session that ended is logged out too.
    const token = await p.login('session@example.com', u.password);
    assertStatus(await p.api('POST', '/api/auth/logout', { token }), 204);
    assert.deepEqual((await p.api('GET', '/api/auth/session', { token })).json, { user: null });
  });

  test('logout revokes the token', async () => {
    const token = await p.login(ADMIN.email, ADMIN.password);
    assertStatus(await p.api('GET', '/api/auth/me', { token }), 200);
    const out = await p.api('POST', '/api/auth/logout', { token });
    assertStatus(out, 204);
    const cleared = out.headers.get('set-cookie') || '';
    assert.match(cleared, /^ap_session=;/, 'the cookie is cleared');
    assert.match(cleared, /Max-Age=0/i);
    assertError(await p.api('GET', '/api/auth/me', { token }), 401, 'unauthenticated');
    // Other sessions of the same user live on.
    assertStatus(await p.api('GET', '/api/auth/me', { token: adminToken }), 200);
  });

  test('the session cookie authenticates GET requests', async () => {
    const token = await p.login(ADMIN.email, ADMIN.password);
    const r = await p.api('GET', '/api/auth/me', { cookie: `ap_session=${token}` });
    assertStatus(r, 200);
    assert.equal(r.json.email, ADMIN.email);
    const other = await p.api('GET', '/api/auth/me', { cookie: `theme=dark; ap_session=${token}; lang=en` });
    assertStatus(other, 200);
    assertError(await p.api('GET', '/api/auth/me', { cookie: 'ap_session=forged' }), 401, 'unauthenticated');
  });

  test('cookie-authenticated writes need X-Requested-With', async () => {
    const token = await p.login(ADMIN.email, ADMIN.password);
    const cookie = `ap_session=${token}`;
    const denied = await p.api('POST', '/api/admin/teams', { cookie, body: { team_id: 'csrf-team' } });
    assertError(denied, 403, 'csrf');
    // Nothing was written.
    const teams = await p.api('GET', '/api/admin/teams', { cookie });
    assertStatus(teams, 200);
    assert.ok(!teams.json.items.some((t) => t.team_id === 'csrf-team'), 'the refused write did not happen');

    const ok = await p.api('POST', '/api/admin/teams', {
      cookie, body: { team_id: 'csrf-team' }, headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    assertStatus(ok, 201);

    // Logout through the cookie follows the same rule.
    assertError(await p.api('POST', '/api/auth/logout', { cookie }), 403, 'csrf');
    assertStatus(await p.api('GET', '/api/auth/me', { cookie }), 200);
    assertStatus(await p.api('POST', '/api/auth/logout', { cookie, headers: { 'X-Requested-With': '1' } }), 204);
    assertError(await p.api('GET', '/api/auth/me', { cookie }), 401, 'unauthenticated');

    // A bearer token does not need the header (it cannot be sent cross-site by a browser).
    const bearer = await p.api('POST', '/api/admin/teams', { token: adminToken, body: { team_id: 'bearer-team' } });
    assertStatus(bearer, 201);
  });

  test('a disabled user cannot log in and their existing token stops working', async () => {
    const u = await p.createUser(adminToken, { email: 'soon-disabled@example.com' });
    assertStatus(await p.api('GET', '/api/auth/me', { token: u.token }), 200);
    const patch = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { disabled: true } });
    assertStatus(patch, 200);
    assert.equal(patch.json.disabled, true);

    assertError(await p.api('GET', '/api/auth/me', { token: u.token }), 401, 'unauthenticated');
    const login = await p.api('POST', '/api/auth/login', { body: { email: 'soon-disabled@example.com', password: u.password } });
    assertError(login, 401, 'unauthenticated');
    const unknown = await p.api('POST', '/api/auth/login', { body: { email: 'nobody2@example.com', password: u.password } });
    assert.equal(login.json.error.message, unknown.json.error.message, 'a disabled user is not revealed');

    // Re-enabled: can log in again, the old token stays dead.
    assertStatus(await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { disabled: false } }), 200);
    await p.login('soon-disabled@example.com', u.password);
    assertError(await p.api('GET', '/api/auth/me', { token: u.token }), 401, 'unauthenticated');
  });

  test('a password change ends the user\'s sessions', async () => {
    const u = await p.createUser(adminToken, { email: 'pw-change@example.com' });
    const r = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { password: 'brand-new-password' } });
    assertStatus(r, 200);
    assertError(await p.api('GET', '/api/auth/me', { token: u.token }), 401, 'unauthenticated');
    assertError(await p.api('POST', '/api/auth/login', { body: { email: 'pw-change@example.com', password: u.password } }),
      401, 'unauthenticated');
    await p.login('pw-change@example.com', 'brand-new-password');
  });

  test('audit entries record the TCP peer, not a spoofed X-Forwarded-For', async () => {
    const r = await p.api('POST', '/api/auth/login', {
      body: { email: ADMIN.email, password: ADMIN.password }, headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Request-Id': 'it-xff-1' },
    });
    assertStatus(r, 200);
    const e = (await p.audit(adminToken, 'action=auth.login&outcome=success')).find((x) => x.request_id === 'it-xff-1');
    assert.ok(e, 'the login is audited');
    assert.equal(e.client_ip, '127.0.0.1');
    assert.equal(e.actor_id, r.json.user.user_id);
  });
});

describe('auth options', () => {
  test('--trusted-proxy: the client address comes from X-Forwarded-For', async () => {
    const p = await Platform.start({ args: ['--trusted-proxy', '127.0.0.1'] });
    try {
      const r = await p.api('POST', '/api/auth/login', {
        body: { email: ADMIN.email, password: ADMIN.password },
        headers: { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9', 'X-Request-Id': 'it-xff-2' },
      });
      assertStatus(r, 200);
      const e = (await p.audit(r.json.token, 'action=auth.login')).find((x) => x.request_id === 'it-xff-2');
      assert.equal(e.client_ip, '203.0.113.9', 'the right-most address that is not a trusted proxy');
    } finally {
      await p.stop();
    }
  });

  test('--cookie-secure marks the cookie Secure; --session-ttl ends sessions', async () => {
    const p = await Platform.start({ args: ['--cookie-secure', '--session-ttl', '1s'] });
    try {
      const loginAt = Date.now();
      const r = await p.api('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
      assertStatus(r, 200);
      const attrs = (r.headers.get('set-cookie') || '').split(';').map((x) => x.trim().toLowerCase());
      assert.ok(attrs.includes('secure'), r.headers.get('set-cookie'));
      assert.ok(attrs.includes('max-age=1'), r.headers.get('set-cookie'));
      const fresh = await p.api('GET', '/api/auth/me', { token: r.json.token });
      if (Date.now() - loginAt < 900) assertStatus(fresh, 200); // (a very slow machine may already be past the second)
      const expired = await waitFor(async () => {
        const me = await p.api('GET', '/api/auth/me', { token: r.json.token });
        return me.status === 401 ? me : null;
      }, { timeoutMs: 5000, intervalMs: 100, what: 'the session to expire' });
      assertError(expired, 401, 'unauthenticated');
    } finally {
      await p.stop();
    }
  });
});
