// Organizations onboarding against the AWS simulator (issue 14 §3): an organization of 30 member accounts over
// several ListAccounts pages and nested OUs, listed through the registered management account with OU paths and
// registration flags; a selection registered through OrganizationAccountAccessRole + external id, each checked with
// STS (one member's role refuses the external id: that account fails, the others are registered); an account
// registered before shows as already registered. Responses are checked against docs/openapi.yaml by the harness.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';
import { callsOf } from './lib/aws-sim.mjs';

const MGMT = '710000000000';
const member = (i) => String(710000000100 + i);
const EXTERNAL_ID = 'org-onboarding-ext-1';
const ROLE = 'OrganizationAccountAccessRole';

describe('organizations onboarding', () => {
  let p;
  let admin;
  let user;
  before(async () => {
    p = await Platform.start();
    admin = await p.login(ADMIN.email, ADMIN.password);
    user = await p.createUser(admin, { email: 'org-user@example.com', teams: ['team-a'] });
    // Member 7 exists with the role already, trusting another external id: STS refuses the platform's AssumeRole.
    await p.sim.control('POST', '/_sim/accounts', {
      account_id: member(7), roles: [{ role_arn: `arn:aws:iam::${member(7)}:role/${ROLE}`, external_id: 'someone-else' }],
    });
    const accounts = [];
    for (let i = 0; i < 30; i++) {
      accounts.push({ account_id: member(i), name: `team-${i}`, ou: i < 12 ? 'Prod' : i < 20 ? 'Dev' : null, status: i === 25 ? 'SUSPENDED' : 'ACTIVE' });
    }
    await p.sim.control('PUT', `/_sim/organizations/${MGMT}`, {
      ous: [{ name: 'Workloads' }, { name: 'Prod', parent: 'Workloads' }, { name: 'Dev', parent: 'Workloads' }, { name: 'Sandbox' }],
      accounts,
      create_accounts: true,
      role_name: ROLE,
      external_id: EXTERNAL_ID,
    });
    // The management account is registered with its own access keys.
    const mgmt = await p.sim.control('GET', `/_sim/accounts/${MGMT}`);
    const key = mgmt.access_keys[0];
    assertStatus(await p.api('POST', '/api/accounts', { token: admin, body: {
      account_name: 'Management', credentials: { type: 'access_key', access_key_id: key.access_key_id, secret_access_key: key.secret_access_key },
    } }), 201);
    // Member 3 was registered before (through the role).
    assertStatus(await p.api('POST', '/api/accounts', { token: admin, body: {
      account_name: 'Registered before', credentials: { type: 'assume_role', role_arn: `arn:aws:iam::${member(3)}:role/${ROLE}`, external_id: EXTERNAL_ID },
    } }), 201);
  });
  after(async () => {
    if (p) await p.waitNoRefresh(admin).catch(() => {});
    if (p) await p.stop();
  });

  const list = (query = '', token = admin) => p.api('GET', `/api/admin/organizations/${MGMT}/accounts${query}`, { token });
  const register = (body, token = admin) => p.api('POST', `/api/admin/organizations/${MGMT}/register`, { token, body });

  test('lists every account over several AWS pages, with OU paths, AWS status and registration', async () => {
    const before = callsOf(await p.sim.counters(), 'ListAccounts', MGMT);
    const seen = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const r = await list(`?page_size=8${cursor ? `&cursor=${cursor}` : ''}`);
      assertStatus(r, 200);
      assert.ok(r.json.items.length <= 8);
      assert.equal(r.json.organization_accounts, 31);
      seen.push(...r.json.items);
      if (r.json.next === null) break;
      cursor = encodeURIComponent(r.json.next);
    }
    assert.equal(seen.length, 31);
    const byId = Object.fromEntries(seen.map((a) => [a.account_id, a]));
    assert.equal(byId[member(0)].ou_path, 'Root/Workloads/Prod');
    assert.equal(byId[member(15)].ou_path, 'Root/Workloads/Dev');
    assert.equal(byId[member(22)].ou_path, 'Root');
    assert.equal(byId[member(25)].status, 'SUSPENDED');
    assert.equal(byId[member(3)].registered, true);
    assert.equal(byId[member(3)].platform_status, 'active');
    assert.equal(byId[MGMT].registered, true);
    assert.equal(byId[member(4)].registered, false);
    assert.equal(byId[member(4)].platform_status, null);
    assert.equal(byId[member(4)].name, 'team-4');
    assert.match(byId[member(4)].joined_at, /^\d{4}-\d\d-\d\dT/);
    // 31 accounts at MaxResults 20: two ListAccounts pages, read once for all the cursor pages (listing cache).
    const after = callsOf(await p.sim.counters(), 'ListAccounts', MGMT);
    assert.equal(after.ok - (before.ok ?? 0), 2, JSON.stringify(after));
  });

  test('registered=false leaves out the registered accounts', async () => {
    const r = await list('?registered=false&page_size=200');
    assertStatus(r, 200);
    const ids = r.json.items.map((a) => a.account_id);
    assert.equal(ids.length, 29);
    assert.ok(!ids.includes(member(3)));
    assert.ok(!ids.includes(MGMT));
    assert.ok(r.json.items.every((a) => a.registered === false));
  });

  test('registers a selection: STS checks each, one refusal fails only that account, already registered is shown', async () => {
    const selection = [member(0), member(1), member(13), member(3), member(7)];
    const r = await register({ account_ids: selection, external_id: EXTERNAL_ID, teams: ['team-a'], regions: ['us-east-1'] });
    assertStatus(r, 200);
    assert.equal(r.json.registered, 3);
    assert.equal(r.json.already_registered, 1);
    assert.equal(r.json.failed, 1);
    const out = Object.fromEntries(r.json.results.map((x) => [x.account_id, x]));
    assert.deepEqual(r.json.results.map((x) => x.account_id), selection);
    assert.equal(out[member(0)].result, 'registered');
    assert.equal(out[member(0)].account.account_name, 'team-0');
    assert.equal(out[member(0)].account.credentials.role_arn, `arn:aws:iam::${member(0)}:role/${ROLE}`);
    assert.deepEqual(out[member(0)].account.teams, ['team-a']);
    assert.equal(out[member(3)].result, 'already_registered');
    assert.equal(out[member(7)].result, 'failed');
    assert.equal(out[member(7)].error.code, 'validation_failed');
    assert.equal(out[member(7)].error.field, 'credentials');
    assert.match(out[member(7)].error.message, /AccessDenied/);
    // Checked with STS as the platform's identity: GetCallerIdentity with each registered account's role session.
    assert.ok(callsOf(await p.sim.counters(), 'GetCallerIdentity', member(13)).ok >= 1);
    // The user of team-a now sees the registered accounts.
    const seen = await p.api('GET', `/api/accounts/${member(13)}`, { token: user.token });
    assertStatus(seen, 200);
    // And the listing shows them as registered.
    const after = await list('?registered=true&page_size=200');
    assertStatus(after, 200);
    const ids = after.json.items.map((a) => a.account_id).sort();
    assert.deepEqual(ids, [MGMT, member(0), member(1), member(13), member(3)].sort());
  });

  test('a second registration of the same accounts reports them as already registered', async () => {
    const r = await register({ account_ids: [member(0), member(99)], external_id: EXTERNAL_ID });
    assertStatus(r, 200);
    assert.equal(r.json.results[0].result, 'already_registered');
    assert.equal(r.json.results[1].result, 'failed');
    assert.equal(r.json.results[1].error.code, 'not_found');
  });

  test('users are forbidden; bad input names the field', async () => {
    assertError(await list('', user.token), 403, 'forbidden');
    assertError(await register({ account_ids: [member(5)] }, user.token), 403, 'forbidden');
    assertError(await list('?registered=yes'), 422, 'validation_failed', { field: 'registered' });
    assertError(await register({}), 422, 'validation_failed', { field: 'account_ids' });
    const many = Array.from({ length: 101 }, (_, i) => member(i));
    assertError(await register({ account_ids: many }), 422, 'validation_failed', { field: 'account_ids' });
    assertError(await register({ account_ids: [member(5)], role_name: 'bad role' }), 422, 'validation_failed', { field: 'role_name' });
    assertError(await p.api('GET', '/api/admin/organizations/719999999999/accounts', { token: admin }), 404, 'not_found');
  });

  test('an account that is not the management account is refused by AWS: 409 with AWS\'s code', async () => {
    // Member 0 is registered now, but it is neither the management account nor a delegated administrator.
    const r = await p.api('GET', `/api/admin/organizations/${member(0)}/accounts`, { token: admin });
    assertError(r, 409, 'conflict', { field: 'account_id' });
    assert.match(r.json.error.message, /AccessDeniedException/);
  });
});
