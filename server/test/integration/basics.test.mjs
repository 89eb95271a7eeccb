// Issue 16 §4 and §6: a user changes their own password (other sessions end, this one stays; throttled like login),
// an admin forces a reset (sessions end; the next session may only set a new password), the add-account form's
// onboarding data (the platform's principal from STS GetCallerIdentity, the member role's policies), and no 404 for
// an account without contact information.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';

describe('basics', () => {
  let p;
  let adminToken;
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
  });
  after(async () => {
    if (p) await p.stop();
  });

  test('changing one\'s own password ends the other sessions and keeps this one', async () => {
    const u = await p.createUser(adminToken, { email: 'changer@example.com', password: 'first-password-1' });
    const other = await p.login('changer@example.com', 'first-password-1');
    const mine = await p.login('changer@example.com', 'first-password-1');
    assertError(await p.api('POST', '/api/auth/password', { token: mine, body: { current_password: 'not-it', new_password: 'second-password-2' } }),
      422, 'validation_failed', { field: 'current_password' });
    assertError(await p.api('POST', '/api/auth/password', { token: mine, body: { current_password: 'first-password-1', new_password: 'short' } }),
      422, 'validation_failed', { field: 'new_password' });
    const ok = await p.api('POST', '/api/auth/password', { token: mine, body: { current_password: 'first-password-1', new_password: 'second-password-2' } });
    assertStatus(ok, 200);
    assert.equal(ok.json.user_id, u.user.user_id);
    assert.equal(ok.json.must_change_password, false);
    assertStatus(await p.api('GET', '/api/auth/me', { token: mine }), 200);
    assertError(await p.api('GET', '/api/auth/me', { token: other }), 401, 'unauthenticated');
    const oldLogin = await p.api('POST', '/api/auth/login', { body: { email: 'changer@example.com', password: 'first-password-1' } });
    assertError(oldLogin, 401, 'unauthenticated');
    await p.login('changer@example.com', 'second-password-2');
    const audit = await p.api('GET', `/api/admin/audit-log?action=user.password_change&target_id=${u.user.user_id}`, { token: adminToken });
    assertStatus(audit, 200);
    assert.deepEqual(audit.json.items.map((e) => e.outcome).sort(), ['failure', 'failure', 'success']);
  });

  test('wrong current passwords are throttled like logins (429 with Retry-After)', async () => {
    await p.createUser(adminToken, { email: 'guesser@example.com', password: 'guess-password-1' });
    const token = await p.login('guesser@example.com', 'guess-password-1');
    let last;
    for (let i = 0; i < 8; i++) {
      last = await p.api('POST', '/api/auth/password', { token, body: { current_password: `guess-${i}`, new_password: 'whatever-new-1' } });
      if (last.status === 429) break;
    }
    assertError(last, 429, 'rate_limited');
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
  });

  test('a forced reset ends the sessions and lets the next session only set a new password', async () => {
    const u = await p.createUser(adminToken, { email: 'forced@example.com', password: 'forced-password-1' });
    const before = await p.login('forced@example.com', 'forced-password-1');
    const forced = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { must_change_password: true } });
    assertStatus(forced, 200);
    assert.equal(forced.json.must_change_password, true);
    assertError(await p.api('GET', '/api/auth/me', { token: before }), 401, 'unauthenticated');

    const token = await p.login('forced@example.com', 'forced-password-1');
    const session = await p.api('GET', '/api/auth/session', { token });
    assert.equal(session.json.user.must_change_password, true);
    assertError(await p.api('GET', '/api/accounts', { token }), 403, 'password_change_required');
    assertStatus(await p.api('GET', '/health', { token }), 200);  // public routes stay public
    const changed = await p.api('POST', '/api/auth/password', { token, body: { current_password: 'forced-password-1', new_password: 'chosen-password-2' } });
    assertStatus(changed, 200);
    assert.equal(changed.json.must_change_password, false);
    assertStatus(await p.api('GET', '/api/accounts', { token }), 200);  // the same session, now unrestricted
    const audit = await p.api('GET', `/api/admin/audit-log?action=user.update&target_id=${u.user.user_id}`, { token: adminToken });
    assert.match(audit.json.items[0].detail, /must_change_password/);
  });

  test('the onboarding data names the platform\'s principal and the member role\'s policies', async () => {
    const r = await p.api('GET', '/api/admin/onboarding/assume-role', { token: adminToken });
    assertStatus(r, 200);
    assert.match(r.headers.get('cache-control') || '', /no-store/);
    const principal = r.json.platform_principal;
    assert.ok(principal, r.text);
    assert.match(principal.account, /^\d{12}$/);
    assert.equal(r.json.principal_error, null);
    const trust = JSON.stringify(r.json.trust_policy);
    assert.ok(trust.includes(principal.principal_arn), trust);
    assert.ok(trust.includes('${ExternalId}'), 'the external id is left for the form');
    assert.ok(!trust.includes('${PlatformRoleArn}'));
    const perms = JSON.stringify(r.json.permissions_policy);
    assert.ok(perms.includes('servicequotas:GetServiceQuota'), perms);
    assert.equal(r.json.role_name, 'AccountPlatformQuotaReader');
    const user = await p.createUser(adminToken, { email: 'not-admin@example.com' });
    assertError(await p.api('GET', '/api/admin/onboarding/assume-role', { token: user.token }), 403, 'forbidden');
  });

  test('an account without contact information answers 204, a missing account 404', async () => {
    const acct = await p.createAccount(adminToken, { account_id: '141414141414' });
    const none = await p.api('GET', `/api/accounts/${acct.account_id}/billing`, { token: adminToken });
    assert.equal(none.status, 204);
    assertError(await p.api('GET', '/api/accounts/999999999998/billing', { token: adminToken }), 404, 'not_found');
  });
});
