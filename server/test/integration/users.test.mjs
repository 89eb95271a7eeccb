// /api/admin/users and /api/admin/teams: user and team administration.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';

describe('users', () => {
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

  const listUsers = async () => {
    const r = await p.api('GET', '/api/admin/users?page_size=1000', { token: adminToken });
    assertStatus(r, 200);
    assert.equal(r.json.total, r.json.items.length);
    assert.equal(r.json.next, null);
    return r.json.items;
  };

  test('admin creates a user with a generated password that is returned once', async () => {
    const r = await p.api('POST', '/api/admin/users', {
      token: adminToken, body: { email: 'Generated@Example.com', role: 'user', teams: ['team-b', 'team-a', 'team-a'] },
    });
    assertStatus(r, 201);
    assert.equal(r.json.email, 'generated@example.com', 'emails are normalised');
    assert.equal(r.json.role, 'user');
    assert.deepEqual(r.json.teams, ['team-a', 'team-b'], 'teams sorted and de-duplicated');
    assert.equal(r.json.disabled, false);
    assert.match(r.json.user_id, /^u_[0-9a-f]+$/);
    assert.equal(typeof r.json.generated_password, 'string');
    assert.ok(r.json.generated_password.length >= 16);
    assert.match(r.headers.get('cache-control') || '', /no-store/);
    assert.ok(!('password_hash' in r.json));

    const users = await listUsers();
    const listed = users.find((u) => u.user_id === r.json.user_id);
    assert.ok(listed, 'the new user is listed');
    assert.ok(!JSON.stringify(users).includes(r.json.generated_password), 'the password is never shown again');
    assert.ok(users.every((u) => !('generated_password' in u) && !('password_hash' in u)));
    assert.deepEqual(Object.keys(listed).sort(), ['created_at', 'disabled', 'email', 'must_change_password', 'role', 'teams', 'updated_at', 'user_id']);

    await p.login('generated@example.com', r.json.generated_password);

    // Teams named by a user show up in the team list.
    const teams = await p.api('GET', '/api/admin/teams', { token: adminToken });
    for (const id of ['team-a', 'team-b']) assert.ok(teams.json.items.some((t) => t.team_id === id), id);

    // The creation is audited.
    const audit = await p.audit(adminToken, `action=user.create&target_id=${r.json.user_id}`);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, adminId);
    assert.equal(audit[0].outcome, 'success');
  });

  test('a given password is not echoed and works', async () => {
    const r = await p.api('POST', '/api/admin/users', {
      token: adminToken, body: { email: 'given@example.com', password: 'given-password-1' },
    });
    assertStatus(r, 201);
    assert.ok(!('generated_password' in r.json));
    assert.ok(!r.text.includes('given-password-1'));
    assert.equal(r.json.role, 'user', 'role defaults to user');
    assert.deepEqual(r.json.teams, []);
    await p.login('given@example.com', 'given-password-1');
  });

  test('a duplicate email is 409 already_exists (case-insensitive)', async () => {
    assertStatus(await p.api('POST', '/api/admin/users', { token: adminToken, body: { email: 'dup@example.com' } }), 201);
    const r = await p.api('POST', '/api/admin/users', { token: adminToken, body: { email: 'DUP@example.com' } });
    assertError(r, 409, 'already_exists', { field: 'email' });
    assert.equal((await listUsers()).filter((u) => u.email === 'dup@example.com').length, 1);
  });

  test('validation errors are 422 naming the field, and create nothing', async () => {
    const before = (await listUsers()).length;
    const cases = [
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'two@at@example.com' }, 'email'],
      [{}, 'email'],
      [{ email: 'r@example.com', role: 'root' }, 'role'],
      [{ email: 'r@example.com', teams: ['Bad Team'] }, 'teams[0]'],
      [{ email: 'r@example.com', teams: ['ok', '-starts-with-dash'] }, 'teams[1]'],
      [{ email: 'r@example.com', teams: 'team-a' }, 'teams'],
      [{ email: 'r@example.com', password: 'short' }, 'password'],
      [{ email: 'r@example.com', password: 12345678 }, 'password'],
    ];
    for (const [body, field] of cases) {
      const r = await p.api('POST', '/api/admin/users', { token: adminToken, body });
      assertError(r, 422, 'validation_failed', { field });
      assert.ok(r.json.error.message.startsWith(`${field}: `), r.json.error.message);
    }
    assert.equal((await listUsers()).length, before);
    assertError(await p.api('POST', '/api/admin/users', { token: adminToken, rawBody: 'nope', headers: { 'Content-Type': 'application/json' } }),
      400, 'bad_request');
  });

  test('PATCH changes role, teams, disabled and password, effective at once', async () => {
    const u = await p.createUser(adminToken, { email: 'patch-me@example.com', teams: ['team-a'] });
    assertError(await p.api('GET', '/api/admin/users', { token: u.token }), 403, 'forbidden');

    let r = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { role: 'admin' } });
    assertStatus(r, 200);
    assert.equal(r.json.role, 'admin');
    assert.ok(r.json.updated_at >= u.user.updated_at);
    // The user's existing token now has admin rights.
    assertStatus(await p.api('GET', '/api/admin/users', { token: u.token }), 200);

    r = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { role: 'user', teams: ['team-c', 'team-b'] } });
    assertStatus(r, 200);
    assert.equal(r.json.role, 'user');
    assert.deepEqual(r.json.teams, ['team-b', 'team-c']);
    assertError(await p.api('GET', '/api/admin/users', { token: u.token }), 403, 'forbidden');
    const me = await p.api('GET', '/api/auth/me', { token: u.token });
    assert.deepEqual(me.json.teams, ['team-b', 'team-c']);

    r = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { disabled: true } });
    assertStatus(r, 200);
    assert.equal(r.json.disabled, true);
    assertError(await p.api('GET', '/api/auth/me', { token: u.token }), 401, 'unauthenticated');

    r = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { disabled: false, password: 'a-new-password' } });
    assertStatus(r, 200);
    assert.equal(r.json.disabled, false);
    await p.login('patch-me@example.com', 'a-new-password');
    assertError(await p.api('POST', '/api/auth/login', { body: { email: 'patch-me@example.com', password: u.password } }),
      401, 'unauthenticated');

    // An empty patch changes nothing.
    r = await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: {} });
    assertStatus(r, 200);
    assert.equal(r.json.role, 'user');
    assert.deepEqual(r.json.teams, ['team-b', 'team-c']);
  });

  test('PATCH validation is 422 naming the field and changes nothing', async () => {
    const u = await p.createUser(adminToken, { email: 'patch-invalid@example.com', teams: ['team-a'] });
    const cases = [
      [{ role: 'superuser' }, 'role'],
      [{ teams: ['UPPER'] }, 'teams[0]'],
      [{ disabled: 'yes' }, 'disabled'],
      [{ password: 'short' }, 'password'],
    ];
    for (const [body, field] of cases) {
      assertError(await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body }), 422, 'validation_failed', { field });
    }
    const listed = (await listUsers()).find((x) => x.user_id === u.user.user_id);
    assert.equal(listed.role, 'user');
    assert.deepEqual(listed.teams, ['team-a']);
    assert.equal(listed.disabled, false);
    await p.login('patch-invalid@example.com', u.password);
  });

  test('PATCH or DELETE of an unknown user is 404', async () => {
    assertError(await p.api('PATCH', '/api/admin/users/u_000000000000', { token: adminToken, body: { role: 'admin' } }), 404, 'not_found');
    assertError(await p.api('DELETE', '/api/admin/users/u_000000000000', { token: adminToken }), 404, 'not_found');
  });

  test('an admin cannot demote, disable or delete themself (409)', async () => {
    for (const body of [{ role: 'user' }, { disabled: true }]) {
      const r = await p.api('PATCH', `/api/admin/users/${adminId}`, { token: adminToken, body });
      assertError(r, 409, 'conflict');
    }
    assertError(await p.api('DELETE', `/api/admin/users/${adminId}`, { token: adminToken }), 409, 'conflict');
    const me = await p.api('GET', '/api/auth/me', { token: adminToken });
    assert.equal(me.json.role, 'admin');
    assert.equal(me.json.disabled, false);
    // Harmless self-changes are allowed.
    assertStatus(await p.api('PATCH', `/api/admin/users/${adminId}`, { token: adminToken, body: { role: 'admin', teams: ['ops'] } }), 200);
  });

  test('the last enabled admin cannot be demoted, disabled or deleted by another admin (409)', async () => {
    // A second admin, then the first admin steps out of the way by being disabled by the second one: the second
    // one is then the last enabled admin. It is protected from everyone, and once the first admin is back, the
    // second one can be demoted again.
    const b = await p.createUser(adminToken, { email: 'second-admin@example.com', role: 'admin' });
    const c = await p.createUser(adminToken, { email: 'third-admin@example.com', role: 'admin' });
    // Demoting one of three admins is fine.
    assertStatus(await p.api('PATCH', `/api/admin/users/${c.user.user_id}`, { token: b.token, body: { role: 'user' } }), 200);
    // b disables the original admin: b is now the only enabled admin.
    assertStatus(await p.api('PATCH', `/api/admin/users/${adminId}`, { token: b.token, body: { disabled: true } }), 200);
    assertError(await p.api('GET', '/api/auth/me', { token: adminToken }), 401, 'unauthenticated');
    // A disabled admin does not count: deleting the disabled original admin would be allowed, demoting b is not.
    assertError(await p.api('PATCH', `/api/admin/users/${b.user.user_id}`, { token: b.token, body: { role: 'user' } }), 409, 'conflict');
    assertError(await p.api('DELETE', `/api/admin/users/${b.user.user_id}`, { token: b.token }), 409, 'conflict');
    // Re-enable the original admin and carry on with it.
    assertStatus(await p.api('PATCH', `/api/admin/users/${adminId}`, { token: b.token, body: { disabled: false } }), 200);
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    // Now there are two enabled admins again: b can be demoted.
    const r = await p.api('PATCH', `/api/admin/users/${b.user.user_id}`, { token: adminToken, body: { role: 'user' } });
    assertStatus(r, 200);
    assertError(await p.api('GET', '/api/admin/users', { token: b.token }), 403, 'forbidden');
  });

  test('DELETE removes the user: 204, then 404, their token dies, the email is free again', async () => {
    const u = await p.createUser(adminToken, { email: 'delete-me@example.com' });
    const r = await p.api('DELETE', `/api/admin/users/${u.user.user_id}`, { token: adminToken });
    assertStatus(r, 204);
    assert.equal(r.text, '');
    assertError(await p.api('DELETE', `/api/admin/users/${u.user.user_id}`, { token: adminToken }), 404, 'not_found');
    assertError(await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: {} }), 404, 'not_found');
    assert.ok(!(await listUsers()).some((x) => x.user_id === u.user.user_id));
    assertError(await p.api('GET', '/api/auth/me', { token: u.token }), 401, 'unauthenticated');
    assertError(await p.api('POST', '/api/auth/login', { body: { email: 'delete-me@example.com', password: u.password } }), 401, 'unauthenticated');
    assertStatus(await p.api('POST', '/api/admin/users', { token: adminToken, body: { email: 'delete-me@example.com' } }), 201);
    const audit = await p.audit(adminToken, `action=user.delete&target_id=${u.user.user_id}`);
    assert.equal(audit.length, 1);
  });

  test('teams: list, create (and rename), delete', async () => {
    let r = await p.api('POST', '/api/admin/teams', { token: adminToken, body: { team_id: 'platform-eng', name: 'Platform Engineering' } });
    assertStatus(r, 201);
    assert.equal(r.json.team_id, 'platform-eng');
    assert.equal(r.json.name, 'Platform Engineering');

    r = await p.api('POST', '/api/admin/teams', { token: adminToken, body: { team_id: 'no-name' } });
    assertStatus(r, 201);
    assert.equal(r.json.name, 'no-name', 'the name defaults to the id');

    let list = await p.api('GET', '/api/admin/teams', { token: adminToken });
    assertStatus(list, 200);
    assert.equal(list.json.total, list.json.items.length);
    const t = list.json.items.find((x) => x.team_id === 'platform-eng');
    assert.equal(t.name, 'Platform Engineering');
    assert.match(t.created_at, /Z$/);

    r = await p.api('POST', '/api/admin/teams', { token: adminToken, body: { team_id: 'platform-eng', name: 'Platform' } });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    list = await p.api('GET', '/api/admin/teams', { token: adminToken });
    assert.equal(list.json.items.filter((x) => x.team_id === 'platform-eng').length, 1);
    assert.equal(list.json.items.find((x) => x.team_id === 'platform-eng').name, 'Platform');

    for (const [body, field] of [[{ team_id: 'Has Space' }, 'team_id'], [{}, 'team_id'], [{ team_id: 'x', name: 'n'.repeat(129) }, 'name']]) {
      assertError(await p.api('POST', '/api/admin/teams', { token: adminToken, body }), 422, 'validation_failed', { field });
    }

    r = await p.api('DELETE', '/api/admin/teams/platform-eng', { token: adminToken });
    assertStatus(r, 204);
    list = await p.api('GET', '/api/admin/teams', { token: adminToken });
    assert.ok(!list.json.items.some((x) => x.team_id === 'platform-eng'));
    assertError(await p.api('DELETE', '/api/admin/teams/platform-eng', { token: adminToken }), 404, 'not_found');
  });

  // Every page of a cursor list from `first` (a path with a query), following `next` until it is null.
  const allPages = async (first) => {
    const items = [];
    let pages = 0;
    for (let path = first; path; pages++) {
      const r = await p.api('GET', path, { token: adminToken });
      assertStatus(r, 200);
      items.push(...r.json.items);
      path = r.json.next === null ? null : `${first}&cursor=${encodeURIComponent(r.json.next)}`;
    }
    return { items, pages };
  };

  test('users list: pages by email with a cursor and a maintained total', async () => {
    for (const email of ['page-b@example.com', 'page-a@example.com', 'page-c@example.com']) {
      assertStatus(await p.api('POST', '/api/admin/users', { token: adminToken, body: { email } }), 201);
    }
    const everyone = await listUsers();
    const { items, pages } = await allPages('/api/admin/users?page_size=2');
    assert.deepEqual(items.map((u) => u.email), everyone.map((u) => u.email));
    assert.deepEqual([...items.map((u) => u.email)].sort(), items.map((u) => u.email), 'ordered by email');
    assert.equal(pages, Math.ceil(everyone.length / 2));
    const first = (await p.api('GET', '/api/admin/users?page_size=2', { token: adminToken })).json;
    assert.equal(first.total, everyone.length, 'the total counts every user, not the page');
    for (const [q, field] of [['cursor=nope', 'cursor'], ['page=2', 'page'], ['page_size=0', 'page_size'], ['page_size=1001', 'page_size']]) {
      assertError(await p.api('GET', `/api/admin/users?${q}`, { token: adminToken }), 422, 'validation_failed', { field });
    }
  });

  test('audit log: newest first, filters, paging, validation', async () => {
    const all = await p.api('GET', '/api/admin/audit-log?page_size=1000', { token: adminToken });
    assertStatus(all, 200);
    const items = all.json.items;
    assert.equal(all.json.next, null);
    assert.equal(all.json.total, undefined, 'no total: it would cost a count of the log');
    assert.ok(items.length > 10);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      assert.ok(a.at > b.at || (a.at === b.at && a.audit_id > b.audit_id), 'newest first');
    }
    assert.deepEqual(Object.keys(items[0]).sort(), ['action', 'actor_email', 'actor_id', 'at', 'audit_id', 'client_ip', 'count',
      'detail', 'last_at', 'outcome', 'request_id', 'target_id', 'target_name', 'target_type', 'user_agent'].sort());
    assert.match(items[0].audit_id, /^a_[0-9a-f]{13}[0-9a-f]+$/, 'time-ordered id');

    const prefix = (await p.api('GET', '/api/admin/audit-log?action=user.&page_size=1000', { token: adminToken })).json;
    assert.ok(prefix.items.length > 0);
    assert.ok(prefix.items.every((e) => e.action.startsWith('user.')), 'a trailing dot is a prefix');
    assert.ok(prefix.items.some((e) => e.action === 'user.create') && prefix.items.some((e) => e.action === 'user.update'));
    const exact = (await p.api('GET', '/api/admin/audit-log?action=user&page_size=1000', { token: adminToken })).json;
    assert.equal(exact.items.length, 0, 'without the dot the action matches exactly');

    const mine = (await p.api('GET', `/api/admin/audit-log?actor_id=${adminId}&outcome=success&page_size=1000`, { token: adminToken })).json;
    assert.ok(mine.items.length > 0 && mine.items.every((e) => e.actor_id === adminId && e.outcome === 'success'));

    const p1 = (await p.api('GET', '/api/admin/audit-log?page_size=3', { token: adminToken })).json;
    assert.ok(p1.next);
    // Entries recorded between two pages do not shift or repeat the next page.
    assertStatus(await p.api('POST', '/api/admin/teams', { token: adminToken, body: { team_id: 'between-pages' } }), 201);
    const p2 = (await p.api('GET', `/api/admin/audit-log?page_size=3&cursor=${encodeURIComponent(p1.next)}`, { token: adminToken })).json;
    assert.deepEqual([...p1.items, ...p2.items].map((e) => e.audit_id), items.slice(0, 6).map((e) => e.audit_id));
    const walked = await allPages('/api/admin/audit-log?page_size=7&to=2100-01-01T00:00:00Z');
    assert.ok(walked.items.length >= items.length && walked.pages > 1);

    const future = (await p.api('GET', '/api/admin/audit-log?from=2100-01-01T00:00:00Z', { token: adminToken })).json;
    assert.equal(future.items.length, 0);
    const past = (await p.api('GET', '/api/admin/audit-log?to=2000-01-01T00:00:00Z', { token: adminToken })).json;
    assert.equal(past.items.length, 0);
    const window = (await p.api('GET', '/api/admin/audit-log?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&page_size=1000', { token: adminToken })).json;
    assert.ok(window.items.length >= items.length);

    for (const [q, field] of [['from=yesterday', 'from'], ['to=2026-13-45', 'to'], ['page=2', 'page'], ['cursor=garbage', 'cursor'], ['page_size=1001', 'page_size'], ['page_size=abc', 'page_size']]) {
      assertError(await p.api('GET', `/api/admin/audit-log?${q}`, { token: adminToken }), 422, 'validation_failed', { field });
    }
  });

  test('audit log: impossible dates are 422, far-future dates do not wrap around',
    async () => {
      assertError(await p.api('GET', '/api/admin/audit-log?from=2026-13-45T00:00:00Z', { token: adminToken }), 422, 'validation_failed', { field: 'from' });
      assertError(await p.api('GET', '/api/admin/audit-log?to=2026-02-30T25:61:00Z', { token: adminToken }), 422, 'validation_failed', { field: 'to' });
      const far = await p.api('GET', '/api/admin/audit-log?from=2999-01-01T00:00:00Z', { token: adminToken });
      if (far.status === 200) assert.equal(far.json.items.length, 0, 'nothing happened after 2999');
      else assertError(far, 422, 'validation_failed', { field: 'from' });
    });

  test('a user cannot use any admin route (403)', async () => {
    const u = await p.createUser(adminToken, { email: 'plain@example.com' });
    for (const [method, path, body] of [
      ['GET', '/api/admin/users'],
      ['POST', '/api/admin/users', { email: 'x@example.com' }],
      ['PATCH', `/api/admin/users/${u.user.user_id}`, { role: 'admin' }],
      ['DELETE', `/api/admin/users/${adminId}`],
      ['GET', '/api/admin/teams'],
      ['POST', '/api/admin/teams', { team_id: 'mine' }],
      ['DELETE', '/api/admin/teams/team-a'],
    ]) {
      assertError(await p.api(method, path, { token: u.token, body }), 403, 'forbidden');
    }
    const me = await p.api('GET', '/api/auth/me', { token: u.token });
    assert.equal(me.json.role, 'user', 'the user did not promote themself');
  });
});
