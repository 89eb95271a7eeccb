// Onboarding against the AWS simulator: POST /api/accounts verifies the credentials with STS GetCallerIdentity
// (after AssumeRole, made with the platform's own identity, for assume_role accounts) and takes the account id from
// AWS; credential rotation is verified the same way; contact information can be read from AWS's Account API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';
import { PLATFORM_ACCOUNT_ID, callsOf, newAccessKeyId, newSecretAccessKey } from './lib/aws-sim.mjs';

const CONTACT = {
  FullName: 'Mary Major',
  AddressLine1: '2100 Sim Avenue',
  AddressLine2: 'Suite 7',
  AddressLine3: 'Building C',
  City: 'Portland',
  CompanyName: 'Sim Holdings',
  CountryCode: 'US',
  DistrictOrCounty: 'Multnomah',
  PhoneNumber: '+1 503-555-0199',
  PostalCode: '97201',
  StateOrRegion: 'OR',
  WebsiteUrl: 'https://sim.example.com',
};
// The API's snake_case form of a ContactInformation.
const contactJson = (c) => ({
  full_name: c.FullName ?? '',
  address_line1: c.AddressLine1 ?? '',
  address_line2: c.AddressLine2 ?? '',
  address_line3: c.AddressLine3 ?? '',
  city: c.City ?? '',
  company_name: c.CompanyName ?? '',
  country_code: c.CountryCode ?? '',
  district_or_county: c.DistrictOrCounty ?? '',
  phone_number: c.PhoneNumber ?? '',
  postal_code: c.PostalCode ?? '',
  state_or_region: c.StateOrRegion ?? '',
  website_url: c.WebsiteUrl ?? '',
});

