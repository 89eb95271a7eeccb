// Issue 16 §1 against the AWS simulator: a fleet refresh that AWS refuses for one account-region on every call is
// never shown as healthy. Its values keep their last good figures, marked stale with the reason and the attempt
// time; the dashboard counts them stale (the maintained aggregates), its row says the last refresh failed, the quota
// read says so too; a later successful refresh clears it. The same holds for a single refresh (refresh.test.mjs).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertStatus, waitFor } from './lib/platform.mjs';

describe('failed refresh', () => {
  let p;
  let adminToken;
  let ok; // an account AWS answers
  let denied; // an account AWS refuses (AccessDenied on every Service Quotas call) during the job
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    // One dashboard model (4 codes).
    const current = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    // A disabled model cannot be shown (issue 16 §3: 422 models[i].show_in_dashboard).
    const models = current.models.map((m) => {
      const enabled = m.model_id === 'claude-sonnet-4.5-v1';
      return { ...m, enabled, show_in_dashboard: m.show_in_dashboard && enabled };
    });
    assertStatus(await p.api('PUT', '/api/admin/quota-config', { token: adminToken, body: { version: current.version, models } }), 200);
    ok = (await p.createAccount(adminToken, { account_name: 'Alpha', aws: { quota_profile: 'defaults' } })).account_id;
    denied = (await p.createAccount(adminToken, { account_name: 'Beta', aws: { quota_profile: 'defaults' } })).account_id;
    for (const id of [ok, denied]) await p.waitNotRefreshing(adminToken, id);
  });
  after(async () => {
    if (p) await p.waitNoRefresh(adminToken).catch(() => {});
    if (p) await p.stop();
  });

  const stats = async () => {
    const r = await p.api('GET', '/api/dashboard/stats', { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };
  const quota = async (id) => {
    const r = await p.api('GET', `/api/accounts/${id}/quota`, { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };
  const fleetJob = async () => {
    const r = await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body: { include_usage: false } });
    assertStatus(r, 202);
    return waitFor(async () => {
      const j = (await p.api('GET', `/api/jobs/${r.json.job_id}`, { token: adminToken })).json;
      return j.state !== 'running' && j;
    }, { timeoutMs: 30000, intervalMs: 50, what: 'the fleet job' });
  };
  const row = (s, id) => s.accounts.find((a) => a.account_id === id);
  const sonnetTpm = (s) => s.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1').tpm;

  test('a fleet job AWS refuses for one account: its values are stale (reason, attempt time), the dashboard counts them', async () => {
    const before = await stats();
    assert.equal(sonnetTpm(before).stale, 0);
    assert.equal(sonnetTpm(before).fresh, 2);
    assert.equal(row(before, denied).last_refresh.state, 'ok');
    const was = await quota(denied);

    const fault = await p.sim.fault({ service: 'servicequotas', account_id: denied, error: 'access_denied' });
    let job;
    try {
      job = await fleetJob();
    } finally {
      await p.sim.removeFault(fault.id);
    }
    assert.equal(job.failed, 1);
    assert.equal(job.ok, 1);

    const read = await quota(denied);
    assert.equal(read.last_refresh.state, 'failed');
    assert.equal(read.last_refresh.read, 0);
    assert.equal(read.last_refresh.failed, 4);
    assert.match(read.last_refresh.reason, /^AccessDeniedException: /);
    assert.equal(read.last_refresh.reason_kind, 'access_denied');
    assert.ok(Date.parse(read.last_refresh.at) >= Date.parse(job.created_at), 'attempted by the job');
    assert.equal(read.last_updated, was.last_updated, 'when the values shown were read');
    const [m] = read.models;
    const [w] = was.models;
    for (const dim of ['tpm', 'rpm', 'tpm_1m', 'rpm_1m']) {
      assert.equal(m[dim].state, 'stale', dim);
      assert.equal(m[dim].value, w[dim].value, `${dim}: the last good value, never 0`);
      assert.notEqual(m[dim].value, null);
      assert.equal(m[dim].read_at, w[dim].read_at);
      assert.equal(m[dim].attempted_at, read.last_refresh.at);
      assert.match(m[dim].reason, /^AccessDeniedException: /);
      assert.equal(m[dim].reason_kind, 'access_denied');
    }
    assert.equal(m.status, 'stale');

    const after = await stats();
    assert.equal(sonnetTpm(after).stale, 1, 'the dashboard counts it as stale');
    assert.equal(sonnetTpm(after).fresh, 1);
    assert.equal(sonnetTpm(after).total, sonnetTpm(before).total - w.tpm.value, 'a stale value is not in the total');
    const r = row(after, denied);
    assert.equal(r.last_refresh.state, 'failed');
    assert.equal(r.last_refresh.reason_kind, 'access_denied');
    const cell = r.values['claude-sonnet-4.5-v1'].tpm;
    assert.equal(cell.state, 'stale');
    assert.equal(cell.value, w.tpm.value);
    assert.match(cell.reason, /^AccessDeniedException: /);
    assert.equal(cell.attempted_at, read.last_refresh.at);
    assert.equal(row(after, ok).last_refresh.state, 'ok');

    // A later successful refresh (the next job) clears it.
    const again = await fleetJob();
    assert.equal(again.failed, 0);
    const cleared = await stats();
    assert.equal(sonnetTpm(cleared).stale, 0);
    assert.equal(sonnetTpm(cleared).fresh, 2);
    assert.equal(row(cleared, denied).last_refresh.state, 'ok');
    assert.equal(row(cleared, denied).values['claude-sonnet-4.5-v1'].tpm.reason, null);
    assert.equal((await quota(denied)).models[0].tpm.state, 'ok');
  });

  test('network failures and throttling after retries are named too', async () => {
    const fault = await p.sim.fault({ service: 'servicequotas', account_id: denied, error: '5xx', status: 503 });
    try {
      const r = await p.api('POST', `/api/accounts/${denied}/quota/refresh`, { token: adminToken });
      assert.equal(r.status, 502, r.text);
    } finally {
      await p.sim.removeFault(fault.id);
    }
    const read = await quota(denied);
    assert.equal(read.last_refresh.state, 'failed');
    assert.equal(read.last_refresh.reason_kind, 'unavailable', read.last_refresh.reason);
    assert.equal(read.models[0].tpm.state, 'stale');
    assertStatus(await p.api('POST', `/api/accounts/${denied}/quota/refresh`, { token: adminToken }), 200);
    assert.equal((await quota(denied)).last_refresh.state, 'ok');
  });
});
