// Fleet refresh jobs against the AWS simulator: POST /api/admin/quota/refresh-all, GET /api/jobs[/{id}[/items]],
// POST /api/jobs/{id}/resume. ~20 simulated accounts, refreshed a few at a time; the simulator's counters (per
// account) prove which accounts were read.
//
// The scheduled refresh (--refresh-interval, at least 1m) is not tested here: waiting for it would take minutes.
// Its decisions (jittered interval, skipping recently refreshed accounts, not starting while a job runs) are
// unit-tested with a fake clock in server/test/service/fleet_refresher_test.cc; here it stays at its default (6h).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus, waitFor } from './lib/platform.mjs';

const ACCOUNTS = 20;
const TEAM_ACCOUNTS = 5; // the first five are team-x's
// Short leases: a killed server's job is taken over within 2 × 3 s, and the pairs the dead process was refreshing
// are free again within 3 s.
const ARGS = ['--fleet-concurrency', '4', '--fleet-lease-ttl', '3s', '--refresh-lease-ttl', '3s'];
const JOB_KEYS = ['job_id', 'kind', 'state', 'created_by', 'created_by_email', 'model_ids', 'quota_codes', 'team', 'region', 'created_at', 'updated_at', 'finished_at', 'total',
  'done', 'ok', 'partial', 'failed', 'include_usage', 'usage_failed', 'eta_seconds'];
const ITEM_KEYS = ['seq', 'account_id', 'account_name', 'region', 'outcome', 'values_ok', 'values_failed', 'error', 'finished_at',
  'usage_state', 'usage_error', 'ref'];

