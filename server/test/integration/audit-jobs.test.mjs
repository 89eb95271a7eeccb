// Issue 16 §3 and §5 against the real binary and the AWS simulator: a fleet refresh limited to one model reads
// only its codes (the other values keep their read and attempt times); a fleet job is one audit entry (no
// per-account quota.refresh), names who started it and its accounts; a quota config change records what changed
// and answers the newly read models; a shown but disabled model is a 422 naming the field; the audit log filters by
// actor email and names targets; a refused registration is audited as denied.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertStatus, waitFor } from './lib/platform.mjs';

describe('audit log and jobs people can read', () => {
  let p;
  let adminToken;
  let accountId;
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    accountId = (await p.createAccount(adminToken, { account_name: 'Readable', aws: { quota_profile: 'defaults' } }))
      .account_id;
    await p.waitNotRefreshing(adminToken, accountId);
  });
  after(async () => {
    if (p) await p.waitNoRefresh(adminToken).catch(() => {});
    if (p) await p.stop();
  });

  const config = async () => (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
  const put = (body) => p.api('PUT', '/api/admin/quota-config', { token: adminToken, body });
  const quota = async () => (await p.api('GET', `/api/accounts/${accountId}/quota`, { token: adminToken })).json;
  const runJob = async (body) => {
    const r = await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body: { include_usage: false, ...body } });
    assertStatus(r, 202);
    return waitFor(async () => {
      const j = (await p.api('GET', `/api/jobs/${r.json.job_id}`, { token: adminToken })).json;
      return j.state !== 'running' && j;
    }, { timeoutMs: 30000, intervalMs: 50, what: 'the fleet job' });
  };

  test('a shown but disabled model is refused naming the field; a change answers the newly read models', async () => {
    const current = await config();
    const i = current.models.findIndex((m) => m.show_in_dashboard && m.enabled);
    const bad = current.models.map((m, j) => (j === i ? { ...m, enabled: false } : m));
    const refused = await put({ version: current.version, models: bad });
    assertStatus(refused, 422);
    assert.equal(refused.json.error.field, `models[${i}].show_in_dashboard`);
    assert.equal((await config()).version, current.version, 'nothing stored');

    const off = current.models.find((m) => !m.enabled && (m.quota_code_tpm || m.quota_code_rpm));
    assert.ok(off, 'a disabled model with a code');
    const on = current.models.map((m) => (m === off ? { ...m, enabled: true } : m));
    const saved = await put({ version: current.version, models: on });
    assertStatus(saved, 200);
    assert.deepEqual(saved.json.newly_read_models, [off.model_id]);
    const [entry] = await p.audit(adminToken, 'action=quota_config.update');
    const detail = JSON.parse(entry.detail);
    assert.deepEqual(detail.enabled, [off.model_id]);
    assert.deepEqual(detail.added, []);
    assert.equal(detail.version, saved.json.version);
  });

  test('a fleet refresh limited to the new model reads only its codes; one audit entry; starter and names', async () => {
    const current = await config();
    const fresh = current.models.find((m) => m.enabled && !m.show_in_dashboard && m.model_id !== 'claude-sonnet-4.5-v1')
      ?? current.models.find((m) => m.enabled && m.model_id !== 'claude-sonnet-4.5-v1');
    const before = await quota();
    const sonnetBefore = before.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1');
    // The registration's own refresh is audited too, maybe within the same second as the job: compare the entries
    // (id and count, as entries may coalesce), not times.
    const perAccountBefore = new Map(
      (await p.audit(adminToken, `action=quota.refresh&target_id=${accountId}`)).map((e) => [e.audit_id, e.count]),
    );
    const job = await runJob({ model_ids: [fresh.model_id] });
    assert.deepEqual(job.model_ids, [fresh.model_id]);
    assert.ok(job.quota_codes.length >= 1);
    assert.equal(job.created_by_email, ADMIN.email);
    assert.equal(job.total, 1);
    const after = await quota();
    const sonnetAfter = after.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1');
    assert.equal(sonnetAfter.tpm.attempted_at, sonnetBefore.tpm.attempted_at, 'other models are not read');
    assert.equal(sonnetAfter.tpm.read_at, sonnetBefore.tpm.read_at);
    const model = after.models.find((m) => m.model_id === fresh.model_id);
    assert.ok(Date.parse(model.tpm.attempted_at ?? model.rpm.attempted_at) >= Date.parse(job.created_at), 'read by the job');

    const items = (await p.api('GET', `/api/jobs/${job.job_id}/items`, { token: adminToken })).json.items;
    assert.equal(items[0].account_name, 'Readable');
    assert.equal(items[0].values_ok + items[0].values_failed, job.quota_codes.length);

    const started = await p.audit(adminToken, `action=quota.refresh_all&target_id=${job.job_id}`);
    assert.equal(started.length, 1);
    assert.equal(started[0].target_type, 'job');
    const perAccount = (await p.audit(adminToken, `action=quota.refresh&target_id=${accountId}`))
      .filter((e) => perAccountBefore.get(e.audit_id) !== e.count);
    assert.deepEqual(perAccount, [], 'no per-account entry for the job');
    const list = (await p.api('GET', '/api/jobs', { token: adminToken })).json.items;
    assert.equal(list.find((j) => j.job_id === job.job_id).created_by_email, ADMIN.email);

    const unknown = await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body: { model_ids: ['nope'] } });
    assertStatus(unknown, 422);
    assert.equal(unknown.json.error.field, 'model_ids');
  });

  test('the audit log filters by actor email, names targets, and records a refused registration as denied', async () => {
    const sim = await p.awsAccount({ account_id: accountId });
    const dup = await p.api('POST', '/api/accounts', {
      token: adminToken,
      body: { account_id: accountId, account_name: 'Second try', credentials: sim.credentials },
    });
    assertStatus(dup, 409);
    const mine = await p.audit(adminToken, `actor_email=${encodeURIComponent(ADMIN.email.toUpperCase())}&action=account.create`);
    assert.equal(mine.length, 2);
    assert.equal(mine[0].outcome, 'denied');
    assert.equal(mine[0].target_name, 'Second try');
    assert.match(JSON.parse(mine[0].detail).error, /already registered/);
    assert.equal(mine[1].outcome, 'success');
    assert.equal(mine[1].target_name, 'Readable');
    assert.deepEqual(await p.audit(adminToken, 'actor_email=nobody%40example.com'), []);
    assertStatus(await p.api('GET', '/api/admin/audit-log?actor_email=nope', { token: adminToken }), 422);
  });
});
