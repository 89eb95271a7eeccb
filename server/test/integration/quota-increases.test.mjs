// Quota increase requests (issue 14 §1) against the AWS simulator: a request sent and tracked by the schedule
// until APPROVED (the cached value is then refreshed), "check now", a request made outside the platform found by
// the account's sync, a bulk job with a mix of outcomes, AWS's limits (one open request per quota, 20 per account)
// refused before sending, and users without --users-may-request.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus, waitFor } from './lib/platform.mjs';

describe('quota increase requests', () => {
  let p;
  let admin;
  let user; // team-a, may read the accounts of team-a but not request (no --users-may-request)
  let tpm; // { model_id, dimension, code } of an adjustable configured code
  let rpm; // another adjustable configured code
  before(async () => {
    p = await Platform.start({ args: ['--increase-check-interval', '1s'] });
    admin = await p.login(ADMIN.email, ADMIN.password);
    user = await p.createUser(admin, { email: 'qi-user@example.com', teams: ['team-a'] });
    const config = (await p.api('GET', '/api/admin/quota-config', { token: admin })).json;
    const catalogue = await p.sim.control('GET', '/_sim/catalogue');
    const adjustable = new Set((catalogue.quotas ?? catalogue).filter((q) => q.adjustable).map((q) => q.code));
    const candidates = [];
    for (const m of config.models.filter((x) => x.enabled)) {
      for (const dimension of ['tpm', 'rpm']) {
        const code = m[`quota_code_${dimension}`];
        if (code && adjustable.has(code)) candidates.push({ model_id: m.model_id, dimension, code });
      }
    }
    assert.ok(candidates.length >= 2, 'two adjustable configured codes');
    [tpm, rpm] = candidates;
  });
  after(async () => {
    if (p) await p.stop();
  });

  // A registered account (team-a) whose first refresh has filled the cache.
  async function account() {
    const a = await p.createAccount(admin, { teams: ['team-a'] });
    await p.waitNotRefreshing(admin, a.account_id);
    return a.account_id;
  }
  const cached = async (id, code) => (await p.sim.quotas(id, 'us-east-1')).get(code);
  const current = async (id, which) => {
    const q = (await p.api('GET', `/api/accounts/${id}/quota`, { token: admin })).json;
    return q.models.find((m) => m.model_id === which.model_id)[which.dimension].value;
  };
  const send = (id, which, desired, token = admin) => p.api('POST', `/api/accounts/${id}/quota-increases`, {
    token, body: { region: 'us-east-1', model_id: which.model_id, dimension: which.dimension, desired_value: desired, reason: 'it' },
  });
  const get = async (requestId) => (await p.api('GET', `/api/quota-increases/${requestId}`, { token: admin })).json;

  test('a request is tracked by the schedule until APPROVED, and the approved value is refreshed', async () => {
    const id = await account();
    const before = await current(id, tpm);
    assert.equal(typeof before, 'number');
    const desired = before * 2;
    const made = await send(id, tpm, desired);
    assertStatus(made, 201);
    assert.equal(made.json.status, 'PENDING');
    assert.equal(made.json.value_at_request, before);
    assert.equal(made.json.source, 'platform');
    // AWS moves it one step per status read: the schedule (every second) reads it to CASE_OPENED, then APPROVED.
    await p.sim.control('POST', `/_sim/accounts/${id}/requests/${made.json.aws_request_id}`, {
      script: { steps: ['CASE_OPENED', 'APPROVED'], advance: 'per_read' },
    });
    const approved = await waitFor(async () => {
      const r = await get(made.json.request_id);
      return r.status === 'APPROVED' && r;
    }, { timeoutMs: 20000, intervalMs: 200, what: 'APPROVED' });
    assert.match(approved.case_id, /^case-/);
    assert.equal(approved.open, false);
    assert.ok(approved.checked_at);
    await waitFor(async () => (await current(id, tpm)) === desired, { timeoutMs: 20000, intervalMs: 200, what: 'the refreshed value' });
    assert.equal((await cached(id, tpm.code)).applied_value, desired);
    const audit = await p.audit(admin, 'action=quota_increase.');
    const actions = new Set(audit.map((e) => e.action));
    assert.ok(actions.has('quota_increase.request') && actions.has('quota_increase.status_changed'), [...actions].join());
  });

  test('check reads the status now; one open request per quota; users without --users-may-request get 403', async () => {
    const id = await account();
    const before = await current(id, tpm);
    const made = await send(id, tpm, before * 3);
    assertStatus(made, 201);
    await p.sim.control('POST', `/_sim/accounts/${id}/requests/${made.json.aws_request_id}`, { status: 'CASE_OPENED', case_id: 'case-77' });
    const checked = await p.api('POST', `/api/quota-increases/${made.json.request_id}/check`, { token: admin });
    assertStatus(checked, 200);
    assert.equal(checked.json.status, 'CASE_OPENED');
    assert.equal(checked.json.case_id, 'case-77');
    assertError(await send(id, tpm, before * 4), 409, 'conflict', { field: 'quota_code' });
    assertError(await send(id, tpm, before * 4, user), 403, 'forbidden');
    const listed = await p.api('GET', `/api/accounts/${id}/quota-increases?open=true`, { token: user });
    assertStatus(listed, 200);
    assert.equal(listed.json.may_request, false);
    assert.deepEqual(listed.json.items.map((r) => r.request_id), [made.json.request_id]);
  });

  test('sync finds a request made outside the platform', async () => {
    const id = await account();
    const outside = await p.sim.control('POST', `/_sim/accounts/${id}/requests`, { region: 'us-east-1', quota_code: rpm.code, desired_value: 123456 });
    const synced = await p.api('POST', `/api/accounts/${id}/quota-increases/sync`, { token: admin });
    assertStatus(synced, 200);
    assert.deepEqual(synced.json.failed, []);
    assert.ok(synced.json.found <= 1); // the schedule's own sync may have found it first
    const list = await p.api('GET', `/api/quota-increases?account_id=${id}`, { token: admin });
    const found = list.json.items.find((r) => r.aws_request_id === outside.id);
    assert.ok(found, JSON.stringify(list.json));
    assert.equal(found.source, 'external');
    assert.equal(found.requested_by, null);
    assert.equal(found.desired_value, 123456);
    assert.equal(found.model_id, rpm.model_id);
    const again = await p.api('POST', `/api/accounts/${id}/quota-increases/sync`, { token: admin });
    assert.equal(again.json.found, 0);
  });

  test('the account\'s 20 open requests are refused before sending', async () => {
    const id = await account();
    for (let i = 0; i < 20; i++) {
      await p.sim.control('POST', `/_sim/accounts/${id}/requests`, { region: 'us-east-1', quota_code: rpm.code, desired_value: 1000000 + i });
    }
    assertStatus(await p.api('POST', `/api/accounts/${id}/quota-increases/sync`, { token: admin }), 200);
    const before = (await p.sim.counters()).by_account[id]?.operations?.RequestServiceQuotaIncrease;
    const refused = await send(id, tpm, (await current(id, tpm)) * 2);
    assertError(refused, 409, 'conflict');
    assert.match(refused.json.error.message, /account_open_limit/);
    assert.deepEqual((await p.sim.counters()).by_account[id]?.operations?.RequestServiceQuotaIncrease, before);
  });

  test('a bulk job reports per-account outcomes', async () => {
    const ok = await account();
    const notEnabled = await account();
    const preview = await p.api('POST', '/api/quota-increases/preview', {
      token: admin,
      body: { targets: [{ account_id: ok, region: 'us-east-1' }, { account_id: notEnabled, region: 'eu-west-1' }],
        model_id: tpm.model_id, dimension: tpm.dimension, desired_value: 99999999 },
    });
    assertStatus(preview, 200);
    assert.deepEqual(preview.json.items.map((i) => i.will_send), [true, false]);
    assert.equal(preview.json.items[1].problem.code, 'region_not_enabled');
    assert.equal(preview.json.items[0].request.QuotaCode, tpm.code);
    const started = await p.api('POST', '/api/quota-increases/bulk', {
      token: admin,
      body: { targets: [{ account_id: ok, region: 'us-east-1' }, { account_id: notEnabled, region: 'eu-west-1' }],
        model_id: tpm.model_id, dimension: tpm.dimension, desired_value: 99999999, reason: 'bulk' },
    });
    assertStatus(started, 202);
    const job = await waitFor(async () => {
      const j = (await p.api('GET', `/api/jobs/${started.json.job_id}`, { token: admin })).json;
      return j.state !== 'running' && j;
    }, { timeoutMs: 20000, intervalMs: 100, what: 'the job to end' });
    assert.equal(job.kind, 'quota_increase');
    assert.equal(job.state, 'failed');
    assert.equal(job.ok, 1);
    assert.equal(job.failed, 1);
    const items = (await p.api('GET', `/api/jobs/${started.json.job_id}/items`, { token: admin })).json.items;
    assert.equal(items[0].outcome, 'ok');
    const made = await get(items[0].ref);
    assert.equal(made.account_id, ok);
    assert.equal(made.reason, 'bulk');
    assert.equal(items[1].outcome, 'failed');
    assert.match(items[1].error, /region_not_enabled/);
    assert.equal(items[1].ref, null);
  });
});