describe('fleet refresh jobs', () => {
  let p;
  let adminToken;
  let adminId;
  let ids = []; // the simulated accounts, all registered
  let codes; // quota codes of the (narrowed) config
  before(async () => {
    p = await Platform.start({ args: ARGS });
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    adminId = (await p.api('GET', '/api/auth/me', { token: adminToken })).json.user_id;
    // One model (4 codes) keeps every account's refresh within AWS's GetServiceQuota burst.
    const current = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    // A disabled model cannot be shown (issue 16 §3: 422 models[i].show_in_dashboard).
    const models = current.models.map((m) => {
      const enabled = m.model_id === 'claude-sonnet-4.5-v1';
      return { ...m, enabled, show_in_dashboard: m.show_in_dashboard && enabled };
    });
    const put = await p.api('PUT', '/api/admin/quota-config', { token: adminToken, body: { version: current.version, models } });
    assertStatus(put, 200);
    const sonnet = put.json.models.find((m) => m.enabled);
    codes = [sonnet.quota_code_tpm, sonnet.quota_code_rpm, sonnet.quota_code_tpm_1m, sonnet.quota_code_rpm_1m];
    for (let i = 0; i < ACCOUNTS; i++) {
      const a = await p.createAccount(adminToken, { teams: i < TEAM_ACCOUNTS ? ['team-x'] : [], aws: { quota_profile: 'defaults' } });
      ids.push(a.account_id);
    }
    for (const id of ids) await p.waitNotRefreshing(adminToken, id);
  });
  after(async () => {
    // No refresh in flight at the stop (so that what follows does not depend on the timing of background refreshes).
    if (p) await p.waitNoRefresh(adminToken).catch(() => {});
    if (p) await p.stop();
  });

  const job = async (id) => {
    const r = await p.api('GET', `/api/jobs/${id}`, { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };
  // Every item of the job (optionally of one outcome), following `next` a few at a time: several pages even here.
  const items = async (id, outcome) => {
    const out = [];
    let cursor = null;
    do {
      const q = new URLSearchParams({ page_size: '7' });
      if (outcome) q.set('outcome', outcome);
      if (cursor) q.set('cursor', cursor);
      const r = await p.api('GET', `/api/jobs/${id}/items?${q}`, { token: adminToken });
      assertStatus(r, 200);
      assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next']);
      assert.ok(r.json.items.length <= 7);
      out.push(...r.json.items);
      cursor = r.json.next;
    } while (cursor);
    return out;
  };
  const startJob = async (body) => {
    const r = await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body });
    assertStatus(r, 202);
    assert.deepEqual(Object.keys(r.json).sort(), ['job_id', 'total']);
    assert.match(r.json.job_id, /^j_[0-9a-f]+$/);
    assert.equal(r.headers.get('location'), `/api/jobs/${r.json.job_id}`);
    return r.json;
  };
  // Polls the job until `until(job)`; returns every snapshot seen (the last one satisfies `until`).
  const follow = async (id, until, timeoutMs = 30000) => {
    const seen = [];
    await waitFor(async () => {
      const j = await job(id);
      seen.push(j);
      return until(j);
    }, { timeoutMs, intervalMs: 20, what: `job ${id}` });
    return seen;
  };
  const finished = (j) => j.state !== 'running';
  // GetServiceQuota calls per account since `since` (a counters view): { total, ok, throttled }.
  const readsSince = async (since) => {
    const now = await p.sim.counters();
    const out = {};
    for (const id of ids) {
      const of = (c) => c.by_account[id]?.operations?.GetServiceQuota ?? {};
      const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
      out[id] = { total: sum(of(now)) - sum(of(since)), ok: (of(now).ok ?? 0) - (of(since).ok ?? 0),
        throttled: (of(now).ThrottlingException ?? 0) - (of(since).ThrottlingException ?? 0) };
    }
    return out;
  };
  // Pending accounts were read once (one successful GetServiceQuota per code; a fresh process does not know how
  // much of AWS's rate its predecessor used, so throttled attempts may come on top); the others not at all.
  const assertReadOnlyPending = (reads, pending) => {
    for (const id of ids) {
      const r = reads[id];
      if (pending.includes(id)) {
        assert.equal(r.ok, codes.length, `successful GetServiceQuota calls of pending ${id}: ${JSON.stringify(r)}`);
        assert.equal(r.total, r.ok + r.throttled, `only throttled attempts on top: ${JSON.stringify(r)}`);
      } else {
        assert.equal(r.total, 0, `no GetServiceQuota call of ${id}, done before the restart: ${JSON.stringify(r)}`);
      }
    }
  };
  const slowAws = (ms) => p.sim.fault({ operation: 'GetServiceQuota', latency_ms: ms });

  test('refresh-all: progress with an ETA while running, 409 for a second one, then succeeded with every account\'s outcome', async () => {
    const slow = await slowAws(150);
    const since = await p.sim.counters();
    let started;
    let seen;
    try {
      started = await startJob();
      assert.equal(started.total, ACCOUNTS, 'one item per active account and region');
      // A second job while this one runs.
      const second = await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken });
      assertError(second, 409, 'conflict');
      assert.ok(second.json.error.message.includes(started.job_id), second.json.error.message);
      seen = await follow(started.job_id, finished);
    } finally {
      await p.sim.removeFault(slow.id);
    }
    const running = seen.filter((j) => j.state === 'running');
    assert.ok(running.length > 0, 'the job was seen running');
    for (const j of running) {
      assert.equal(j.total, ACCOUNTS);
      assert.ok(j.done >= 0 && j.done <= j.total);
      assert.equal(j.finished_at, null);
      if (j.done > 0 && j.done < j.total) assert.ok(Number.isInteger(j.eta_seconds) && j.eta_seconds >= 0, `eta: ${JSON.stringify(j)}`);
    }
    assert.ok(running.some((j) => j.done > 0 && j.done < j.total && Number.isInteger(j.eta_seconds)),
      `progress with an estimate was seen: ${running.map((j) => `${j.done}/${j.eta_seconds}`).join(' ')}`);
    const dones = seen.map((j) => j.done);
    assert.deepEqual(dones, [...dones].sort((a, b) => a - b), 'done never goes back');

    const last = seen.at(-1);
    assert.deepEqual(Object.keys(last).sort(), [...JOB_KEYS].sort(), 'the header only: the items are at /items');
    assert.equal(last.job_id, started.job_id);
    assert.equal(last.kind, 'quota_refresh_all');
    assert.equal(last.state, 'succeeded');
    assert.equal(last.created_by, adminId);
    assert.equal(last.created_by_email, ADMIN.email);
    assert.equal(last.model_ids, null);
    assert.equal(last.quota_codes, null);
    assert.equal(last.team, null);
    assert.equal(last.region, null);
    assert.equal(last.done, last.total);
    assert.equal(last.ok, last.total);
    assert.equal(last.partial, 0);
    assert.equal(last.failed, 0);
    // A finished job has no estimate. (Right at the end the server may briefly answer eta_seconds 0 for a finished
    // job: see the todo test below; this waits for the settled answer.)
    await waitFor(async () => (await job(started.job_id)).eta_seconds === null, { what: 'eta_seconds null once finished' });
    assert.match(last.finished_at, /Z$/);
    const all = await items(started.job_id);
    assert.deepEqual(all.map((a) => a.account_id).sort(), [...ids].sort());
    assert.deepEqual(all.map((a) => a.seq), [...all.keys()], 'in processing order, seq from 0');
    for (const item of all) {
      assert.deepEqual(Object.keys(item).sort(), [...ITEM_KEYS].sort());
      assert.deepEqual({ ...item, finished_at: undefined }, { seq: item.seq, account_id: item.account_id,
        account_name: `Account ${item.account_id}`, region: 'us-east-1',
        outcome: 'ok', values_ok: codes.length, values_failed: 0, error: null, finished_at: undefined,
        usage_state: 'ok', usage_error: null, ref: null });
      assert.match(item.finished_at, /Z$/);
    }
    assert.deepEqual(await items(started.job_id, 'failed'), []);
    // Every account was read once: one GetServiceQuota per code.
    const reads = await readsSince(since);
    for (const id of ids) assert.deepEqual(reads[id], { total: codes.length, ok: codes.length, throttled: 0 }, `GetServiceQuota calls of ${id}`);

    const list = await p.api('GET', '/api/jobs', { token: adminToken });
    assertStatus(list, 200);
    const listed = list.json.items.find((j) => j.job_id === started.job_id);
    assert.deepEqual(Object.keys(listed).sort(), [...JOB_KEYS].sort(), 'no per-account items in the list');
    assert.equal(listed.state, 'succeeded');
    assert.equal(list.json.items[0].job_id, started.job_id, 'newest first');
    const audit = await p.audit(adminToken, `action=quota.refresh_all&target_id=${started.job_id}`);
    assert.equal(audit.length, 1);
  });

  test('a job that is no longer running never reports an estimate (eta_seconds null)', async () => {
    // The window is about a millisecond at the end of each job: four pollers without pause, over a few short jobs.
    const finishedWithEta = [];
    for (let i = 0; i < 8 && finishedWithEta.length === 0; i++) {
      const started = await startJob({ team: 'team-x' });
      const poll = () => waitFor(async () => {
        const j = await job(started.job_id);
        if (j.state !== 'running' && j.eta_seconds !== null) finishedWithEta.push(j);
        return j.state !== 'running' && j.eta_seconds === null;
      }, { timeoutMs: 30000, intervalMs: 0, what: `job ${started.job_id} to finish` });
      await Promise.all([poll(), poll(), poll(), poll()]);
    }
    assert.deepEqual(finishedWithEta.map((j) => ({ state: j.state, eta_seconds: j.eta_seconds })), []);
  });

  test('filters: team and region choose the accounts', async () => {
    const team = await startJob({ team: 'team-x' });
    assert.equal(team.total, TEAM_ACCOUNTS);
    const done = (await follow(team.job_id, finished)).at(-1);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.team, 'team-x');
    assert.deepEqual((await items(team.job_id)).map((a) => a.account_id).sort(), ids.slice(0, TEAM_ACCOUNTS).sort());
    const none = await startJob({ region: 'eu-west-1' });
    assert.equal(none.total, 0, 'no account uses eu-west-1');
    const empty = (await follow(none.job_id, finished)).at(-1);
    assert.equal(empty.state, 'succeeded');
    assert.deepEqual(await items(none.job_id), []);
    for (const [body, field] of [[{ team: 'Not A Team' }, 'team'], [{ region: 'mars-1' }, 'region']]) {
      assertError(await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body }), 422, 'validation_failed', { field });
    }
  });

  test('include_usage: each item polls its usage after its quota refresh; GET …/quota shows it afterwards', async () => {
    const id = ids[1]; // team-x
    const before = await p.api('GET', `/api/accounts/${id}/quota?region=us-east-1`, { token: adminToken });
    assertStatus(before, 200);
    const started = await startJob({ team: 'team-x', include_usage: true });
    const done = (await follow(started.job_id, finished)).at(-1);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.include_usage, true);
    assert.equal(done.usage_failed, 0);
    const all = await items(started.job_id);
    assert.equal(all.length, TEAM_ACCOUNTS);
    for (const item of all) {
      assert.equal(item.outcome, 'ok', item.account_id);
      assert.equal(item.usage_state, 'ok', item.account_id);
      assert.equal(item.usage_error, null, item.account_id);
    }
    const after = await p.api('GET', `/api/accounts/${id}/quota?region=us-east-1`, { token: adminToken });
    assertStatus(after, 200);
    assert.equal(after.json.usage.state, 'ok');
    assert.ok(Date.parse(after.json.usage.polled_at) >= Date.parse(done.created_at), 'polled by the job');
    // Left out on request: no usage fields on the items.
    const plain = await startJob({ team: 'team-x', include_usage: false });
    const plainDone = (await follow(plain.job_id, finished)).at(-1);
    assert.equal(plainDone.include_usage, false);
    for (const item of await items(plain.job_id)) assert.equal(item.usage_state, null);
    assertError(await p.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body: { include_usage: 'yes' } }),
      422, 'validation_failed', { field: 'include_usage' });
  });

  test('accounts AWS refuses fail on their own: the job is "failed", the others are ok', async () => {
    const [gone, denied] = [ids[3], ids[7]];
    const deniedBefore = await p.api('GET', `/api/accounts/${denied}/quota`, { token: adminToken });
    await p.sim.deleteAccount(gone); // its keys no longer exist
    const fault = await p.sim.fault({ operation: 'GetServiceQuota', account_id: denied, error: 'access_denied' });
    let last;
    let started;
    try {
      started = await startJob();
      last = (await follow(started.job_id, finished)).at(-1);
    } finally {
      await p.sim.removeFault(fault.id);
    }
    assert.equal(last.state, 'failed');
    assert.equal(last.done, last.total);
    assert.equal(last.failed, 2);
    assert.equal(last.ok, last.total - 2);
    const accounts = await items(started.job_id);
    const item = (id) => accounts.find((a) => a.account_id === id);
    assert.deepEqual((await items(started.job_id, 'failed')).map((a) => a.account_id).sort(), [gone, denied].sort());
    assert.equal(item(gone).outcome, 'failed');
    assert.equal(item(gone).values_ok, 0);
    assert.equal(item(gone).values_failed, codes.length);
    assert.match(item(gone).error, /UnrecognizedClient|InvalidClientTokenId/);
    assert.equal(item(denied).outcome, 'failed');
    assert.match(item(denied).error, /AccessDeniedException/);
    for (const a of accounts.filter((x) => x.account_id !== gone && x.account_id !== denied)) {
      assert.equal(a.outcome, 'ok', JSON.stringify(a));
      assert.equal(a.values_ok, codes.length);
    }
    // Nothing could be read for the failed accounts: their values are kept (never 0) and marked stale with the
    // reason, and the read says the last refresh failed (issue 16 §1: never shown as healthy).
    // (Its usage was polled by the job all the same: CloudWatch did not refuse it.)
    const q = await p.api('GET', `/api/accounts/${denied}/quota`, { token: adminToken });
    assert.equal(q.json.last_updated, deniedBefore.json.last_updated);
    assert.equal(q.json.last_refresh.state, 'failed');
    assert.equal(q.json.last_refresh.reason_kind, 'access_denied');
    for (const [i, m] of q.json.models.entries()) {
      for (const dim of ['tpm', 'rpm', 'tpm_1m', 'rpm_1m']) {
        if (!m[dim]) continue;
        const was = deniedBefore.json.models[i][dim];
        assert.equal(m[dim].value, was.value, `${dim}: the last good value`);
        assert.equal(m[dim].state, was.value === null ? 'error' : 'stale', dim);
        assert.match(m[dim].reason, /^AccessDeniedException: /);
      }
    }
    assert.equal(q.json.usage.state, 'ok');
    assert.equal(item(denied).usage_state, 'ok');
    assert.ok(q.json.models[0].tpm.value > 0);
    // The account whose keys are gone leaves the fleet (soft delete) so that later jobs can succeed.
    assertStatus(await p.api('DELETE', `/api/accounts/${gone}`, { token: adminToken }), 204);
    ids = ids.filter((id) => id !== gone);
  });

  test('a restart interrupts a running job; resume refreshes only the pending accounts', async () => {
    const slow = await slowAws(300);
    let started;
    let before;
    let beforeItems;
    try {
      started = await startJob();
      assert.equal(started.total, ids.length);
      // Stop (SIGTERM) once some accounts are done: the ones in flight finish, the rest stay pending.
      await follow(started.job_id, (j) => j.done >= 4 || finished(j));
      p = await p.restart({ args: ARGS });
      adminToken = await p.login(ADMIN.email, ADMIN.password);
      before = await job(started.job_id);
      beforeItems = await items(started.job_id);
    } finally {
      await p.sim.removeFault(slow.id);
    }
    assert.equal(before.state, 'interrupted');
    assert.equal(before.eta_seconds, null);
    assert.ok(before.done >= 4 && before.done < before.total, `done ${before.done} of ${before.total}`);
    const pending = beforeItems.filter((a) => a.outcome === 'pending').map((a) => a.account_id);
    assert.equal(pending.length, before.total - before.done);
    assert.deepEqual((await items(started.job_id, 'pending')).map((a) => a.account_id), pending);
    for (const a of beforeItems.filter((x) => x.outcome !== 'pending')) assert.equal(a.outcome, 'ok', JSON.stringify(a));

    const since = await p.sim.counters();
    const resumed = await p.api('POST', `/api/jobs/${started.job_id}/resume`, { token: adminToken });
    assertStatus(resumed, 202);
    assert.deepEqual(resumed.json, { job_id: started.job_id, total: before.total, done: before.done });
    const last = (await follow(started.job_id, finished)).at(-1);
    assert.equal(last.state, 'succeeded');
    assert.equal(last.done, last.total);
    assert.equal(last.failed, 0);
    // The accounts done before the restart kept their outcome and were not read again.
    const afterItems = await items(started.job_id);
    for (const a of beforeItems.filter((x) => x.outcome !== 'pending')) {
      assert.deepEqual(afterItems.find((x) => x.account_id === a.account_id), a);
    }
    assertReadOnlyPending(await readsSince(since), pending);
    assertError(await p.api('POST', `/api/jobs/${started.job_id}/resume`, { token: adminToken }), 409, 'conflict');
    const audit = await p.audit(adminToken, `action=quota.refresh_all.resume&target_id=${started.job_id}`);
    assert.equal(audit.length, 1);
  });

  test('a crash (SIGKILL) while running: the restarted server takes the job over once its lease expired', async () => {
    const slow = await slowAws(300);
    let started;
    let doneBefore;
    let since;
    let seen;
    try {
      started = await startJob();
      await follow(started.job_id, (j) => j.done >= 4 || finished(j));
      // What is done now is not read again (pairs in flight may still finish before the kill: those neither).
      doneBefore = (await items(started.job_id)).filter((a) => a.outcome !== 'pending').map((a) => a.account_id);
      since = await p.sim.counters();
      await p.kill({ keepDataDir: true, keepSim: true });
      p = await p.startAgain({ args: ARGS });
      adminToken = await p.login(ADMIN.email, ADMIN.password);
      // No resume request: the job continues by itself once the dead process's lease expired (within 2 × the TTL).
      seen = await follow(started.job_id, finished);
    } finally {
      await p.sim.removeFault(slow.id);
    }
    const last = seen.at(-1);
    assert.equal(last.state, 'succeeded', JSON.stringify(last));
    assert.equal(last.done, last.total);
    assert.ok(doneBefore.length >= 4 && doneBefore.length < last.total, `done ${doneBefore.length} of ${last.total}`);
    const reads = await readsSince(since);
    for (const id of doneBefore) assert.equal(reads[id].total, 0, `${id} was done before the kill: ${JSON.stringify(reads[id])}`);
    const audit = await p.audit(adminToken, `action=quota.refresh_all.takeover&target_id=${started.job_id}`);
    assert.equal(audit.length, 1);
    assertError(await p.api('POST', `/api/jobs/${started.job_id}/resume`, { token: adminToken }), 409, 'conflict');
  });

  test('jobs: unknown id → 404; resuming a job that is not interrupted → 409; bad paging → 422', async () => {
    assertError(await p.api('GET', '/api/jobs/j_00000000', { token: adminToken }), 404, 'not_found');
    assertError(await p.api('GET', '/api/jobs/j_00000000/items', { token: adminToken }), 404, 'not_found');
    assertError(await p.api('POST', '/api/jobs/j_00000000/resume', { token: adminToken }), 404, 'not_found');
    const first = (await p.api('GET', '/api/jobs?page_size=1', { token: adminToken })).json;
    assert.equal(first.items.length, 1);
    assert.equal(first.items[0].state, 'succeeded');
    assertError(await p.api('POST', `/api/jobs/${first.items[0].job_id}/resume`, { token: adminToken }), 409, 'conflict');
    for (const [query, field] of [['page_size=0', 'page_size'], ['page_size=201', 'page_size'], ['cursor=nope', 'cursor']]) {
      assertError(await p.api('GET', `/api/jobs?${query}`, { token: adminToken }), 422, 'validation_failed', { field });
    }
    const id = first.items[0].job_id;
    for (const [query, field] of [['outcome=done', 'outcome'], ['page_size=0', 'page_size'], ['cursor=nope', 'cursor']]) {
      assertError(await p.api('GET', `/api/jobs/${id}/items?${query}`, { token: adminToken }), 422, 'validation_failed', { field });
    }
  });

  test('jobs list: newest first by cursor, every job once, stable while a job starts', async () => {
    const all = [];
    let cursor = null;
    let started = null;
    do {
      const r = await p.api('GET', `/api/jobs?page_size=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: adminToken });
      assertStatus(r, 200);
      assert.ok(r.json.items.length <= 2);
      all.push(...r.json.items);
      cursor = r.json.next;
      if (!started) {
        // A job started after the first page: newer than every job listed, so it never shows on later pages.
        started = await startJob({ team: 'team-x' });
      }
    } while (cursor);
    const listed = all.map((j) => j.job_id);
    assert.ok(listed.length >= 6, `every job of this suite: ${listed.length}`);
    assert.equal(new Set(listed).size, listed.length, 'no job twice');
    assert.ok(!listed.includes(started.job_id));
    const created = all.map((j) => j.created_at);
    assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
    const newest = (await p.api('GET', '/api/jobs?page_size=1', { token: adminToken })).json;
    assert.equal(newest.items[0].job_id, started.job_id);
    await follow(started.job_id, finished);
  });
});
