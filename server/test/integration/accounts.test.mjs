// /api/accounts: the account registry, credentials (sealed, masked, audited export), contact information and
// team visibility. Every account is a simulated AWS account (tools/aws-sim): creation and rotation verify the
// credentials with STS, so each account has keys of its own there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';
import { callsOf } from './lib/aws-sim.mjs';

// Keys that AWS does not know: only for requests that must fail before AWS is asked (validation, authorization).
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ROTATED_KEY_ID = 'AKIAROTATEDKEY000042';
const ROTATED_SECRET = 'rotatedSecretValue/ABCDEFGHIJKLMNOPQRSTU';
const EXTERNAL_ID = 'ext-id-7f3a9c';
// The temporary credentials (AssumeRole in the simulator) account 111111111111 is registered with.
let TEMP_KEY_ID;
let TEMP_SECRET;
let SESSION_TOKEN;
// Secrets of the other simulated keys this file registers.
const simSecrets = [];
const SECRETS = () => [SECRET, TEMP_SECRET, SESSION_TOKEN, ROTATED_SECRET, EXTERNAL_ID, ...simSecrets];

const accessKey = (over = {}) => ({ type: 'access_key', access_key_id: KEY_ID, secret_access_key: SECRET, ...over });
// "AKIAIOSFODNN7EXAMPLE" → "AKIA************MPLE"
const masked = (keyId) => keyId.slice(0, 4) + '*'.repeat(keyId.length - 8) + keyId.slice(-4);

const BILLING = {
  full_name: 'Jane Doe',
  address_line1: '410 Terry Ave N',
  address_line2: 'Floor 3',
  city: 'Seattle',
  company_name: 'Example Corp',
  country_code: 'US',
  district_or_county: 'King',
  phone_number: '+1 206 555 0100',
  postal_code: '98109',
  state_or_region: 'WA',
  website_url: 'https://example.com',
};