describe('onboarding with STS', () => {
  let p;
  let adminToken;
  let userA; // team-a
  let userB; // team-b
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userA = await p.createUser(adminToken, { email: 'on-a@example.com', teams: ['team-a'] });
    userB = await p.createUser(adminToken, { email: 'on-b@example.com', teams: ['team-b'] });
  });
  after(async () => {
    // No refresh in flight at the stop (so that what follows does not depend on the timing of background refreshes).
    if (p) await p.waitNoRefresh(adminToken).catch(() => {});
    if (p) await p.stop();
  });

  const create = (body, token = adminToken) => p.api('POST', '/api/accounts', { token, body });
  const get = (id) => p.api('GET', `/api/accounts/${id}`, { token: adminToken });
  const exported = async (id) => {
    const r = await p.api('GET', `/api/accounts/${id}/credentials`, { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };
  const counters = () => p.sim.counters();

  test('without account_id the account is registered under the id STS reports', async () => {
    const aws = await p.awsAccount();
    assert.match(aws.account_id, /^\d{12}$/);
    const r = await create({ account_name: 'From AWS', teams: ['team-a'], credentials: aws.credentials });
    assertStatus(r, 201);
    assert.equal(r.json.account_id, aws.account_id);
    assert.equal(r.headers.get('location'), `/api/accounts/${aws.account_id}`);
    assertStatus(await get(aws.account_id), 200);
    const calls = callsOf(await counters(), 'GetCallerIdentity', aws.account_id);
    assert.ok(calls.ok >= 1, `GetCallerIdentity was called with the account's keys: ${JSON.stringify(calls)}`);
  });

  test('the first quota refresh of every region starts at creation and runs in the background', async () => {
    const aws = await p.awsAccount({ quotas: [{ region: 'us-west-2', code: 'L-3ABF6ACC', value: 777000 }] });
    const r = await create({ account_name: 'First refresh', regions: ['us-east-1', 'us-west-2'], credentials: aws.credentials });
    assertStatus(r, 201);
    assert.strictEqual(r.json.refreshing, true);
    const done = await p.waitNotRefreshing(adminToken, aws.account_id);
    assert.strictEqual(done.refreshing, false);
    for (const region of ['us-east-1', 'us-west-2']) {
      const q = await p.api('GET', `/api/accounts/${aws.account_id}/quota?region=${region}`, { token: adminToken });
      assertStatus(q, 200);
      assert.notEqual(q.json.last_updated, null, `the first refresh filled the cache of ${region}`);
      for (const m of q.json.models) assert.equal(m.status, 'ok', `${region} ${m.model_id}: ${JSON.stringify(m)}`);
      const sim = await p.sim.quotas(aws.account_id, region);
      for (const m of q.json.models) {
        for (const d of ['tpm', 'rpm', 'tpm_1m', 'rpm_1m']) {
          if (!m[d]) continue;
          const want = sim.get(m[d].quota_code);
          assert.equal(m[d].value, want.unapplied ? want.default_value : want.applied_value, `${region} ${m.model_id}.${d}`);
        }
      }
    }
    const audit = await p.audit(adminToken, `action=quota.refresh&target_id=${aws.account_id}`);
    assert.deepEqual(audit.map((e) => e.outcome), ['success', 'success'], 'one audited refresh per region');
    assert.ok(audit.every((e) => e.actor_id === done.created_by), 'under the admin who registered the account');
  });

  test('a named account_id must be the one AWS reports: otherwise 422 on account_id and nothing is registered', async () => {
    const aws = await p.awsAccount();
    const other = '123456789012';
    const r = await create({ account_id: other, account_name: 'Mismatch', credentials: aws.credentials });
    assertError(r, 422, 'validation_failed', { field: 'account_id' });
    assert.ok(r.json.error.message.includes(aws.account_id), r.json.error.message);
    assertError(await get(other), 404, 'not_found');
    assertError(await get(aws.account_id), 404, 'not_found');
    // The matching id is accepted.
    const ok = await create({ account_id: aws.account_id, account_name: 'Match', credentials: aws.credentials });
    assertStatus(ok, 201);
    assert.equal(ok.json.account_id, aws.account_id);
  });

  test('a wrong secret is 422 on credentials with AWS\'s error code; the secret is not echoed', async () => {
    const aws = await p.awsAccount();
    const wrong = newSecretAccessKey();
    const r = await create({ account_name: 'Wrong secret', credentials: { ...aws.credentials, secret_access_key: wrong } });
    assertError(r, 422, 'validation_failed', { field: 'credentials', message: /SignatureDoesNotMatch|InvalidSignatureException/ });
    assert.ok(!r.text.includes(wrong));
    assertError(await get(aws.account_id), 404, 'not_found');
  });

  test('an unknown access key is 422 on credentials with InvalidClientTokenId / UnrecognizedClient', async () => {
    const r = await create({
      account_name: 'Unknown key',
      credentials: { type: 'access_key', access_key_id: newAccessKeyId(), secret_access_key: newSecretAccessKey() },
    });
    assertError(r, 422, 'validation_failed', { field: 'credentials', message: /InvalidClientTokenId|UnrecognizedClient/ });
  });

  test('temporary credentials: accepted with their session token, 422 with a wrong one', async () => {
    const aws = await p.awsAccount({ role: { external_id: null } });
    const temp = await p.sim.assumeRole(aws.access_key, aws.role.role_arn);
    const bad = await create({
      account_name: 'Bad token',
      credentials: { type: 'access_key', access_key_id: temp.access_key_id, secret_access_key: temp.secret_access_key,
        session_token: temp.session_token.slice(0, -4) + 'AAAA' },
    });
    assertError(bad, 422, 'validation_failed', { field: 'credentials', message: /InvalidClientTokenId|UnrecognizedClient/ });
    const r = await create({
      account_name: 'Temporary',
      credentials: { type: 'access_key', access_key_id: temp.access_key_id, secret_access_key: temp.secret_access_key, session_token: temp.session_token },
    });
    assertStatus(r, 201);
    assert.equal(r.json.account_id, aws.account_id);
  });

  test('assume_role: the platform\'s identity assumes the role; the right external id → 201, a wrong or missing one → 422 AccessDenied', async () => {
    const aws = await p.awsAccount({ role: true });
    const { role_arn, external_id } = aws.role;
    const before = callsOf(await counters(), 'AssumeRole', PLATFORM_ACCOUNT_ID);

    const wrong = await create({ account_name: 'Wrong external id', credentials: { type: 'assume_role', role_arn, external_id: 'ext-not-the-one' } });
    assertError(wrong, 422, 'validation_failed', { field: 'credentials', message: /AccessDenied/ });
    const missing = await create({ account_name: 'No external id', credentials: { type: 'assume_role', role_arn } });
    assertError(missing, 422, 'validation_failed', { field: 'credentials', message: /AccessDenied/ });
    const unknownRole = await create({ account_name: 'No such role',
      credentials: { type: 'assume_role', role_arn: `arn:aws:iam::${aws.account_id}:role/NoSuchRole`, external_id } });
    assertError(unknownRole, 422, 'validation_failed', { field: 'credentials', message: /AccessDenied/ });
    assertError(await get(aws.account_id), 404, 'not_found');

    const r = await create({ account_name: 'Role', teams: ['team-a'], credentials: aws.credentials });
    assertStatus(r, 201);
    assert.equal(r.json.account_id, aws.account_id);
    assert.deepEqual(r.json.credentials, { type: 'assume_role', role_arn });
    assert.deepEqual(await exported(aws.account_id), { type: 'assume_role', role_arn, external_id });

    // Every AssumeRole was made by the platform's own identity (its simulated account), none with the target's keys.
    const after = callsOf(await counters(), 'AssumeRole', PLATFORM_ACCOUNT_ID);
    assert.ok((after.AccessDenied ?? 0) - (before.AccessDenied ?? 0) === 3, `three refusals: ${JSON.stringify(after)}`);
    assert.ok((after.ok ?? 0) - (before.ok ?? 0) >= 1, `at least one success: ${JSON.stringify(after)}`);
    assert.equal(callsOf(await counters(), 'AssumeRole', aws.account_id).total, 0);
    // The id was checked with the role's temporary credentials.
    assert.ok(callsOf(await counters(), 'GetCallerIdentity', aws.account_id).ok >= 1);
  });

  test('a role of another account than the one named is 422 on account_id', async () => {
    const aws = await p.awsAccount({ role: true });
    const other = await p.awsAccount();
    const r = await create({ account_id: other.account_id, account_name: 'Wrong account', credentials: aws.credentials });
    assertError(r, 422, 'validation_failed', { field: 'account_id' });
  });

  test('STS unreachable (5xx on every call) → 503, nothing registered', async () => {
    const aws = await p.awsAccount();
    const fault = await p.sim.fault({ operation: 'GetCallerIdentity', error: '5xx', status: 503 });
    try {
      const r = await create({ account_name: 'STS down', credentials: aws.credentials });
      assertError(r, 503, 'unavailable');
      assert.ok(callsOf(await counters(), 'GetCallerIdentity', aws.account_id).total >= 2, 'the call was retried');
    } finally {
      await p.sim.removeFault(fault.id);
    }
    assertError(await get(aws.account_id), 404, 'not_found');
    assertStatus(await create({ account_name: 'STS back', credentials: aws.credentials }), 201);
  });

  test('rotation: keys of the same account → 200; of another account or rejected by AWS → 422 credentials, nothing changes', async () => {
    const aws = await p.awsAccount({ account_id: '313131313131' });
    assertStatus(await create({ account_name: 'Rotating', credentials: aws.credentials }), 201);
    const other = await p.awsAccount();
    const patch = (credentials) => p.api('PATCH', '/api/accounts/313131313131', { token: adminToken, body: { credentials } });

    const foreign = await patch(other.credentials);
    assertError(foreign, 422, 'validation_failed', { field: 'credentials' });
    assert.ok(foreign.json.error.message.includes(other.account_id), foreign.json.error.message);
    const badSecret = await patch({ ...aws.credentials, secret_access_key: newSecretAccessKey() });
    assertError(badSecret, 422, 'validation_failed', { field: 'credentials', message: /SignatureDoesNotMatch|InvalidSignatureException/ });
    const unknown = await patch({ type: 'access_key', access_key_id: newAccessKeyId(), secret_access_key: newSecretAccessKey() });
    assertError(unknown, 422, 'validation_failed', { field: 'credentials', message: /InvalidClientTokenId|UnrecognizedClient/ });
    const foreignRole = await p.awsAccount({ role: true });
    assertError(await patch(foreignRole.credentials), 422, 'validation_failed', { field: 'credentials' });
    assert.equal((await get('313131313131')).json.version, 1, 'refused rotations change nothing');
    assert.equal((await exported('313131313131')).access_key_id, aws.access_key.access_key_id);

    const newKey = await p.sim.addKey('313131313131');
    const ok = await patch({ type: 'access_key', ...newKey });
    assertStatus(ok, 200);
    assert.equal(ok.json.version, 2);
    assert.equal((await exported('313131313131')).access_key_id, newKey.access_key_id);
    const role = await p.sim.addRole('313131313131', { role_name: 'Rotated', external_id: 'ext-rotated-1' });
    const toRole = await patch({ type: 'assume_role', role_arn: role.role_arn, external_id: 'ext-rotated-1' });
    assertStatus(toRole, 200);
    assert.deepEqual(toRole.json.credentials, { type: 'assume_role', role_arn: role.role_arn });
    assertError(await patch({ type: 'assume_role', role_arn: role.role_arn, external_id: 'ext-wrong' }), 422, 'validation_failed',
      { field: 'credentials', message: /AccessDenied/ });
  });

  test('billing ?source=aws returns the contact information AWS has (access keys and roles)', async () => {
    const keyed = await p.awsAccount({ contact: CONTACT });
    assertStatus(await create({ account_name: 'Contact', teams: ['team-a'], credentials: keyed.credentials }), 201);
    const r = await p.api('GET', `/api/accounts/${keyed.account_id}/billing?source=aws`, { token: adminToken });
    assertStatus(r, 200);
    assert.deepEqual(r.json, { ...contactJson(CONTACT), updated_at: null, updated_by: null, account_id: keyed.account_id, source: 'aws' });
    // A user of the account's team may read it; a user of another team may not.
    const asUser = await p.api('GET', `/api/accounts/${keyed.account_id}/billing?source=aws`, { token: userA.token });
    assertStatus(asUser, 200);
    assert.deepEqual(asUser.json, r.json);
    assertError(await p.api('GET', `/api/accounts/${keyed.account_id}/billing?source=aws`, { token: userB.token }), 403, 'forbidden');
    // Read once and cached for 60 s (issue 8): a change at AWS does not show until then, and costs no call.
    await p.sim.control('PUT', `/_sim/accounts/${keyed.account_id}/contact`, { ...CONTACT, City: 'Salem' });
    const again = await p.api('GET', `/api/accounts/${keyed.account_id}/billing?source=aws`, { token: adminToken });
    assert.equal(again.json.city, CONTACT.City);
    assert.equal(callsOf(await counters(), 'GetContactInformation', keyed.account_id).total, 1);
    // The platform's own copy is separate.
    assert.equal((await p.api('GET', `/api/accounts/${keyed.account_id}/billing`, { token: adminToken })).status, 204);
    assertError(await p.api('GET', `/api/accounts/${keyed.account_id}/billing?source=elsewhere`, { token: adminToken }),
      422, 'validation_failed', { field: 'source' });

    // The simulator's own (seeded) contact, read through an assumed role.
    const role = await p.awsAccount({ role: true });
    assertStatus(await create({ account_name: 'Contact via role', credentials: role.credentials }), 201);
    const simContact = (await p.sim.getAccount(role.account_id)).contact_information;
    const viaRole = await p.api('GET', `/api/accounts/${role.account_id}/billing?source=aws`, { token: adminToken });
    assertStatus(viaRole, 200);
    assert.deepEqual(viaRole.json, { ...contactJson(simContact), updated_at: null, updated_by: null, account_id: role.account_id, source: 'aws' });
  });

  test('AWS denying the Account API is reported as 502 aws_error with AWS\'s code, never hidden', async () => {
    const aws = await p.awsAccount({ contact: CONTACT });
    assertStatus(await create({ account_name: 'Denied contact', credentials: aws.credentials }), 201);
    const fault = await p.sim.fault({ operation: 'GetContactInformation', account_id: aws.account_id, error: 'access_denied' });
    try {
      const r = await p.api('GET', `/api/accounts/${aws.account_id}/billing?source=aws`, { token: adminToken });
      assertError(r, 502, 'aws_error', { message: /AccessDeniedException/ });
      assert.ok(!r.text.includes(CONTACT.FullName));
      assert.equal(callsOf(await counters(), 'GetContactInformation', aws.account_id).AccessDeniedException, 1,
        'one refused call (access denied is not retried)');
    } finally {
      await p.sim.removeFault(fault.id);
    }
    assertStatus(await p.api('GET', `/api/accounts/${aws.account_id}/billing?source=aws`, { token: adminToken }), 200);
  });
});