describe('accounts', () => {
  let p;
  let adminToken;
  let adminId;
  let userA; // team-a
  let userB; // team-b
  before(async () => {
    p = await Platform.start();
    const r = await p.api('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    adminToken = r.json.token;
    adminId = r.json.user.user_id;
    userA = await p.createUser(adminToken, { email: 'a@example.com', teams: ['team-a'] });
    userB = await p.createUser(adminToken, { email: 'b@example.com', teams: ['team-b'] });
    // 111111111111 is registered with temporary credentials (key, secret and session token) of its own role.
    const prod = await p.awsAccount({ account_id: '111111111111' });
    const selfRole = await p.sim.addRole('111111111111', { role_name: 'Temporary' });
    const temp = await p.sim.assumeRole(prod.access_key, selfRole.role_arn);
    [TEMP_KEY_ID, TEMP_SECRET, SESSION_TOKEN] = [temp.access_key_id, temp.secret_access_key, temp.session_token];
    assert.match(TEMP_KEY_ID, /^ASIA/);
    // 222222222222 has a role with an external id the platform's own identity may assume.
    await p.sim.account({ account_id: '222222222222' });
    await p.sim.addRole('222222222222', { role_arn: 'arn:aws:iam::222222222222:role/path/PlatformReader', external_id: EXTERNAL_ID });
    // 666666666666 gets the rotated key and a role without external id.
    await p.sim.account({ account_id: '666666666666' });
    await p.sim.addKey('666666666666', { access_key_id: ROTATED_KEY_ID, secret_access_key: ROTATED_SECRET });
    await p.sim.addRole('666666666666', { role_arn: 'arn:aws:iam::666666666666:role/Reader' });
  });
  after(async () => {
    if (p) await p.stop();
  });

  const create = (body, token = adminToken) => p.api('POST', '/api/accounts', { token, body });
  // Fresh simulated keys of an AWS account (created in the simulator on first use).
  const simKeys = async (accountId) => {
    const { credentials } = await p.awsAccount({ account_id: accountId });
    simSecrets.push(credentials.secret_access_key);
    return credentials;
  };
  const get = (id, token = adminToken) => p.api('GET', `/api/accounts/${id}`, { token });
  const list = async (query = '', token = adminToken) => {
    const r = await p.api('GET', `/api/accounts${query ? '?' + query : ''}`, { token });
    assertStatus(r, 200);
    return r.json;
  };

  test('create an access-key account: 201, Location, masked key id, no secret', async () => {
    const r = await create({
      account_id: '111111111111', account_name: '  Production  ', regions: ['us-west-2', 'us-east-1', 'us-west-2'],
      teams: ['team-a'],
      credentials: { type: 'access_key', access_key_id: TEMP_KEY_ID, secret_access_key: TEMP_SECRET, session_token: SESSION_TOKEN },
    });
    assertStatus(r, 201);
    assert.equal(r.headers.get('location'), '/api/accounts/111111111111');
    // "refreshing": creation starts the first quota refresh in the background.
    assert.deepEqual(Object.keys(r.json).sort(), ['account_id', 'account_name', 'created_at', 'created_by', 'credentials',
      'refreshing', 'regions', 'status', 'teams', 'updated_at', 'version']);
    assert.strictEqual(r.json.refreshing, true, 'the first refresh runs in the background');
    assert.equal(r.json.account_id, '111111111111');
    assert.equal(r.json.account_name, 'Production', 'the name is trimmed');
    assert.deepEqual(r.json.regions, ['us-east-1', 'us-west-2'], 'regions sorted and de-duplicated');
    assert.deepEqual(r.json.teams, ['team-a']);
    assert.equal(r.json.status, 'active');
    assert.equal(r.json.version, 1);
    assert.equal(r.json.created_by, adminId);
    assert.deepEqual(r.json.credentials, { type: 'access_key', access_key_id: masked(TEMP_KEY_ID) });
    assert.match(r.json.credentials.access_key_id, /^ASIA\*{12}[A-Z0-9]{4}$/);

    await p.waitNotRefreshing(adminToken, '111111111111');
    const g = await get('111111111111');
    assertStatus(g, 200);
    assert.deepEqual(g.json, { ...r.json, refreshing: false }, 'GET returns what POST returned (once the first refresh is over)');

    const audit = await p.audit(adminToken, 'action=account.create&target_id=111111111111');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].outcome, 'success');
  });

  test('create an assume-role account', async () => {
    const r = await create({
      account_id: '222222222222', account_name: 'Role based', teams: ['team-b'],
      credentials: { type: 'assume_role', role_arn: 'arn:aws:iam::222222222222:role/path/PlatformReader', external_id: EXTERNAL_ID },
    });
    assertStatus(r, 201);
    assert.deepEqual(r.json.credentials, { type: 'assume_role', role_arn: 'arn:aws:iam::222222222222:role/path/PlatformReader' });
    assert.deepEqual(r.json.regions, ['us-east-1'], 'the default region');
    // Other partitions pass validation and go to STS (the simulator, like the aws partition's STS, does not know an
    // aws-cn role, so AWS refuses it: 422 on "credentials" with AWS's code, not a validation error on role_arn).
    const denials = async () => callsOf(await p.sim.counters(), 'AssumeRole').AccessDenied ?? 0;
    const before = await denials();
    const china = await create({
      account_id: '222222222223', account_name: 'China',
      credentials: { type: 'assume_role', role_arn: 'arn:aws-cn:iam::222222222223:role/Reader' },
    });
    assertError(china, 422, 'validation_failed', { field: 'credentials', message: /AccessDenied/ });
    assert.equal(await denials(), before + 1, 'the aws-cn role ARN was sent to STS AssumeRole (and refused there)');
  });

  test('validation: 422 naming the field for every rule, nothing created', async () => {
    const base = { account_id: '333333333333', account_name: 'Valid', regions: ['us-east-1'], credentials: accessKey() };
    const role = (over) => ({ ...base, credentials: { type: 'assume_role', role_arn: 'arn:aws:iam::333333333333:role/R', ...over } });
    const cases = [
      [{ ...base, account_id: '12345' }, 'account_id'],
      [{ ...base, account_id: '12345678901a' }, 'account_id'],
      [{ ...base, account_id: '1234567890123' }, 'account_id'],
      // (An omitted account_id is no longer an error: the id comes from AWS; see the next test and onboarding.)
      [{ ...base, account_name: '' }, 'account_name'],
      [{ ...base, account_name: '   ' }, 'account_name'],
      [{ ...base, account_name: 'x'.repeat(129) }, 'account_name'],
      [{ ...base, account_name: 'tab\there' }, 'account_name'],
      [{ ...base, regions: ['us-east-1', 'mars-north-1'] }, 'regions[1]'],
      [{ ...base, regions: ['US-EAST-1'] }, 'regions[0]'],
      [{ ...base, regions: [42] }, 'regions[0]'],
      [{ ...base, teams: ['ok', 'Not OK'] }, 'teams[1]'],
      [{ ...base, credentials: undefined }, 'credentials'],
      [{ ...base, credentials: 'AKIA' }, 'credentials'],
      [{ ...base, credentials: { ...accessKey(), type: 'password' } }, 'credentials.type'],
      [{ ...base, credentials: { secret_access_key: SECRET } }, 'credentials.type'],
      [{ ...base, credentials: accessKey({ access_key_id: 'AKIA123' }) }, 'credentials.access_key_id'],
      [{ ...base, credentials: accessKey({ access_key_id: 'akiaiosfodnn7example' }) }, 'credentials.access_key_id'],
      [{ ...base, credentials: accessKey({ access_key_id: undefined }) }, 'credentials.access_key_id'],
      [{ ...base, credentials: accessKey({ secret_access_key: 'short' }) }, 'credentials.secret_access_key'],
      [{ ...base, credentials: accessKey({ secret_access_key: 'has a space in the middle 12345' }) }, 'credentials.secret_access_key'],
      [{ ...base, credentials: accessKey({ secret_access_key: undefined }) }, 'credentials.secret_access_key'],
      [role({ role_arn: 'arn:aws:iam::123:role/R' }), 'credentials.role_arn'],
      [role({ role_arn: 'arn:aws:iam::333333333333:user/R' }), 'credentials.role_arn'],
      [role({ role_arn: 'arn:aws:s3:::bucket' }), 'credentials.role_arn'],
      [role({ role_arn: 'arn:aws:iam::333333333333:role/' }), 'credentials.role_arn'],
      [role({ role_arn: undefined }), 'credentials.role_arn'],
      [role({ external_id: 'x' }), 'credentials.external_id'],
      [role({ external_id: 'has space' }), 'credentials.external_id'],
    ];
    for (const [body, field] of cases) {
      const r = await create(body);
      assert.notEqual(r.status, 201, `accepted: ${JSON.stringify(body)}`);
      assertError(r, 422, 'validation_failed', { field });
      assert.ok(r.json.error.message.startsWith(`${field}: `), r.json.error.message);
      // A secret sent in a rejected request is not echoed back either.
      assert.ok(!r.text.includes(SECRET));
    }
    assertError(await get('333333333333'), 404, 'not_found');
    assertError(await p.api('POST', '/api/accounts', { token: adminToken, rawBody: '{"account_id": "3333', headers: { 'Content-Type': 'application/json' } }),
      400, 'bad_request');
    assertError(await p.api('POST', '/api/accounts', { token: adminToken, rawBody: '[1,2]', headers: { 'Content-Type': 'application/json' } }),
      400, 'bad_request');
  });

  test('account_id is optional: without it the account is registered under the id AWS reports', async () => {
    const aws = await p.awsAccount({ account_id: '333333333301' });
    const r = await create({ account_name: 'Id from AWS', credentials: aws.credentials });
    assertStatus(r, 201);
    assert.equal(r.json.account_id, '333333333301');
    assert.equal(r.headers.get('location'), '/api/accounts/333333333301');
  });

  test('an explicit empty region list is rejected on create as it is on PATCH',
    async () => {
      const r = await create({ account_id: '333333333399', account_name: 'No regions', regions: [], credentials: accessKey() });
      assertError(r, 422, 'validation_failed', { field: 'regions' });
    });

  test('a duplicate account id is 409 already_exists and leaves the first one alone', async () => {
    // Another key of the same AWS account: STS says 111111111111, which is registered already.
    const impostor = await p.sim.addKey('111111111111', { access_key_id: 'AKIAIMPOSTOR00000000' });
    const r = await create({ account_id: '111111111111', account_name: 'Impostor', credentials: { type: 'access_key', ...impostor } });
    assertError(r, 409, 'already_exists', { field: 'account_id' });
    // The same without naming the id.
    const r2 = await create({ account_name: 'Impostor', credentials: { type: 'access_key', ...impostor } });
    assertError(r2, 409, 'already_exists', { field: 'account_id' });
    const g = await get('111111111111');
    assert.equal(g.json.account_name, 'Production');
    assert.equal(g.json.credentials.access_key_id, masked(TEMP_KEY_ID));
  });

  test('list: filters status, team, search; follows cursors; total only on the unfiltered list', async () => {
    // Seven more accounts to page through (natural, case-insensitive name order, then id: bench-2 before bench-10).
    const extra = [
      ['444444444401', 'alpha staging', ['team-c']],
      ['444444444402', 'Beta Sandbox', ['team-c', 'team-a']],
      ['444444444403', 'gamma', ['team-c']],
      ['444444444404', 'Delta', []],
      ['555555555501', 'Epsilon', ['team-d']],
      ['555555555502', 'bench-10', []],
      ['555555555503', 'bench-2', []],
    ];
    for (const [account_id, account_name, teams] of extra) {
      assertStatus(await create({ account_id, account_name, teams, credentials: await simKeys(account_id) }), 201);
    }
    const all = await list();
    assert.equal(all.total, all.items.length, 'an admin\'s unfiltered list carries the maintained count');
    assert.equal(all.next, null);
    assert.equal(all.page, undefined);
    assert.equal(all.page_size, 50);
    const names = all.items.map((a) => a.account_name);
    const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'accent' });
    assert.deepEqual(names, [...names].sort(natural.compare), 'sorted by name, naturally');
    assert.ok(names.indexOf('bench-2') + 1 === names.indexOf('bench-10'), 'bench-2 right before bench-10');
    assert.ok(all.items.every((a) => a.status === 'active'));
    for (const s of SECRETS()) assert.ok(!JSON.stringify(all).includes(s));

    const teamC = await list('team=team-c');
    assert.deepEqual(teamC.items.map((a) => a.account_id).sort(), ['444444444401', '444444444402', '444444444403']);
    assert.equal(teamC.total, undefined, 'no total on a filtered list');

    const search = await list('search=SANDBOX');
    assert.deepEqual(search.items.map((a) => a.account_id), ['444444444402'], 'name word prefix, case-insensitive');
    assert.deepEqual((await list('search=andbox')).items, [], 'inside a word: no match');
    const byIdPrefix = await list('search=4444444444');
    assert.equal(byIdPrefix.items.length, 4, 'account id prefix');
    const noMatch = await list('search=zzz-nothing');
    assert.deepEqual(noMatch, { items: [], next: null, page_size: 50 });

    // Cursor pages of 2 give the whole list, in order, each account once.
    const followed = [];
    let cursor = '';
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 20, 'the cursor chain ends');
      const page = await list(`page_size=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.items.length <= 2);
      assert.equal(page.total, all.total);
      followed.push(...page.items.map((a) => a.account_id));
      if (page.next === null) break;
      cursor = page.next;
    }
    assert.deepEqual(followed, all.items.map((a) => a.account_id));

    // Search results in natural order too (matched terms compare digit runs as numbers), page by page.
    const benches = [];
    for (let cursor = '', i = 0; i < 5; i += 1) {
      const page = await list(`search=bench&page_size=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      benches.push(...page.items.map((a) => a.account_name));
      if (page.next === null) break;
      cursor = page.next;
    }
    assert.deepEqual(benches, ['bench-2', 'bench-10'], 'search: bench-2 before bench-10');
    assert.deepEqual((await list('search=bench-1')).items.map((a) => a.account_name), ['bench-10'],
      'a trailing number matches the longer numbers it starts');

    const combined = await list('team=team-c&search=a&page_size=1');
    assert.deepEqual(combined.items.map((a) => a.account_id), ['444444444401'], '"alpha staging": the only word starting with a');
    assert.equal(combined.next, null);

    for (const [q, field] of [['page=1', 'page'], ['page=x', 'page'], ['cursor=not-a-cursor', 'cursor'], ['page_size=0', 'page_size'],
      ['page_size=201', 'page_size'], ['status=deleted', 'status'], ['team=Bad%20Team', 'team'], [`search=${'s'.repeat(129)}`, 'search']]) {
      assertError(await p.api('GET', `/api/accounts?${q}`, { token: adminToken }), 422, 'validation_failed', { field });
    }
  });

  test('PATCH renames, changes regions and teams, rotates credentials; versions guard against lost updates', async () => {
    assertStatus(await create({ account_id: '666666666666', account_name: 'To change', teams: ['team-a'], credentials: await simKeys('666666666666') }), 201);
    let r = await p.api('PATCH', '/api/accounts/666666666666', { token: adminToken, body: { account_name: 'Changed', version: 1 } });
    assertStatus(r, 200);
    assert.equal(r.json.account_name, 'Changed');
    assert.equal(r.json.version, 2);

    r = await p.api('PATCH', '/api/accounts/666666666666', { token: adminToken, body: { regions: ['eu-west-1', 'us-east-1'], teams: ['team-b'] } });
    assertStatus(r, 200);
    assert.deepEqual(r.json.regions, ['eu-west-1', 'us-east-1']);
    assert.deepEqual(r.json.teams, ['team-b']);
    assert.equal(r.json.version, 3);
    // Team changes take effect for visibility at once.
    assertError(await get('666666666666', userA.token), 403, 'forbidden');
    assertStatus(await get('666666666666', userB.token), 200);

    r = await p.api('PATCH', '/api/accounts/666666666666', {
      token: adminToken, body: { credentials: { type: 'access_key', access_key_id: ROTATED_KEY_ID, secret_access_key: ROTATED_SECRET } },
    });
    assertStatus(r, 200);
    assert.deepEqual(r.json.credentials, { type: 'access_key', access_key_id: 'AKIA************0042' });
    assert.equal(r.json.version, 4);
    assert.ok(!r.text.includes(ROTATED_SECRET));
    const exported = await p.api('GET', '/api/accounts/666666666666/credentials', { token: adminToken });
    assertStatus(exported, 200);
    assert.equal(exported.json.access_key_id, ROTATED_KEY_ID);
    assert.equal(exported.json.secret_access_key, ROTATED_SECRET);
    const rotation = await p.audit(adminToken, 'action=account.rotate_credentials&target_id=666666666666');
    assert.equal(rotation.length, 1);
    assert.ok(!JSON.stringify(rotation).includes(ROTATED_SECRET));

    // Switching credential type.
    r = await p.api('PATCH', '/api/accounts/666666666666', {
      token: adminToken, body: { credentials: { type: 'assume_role', role_arn: 'arn:aws:iam::666666666666:role/Reader' } },
    });
    assertStatus(r, 200);
    assert.deepEqual(r.json.credentials, { type: 'assume_role', role_arn: 'arn:aws:iam::666666666666:role/Reader' });

    // Stale version: 409 conflict and nothing changes.
    r = await p.api('PATCH', '/api/accounts/666666666666', { token: adminToken, body: { account_name: 'Lost update', version: 2 } });
    assertError(r, 409, 'conflict');
    const after = await get('666666666666');
    assert.equal(after.json.account_name, 'Changed');
    assert.equal(after.json.version, 5);

    // Validation on PATCH names the field and changes nothing.
    for (const [body, field] of [[{ account_name: '' }, 'account_name'], [{ regions: ['nowhere-1'] }, 'regions[0]'],
      [{ regions: [] }, 'regions'], [{ teams: ['UP'] }, 'teams[0]'], [{ status: 'gone' }, 'status'], [{ version: 'five' }, 'version'],
      [{ credentials: { type: 'access_key', access_key_id: 'short', secret_access_key: ROTATED_SECRET } }, 'credentials.access_key_id']]) {
      assertError(await p.api('PATCH', '/api/accounts/666666666666', { token: adminToken, body }), 422, 'validation_failed', { field });
    }
    assert.equal((await get('666666666666')).json.version, 5);

    assertError(await p.api('PATCH', '/api/accounts/999999999999', { token: adminToken, body: { account_name: 'x' } }), 404, 'not_found');
  });

  test('DELETE is a soft delete: hidden from the list, visible with status=all, GET shows inactive', async () => {
    assertStatus(await create({ account_id: '777777777777', account_name: 'Retiring', teams: ['team-a'], credentials: await simKeys('777777777777') }), 201);
    const r = await p.api('DELETE', '/api/accounts/777777777777', { token: adminToken });
    assertStatus(r, 204);
    assert.equal(r.text, '');
    assert.ok(!(await list()).items.some((a) => a.account_id === '777777777777'));
    assert.ok(!(await list('', userA.token)).items.some((a) => a.account_id === '777777777777'));
    const all = await list('status=all');
    assert.equal(all.items.find((a) => a.account_id === '777777777777').status, 'inactive');
    const inactive = await list('status=inactive');
    assert.deepEqual(inactive.items.map((a) => a.account_id), ['777777777777']);
    const g = await get('777777777777');
    assertStatus(g, 200);
    assert.equal(g.json.status, 'inactive');
    assert.equal(g.json.version, 2);
    // Deleting again is harmless; reactivating works.
    assertStatus(await p.api('DELETE', '/api/accounts/777777777777', { token: adminToken }), 204);
    const re = await p.api('PATCH', '/api/accounts/777777777777', { token: adminToken, body: { status: 'active' } });
    assertStatus(re, 200);
    assert.equal(re.json.status, 'active');
    assert.ok((await list()).items.some((a) => a.account_id === '777777777777'));
    assertError(await p.api('DELETE', '/api/accounts/999999999999', { token: adminToken }), 404, 'not_found');
    assertError(await get('999999999999'), 404, 'not_found');
    assertError(await get('not-an-id'), 404, 'not_found');
  });

  test('credentials export: admin only, no-store, audited (and so is the denial)', async () => {
    const r = await p.api('GET', '/api/accounts/111111111111/credentials', { token: adminToken, headers: { 'X-Request-Id': 'it-export-1' } });
    assertStatus(r, 200);
    assert.deepEqual(r.json, { type: 'access_key', access_key_id: TEMP_KEY_ID, secret_access_key: TEMP_SECRET, session_token: SESSION_TOKEN });
    assert.match(r.headers.get('cache-control') || '', /no-store/);

    const role = await p.api('GET', '/api/accounts/222222222222/credentials', { token: adminToken });
    assertStatus(role, 200);
    assert.deepEqual(role.json, { type: 'assume_role', role_arn: 'arn:aws:iam::222222222222:role/path/PlatformReader', external_id: EXTERNAL_ID });

    const ok = await p.audit(adminToken, 'action=credentials.export&target_id=111111111111&outcome=success');
    assert.equal(ok.length, 1);
    assert.equal(ok[0].actor_id, adminId);
    assert.equal(ok[0].actor_email, ADMIN.email);
    assert.equal(ok[0].target_type, 'account');
    assert.equal(ok[0].request_id, 'it-export-1');
    for (const s of SECRETS()) assert.ok(!JSON.stringify(ok).includes(s), 'the audit entry holds no secret');

    // A user of the account's own team is refused, and the refusal is audited.
    const denied = await p.api('GET', '/api/accounts/111111111111/credentials', { token: userA.token, headers: { 'X-Request-Id': 'it-export-2' } });
    assertError(denied, 403, 'forbidden');
    assert.ok(!denied.text.includes(TEMP_SECRET));
    const refusals = await p.audit(adminToken, 'action=credentials.export&target_id=111111111111&outcome=denied');
    assert.equal(refusals.length, 1);
    assert.equal(refusals[0].actor_id, userA.user.user_id);
    assert.equal(refusals[0].request_id, 'it-export-2');

    assertError(await p.api('GET', '/api/accounts/111111111111/credentials'), 401, 'unauthenticated');
    assertError(await p.api('GET', '/api/accounts/999999999999/credentials', { token: adminToken }), 404, 'not_found');
  });

  test('billing: 204 (none stored) before PUT, 422 naming the field, PUT/GET round trip', async () => {
    const missing = await p.api('GET', '/api/accounts/111111111111/billing', { token: adminToken });
    assert.equal(missing.status, 204, missing.text); // none stored: an empty state

    const cases = [
      [{ ...BILLING, full_name: '' }, 'full_name'],
      [{ ...BILLING, address_line1: undefined }, 'address_line1'],
      [{ ...BILLING, city: '' }, 'city'],
      [{ ...BILLING, country_code: 'usa' }, 'country_code'],
      [{ ...BILLING, country_code: 'us' }, 'country_code'],
      [{ ...BILLING, phone_number: 'call me' }, 'phone_number'],
      [{ ...BILLING, postal_code: '' }, 'postal_code'],
      [{ ...BILLING, website_url: 'x'.repeat(251) }, 'website_url'],
      [{ ...BILLING, company_name: 'line\nbreak' }, 'company_name'],
      [{ ...BILLING, city: 42 }, 'city'],
    ];
    for (const [body, field] of cases) {
      assertError(await p.api('PUT', '/api/accounts/111111111111/billing', { token: adminToken, body }), 422, 'validation_failed', { field });
    }
    const none = await p.api('GET', '/api/accounts/111111111111/billing', { token: adminToken });
    assert.equal(none.status, 204);  // an empty state, not an error

    const put = await p.api('PUT', '/api/accounts/111111111111/billing', { token: adminToken, body: BILLING });
    assertStatus(put, 200);
    const expected = { ...BILLING, address_line3: '', account_id: '111111111111', source: 'platform', updated_by: adminId };
    for (const [k, v] of Object.entries(expected)) assert.equal(put.json[k], v, k);
    assert.match(put.json.updated_at, /Z$/);

    const g = await p.api('GET', '/api/accounts/111111111111/billing', { token: adminToken });
    assertStatus(g, 200);
    assert.deepEqual(g.json, put.json);
    // Users of the account's team may read it.
    const asUser = await p.api('GET', '/api/accounts/111111111111/billing', { token: userA.token });
    assertStatus(asUser, 200);
    assert.deepEqual(asUser.json, put.json);

    // PUT replaces: omitted optional fields become empty.
    const replaced = await p.api('PUT', '/api/accounts/111111111111/billing', {
      token: adminToken, body: { ...BILLING, address_line2: undefined, company_name: undefined },
    });
    assertStatus(replaced, 200);
    assert.equal(replaced.json.address_line2, '');
    assert.equal(replaced.json.company_name, '');
    assert.equal((await p.api('GET', '/api/accounts/111111111111/billing', { token: adminToken })).json.address_line2, '');

    assertError(await p.api('PUT', '/api/accounts/999999999999/billing', { token: adminToken, body: BILLING }), 404, 'not_found');
    assertError(await p.api('GET', '/api/accounts/999999999999/billing', { token: adminToken }), 404, 'not_found');
    const audit = await p.audit(adminToken, 'action=account.billing.update&target_id=111111111111');
    assert.equal(audit.length, 2);
  });

  test('visibility: a user sees only the accounts of their teams', async () => {
    const a = await list('status=all', userA.token);
    const ids = a.items.map((x) => x.account_id).sort();
    // team-a: 111111111111, 444444444402 (team-c + team-a), 777777777777.
    assert.deepEqual(ids, ['111111111111', '444444444402', '777777777777']);
    assert.equal(a.total, undefined, 'a user\'s list is a team list: no total');
    const b = await list('', userB.token);
    assert.deepEqual(b.items.map((x) => x.account_id).sort(), ['222222222222', '666666666666']);
    // A team filter cannot widen what a user sees.
    // (Whether a shared account of another team shows up under that team's filter is a product choice; it must
    // never be one the user cannot see.)
    const other = await list('team=team-c', userA.token);
    assert.ok(other.items.every((x) => x.account_id === '444444444402'), JSON.stringify(other.items));
    assert.equal(other.next, null);
    assert.deepEqual((await list('team=team-d', userA.token)).items, []);

    assertStatus(await get('111111111111', userA.token), 200);
    assertError(await get('111111111111', userB.token), 403, 'forbidden');
    assertError(await get('444444444404', userA.token), 403, 'forbidden', {}); // no team at all: admins only
    assertError(await p.api('GET', '/api/accounts/111111111111/billing', { token: userB.token }), 403, 'forbidden');

    // A user without teams sees nothing.
    const loner = await p.createUser(adminToken, { email: 'loner@example.com' });
    assert.deepEqual(await list('', loner.token), { items: [], next: null, page_size: 50 });

    // Users cannot write.
    assertError(await create({ account_id: '888888888888', account_name: 'Mine', teams: ['team-a'], credentials: accessKey() }, userA.token),
      403, 'forbidden');
    assertError(await p.api('PATCH', '/api/accounts/111111111111', { token: userA.token, body: { account_name: 'Mine now' } }), 403, 'forbidden');
    assertError(await p.api('DELETE', '/api/accounts/111111111111', { token: userA.token }), 403, 'forbidden');
    assertError(await p.api('PUT', '/api/accounts/111111111111/billing', { token: userA.token, body: BILLING }), 403, 'forbidden');
    const still = await get('111111111111');
    assert.equal(still.json.account_name, 'Production');
    assert.equal(still.json.status, 'active');
  });

  test('concurrent writes: one PATCH per version wins, one create per id wins', async () => {
    assertStatus(await create({ account_id: '868686868686', account_name: 'Contended', credentials: await simKeys('868686868686') }), 201);
    const patches = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      p.api('PATCH', '/api/accounts/868686868686', { token: adminToken, body: { account_name: `Writer ${i}`, version: 1 } })));
    const won = patches.filter((r) => r.status === 200);
    assert.equal(won.length, 1, patches.map((r) => r.status).join(','));
    for (const r of patches.filter((x) => x.status !== 200)) assertError(r, 409, 'conflict');
    const g = await get('868686868686');
    assert.equal(g.json.version, 2);
    assert.equal(g.json.account_name, won[0].json.account_name);

    const racer = await simKeys('878787878787');
    const creates = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      create({ account_id: '878787878787', account_name: `Racer ${i}`, credentials: racer })));
    assert.equal(creates.filter((r) => r.status === 201).length, 1, creates.map((r) => r.status).join(','));
    for (const r of creates.filter((x) => x.status !== 201)) assertError(r, 409, 'already_exists', { field: 'account_id' });
  });

  test('a change of a user\'s teams changes what they see at once', async () => {
    const u = await p.createUser(adminToken, { email: 'mover@example.com', teams: ['team-b'] });
    assertError(await get('111111111111', u.token), 403, 'forbidden');
    assertStatus(await p.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { teams: ['team-a'] } }), 200);
    assertStatus(await get('111111111111', u.token), 200);
    assert.ok((await list('', u.token)).items.some((a) => a.account_id === '111111111111'));
    assertError(await get('222222222222', u.token), 403, 'forbidden');
  });

  test('no secret appears in any response, log line or the database file', async () => {
    // Every response of this file except the credential exports themselves.
    const leaks = [];
    for (const r of p.responses) {
      if (r.method === 'GET' && /\/credentials$/.test(r.path) && r.status === 200) continue;
      const text = r.text + JSON.stringify(r.headers);
      for (const s of SECRETS()) if (text.includes(s)) leaks.push(`${r.method} ${r.path} ${r.status} leaks ${s.slice(0, 6)}…`);
    }
    assert.deepEqual(leaks, []);
    // Sealed at rest: stop the server (checkpointing the WAL) and look at the raw bytes. No refresh is in flight at
    // the stop (so that what follows does not depend on the timing of background refreshes).
    await p.waitNoRefresh(adminToken);
    const dataDir = p.dataDir;
    const exit = await p.stop({ keepDataDir: true, keepSim: true });
    assert.equal(exit.code, 0);
    // All of stderr has been read once the process is gone.
    assert.ok(p.stderrLines.length > 0);
    for (const line of p.stderrLines.concat(p.stdoutLines)) {
      for (const s of SECRETS()) assert.ok(!line.includes(s), `log line leaks a secret: ${line.slice(0, 200)}`);
    }
    for (const f of ['account-platform.db', 'account-platform.db-wal']) {
      let bytes;
      try {
        bytes = await readFile(join(dataDir, f));
      } catch {
        continue;
      }
      for (const s of SECRETS()) {
        assert.ok(!bytes.includes(Buffer.from(s)), `${f} holds a secret in clear text`);
      }
    }
    p = await p.startAgain();
    // Still decryptable after a restart (the master key persisted).
    const t = await p.login(ADMIN.email, ADMIN.password);
    const r = await p.api('GET', '/api/accounts/111111111111/credentials', { token: t });
    assertStatus(r, 200);
    assert.equal(r.json.secret_access_key, TEMP_SECRET);
  });
});
