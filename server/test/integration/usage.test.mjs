// POST /api/accounts/{id}/usage/refresh against the AWS simulator's scripted CloudWatch traffic: every region of
// the account is polled, a global. series counts against its config model, an in-region one is listed but not
// counted, CloudWatch failing leaves the region stale with a safe message (never AWS's text), and who may poll.
// Then the reads (issue 13 §2): GET …/quota shows the usage with its peak and headroom, GET /api/usage/headroom
// orders least headroom first and pages, GET …/usage/history has the peak hour, and users see only their teams.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertStatus } from './lib/platform.mjs';
import { callsOf } from './lib/aws-sim.mjs';

const GLOBAL_ID = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const IN_REGION_ID = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('usage refresh', () => {
  let p;
  let adminToken;
  let userB; // team-b
  let id;
  let busyId; // team-b, five times the traffic: less headroom
  let userA; // team-a
  before(async () => {
    // Scheduled polls off: every poll below is the one the test asks for.
    p = await Platform.start({ args: ['--usage-interval', '0'] });
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userB = await p.createUser(adminToken, { email: 'us-b@example.com', teams: ['team-b'] });
    userA = await p.createUser(adminToken, { email: 'us-a@example.com', teams: ['team-a'] });
    const aws = await p.awsAccount();
    const r = await p.api('POST', '/api/accounts', { token: adminToken,
      body: { account_name: `Usage ${aws.account_id}`, regions: ['us-east-1', 'us-west-2'], teams: ['team-a'],
        credentials: aws.credentials } });
    assertStatus(r, 201);
    id = aws.account_id;
    await p.waitNotRefreshing(adminToken, id);
    // The last 30 minutes of traffic in us-east-1: the global profile and the in-region id.
    const now = Math.floor(Date.now() / 60000) * 60;
    for (const model_id of [GLOBAL_ID, IN_REGION_ID]) {
      await p.sim.control('POST', `/_sim/accounts/${id}/traffic`, { region: 'us-east-1', model_id,
        per_minute: { invocations: 10, input_tokens: 1000, output_tokens: 200 }, from: now - 1800, to: now });
    }
    const busy = await p.createAccount(adminToken, { teams: ['team-b'], account_name: 'Busy' });
    busyId = busy.account_id;
    await p.waitNotRefreshing(adminToken, busyId);
    await p.sim.control('POST', `/_sim/accounts/${busyId}/traffic`, { region: 'us-east-1', model_id: GLOBAL_ID,
      per_minute: { invocations: 50, input_tokens: 5000, output_tokens: 1000 }, from: now - 1800, to: now });
  });
  after(async () => {
    if (p) await p.stop();
  });

  const refresh = (token = adminToken) => p.api('POST', `/api/accounts/${id}/usage/refresh`, { token });

  test('polls every region; the global series counts, the in-region one does not', async () => {
    const before = await p.sim.counters();
    const r = await refresh();
    assertStatus(r, 200);
    assert.equal(r.json.account_id, id);
    assert.deepEqual(r.json.regions.map((x) => x.region), ['us-east-1', 'us-west-2']);
    const [east, west] = r.json.regions;
    assert.equal(east.state, 'ok');
    assert.equal(east.error_code, null);
    assert.equal(east.error_message, null);
    assert.equal(east.series, 2);
    assert.equal(east.counted_series, 1);
    assert.ok(east.points_read > 0, 'CloudWatch datapoints were read');
    assert.ok(east.snapshot_written);
    assert.equal(west.state, 'ok');
    assert.equal(west.series, 0);
    const after = await p.sim.counters();
    assert.equal(callsOf(after, 'ListMetrics', id).total - callsOf(before, 'ListMetrics', id).total, 2, 'one ListMetrics per region');
  });

  test('CloudWatch failing: 200, the region is stale with a safe message', async () => {
    const fault = await p.sim.fault({ operation: 'ListMetrics', error: 'access_denied', account_id: id });
    try {
      const r = await refresh();
      assertStatus(r, 200);
      for (const region of r.json.regions) {
        assert.equal(region.state, 'stale');
        assert.equal(region.error_code, 'access_denied');
        assert.ok(region.error_message.length > 0);
      }
      assert.doesNotMatch(JSON.stringify(r.json), /AccessDenied/);
    } finally {
      await p.sim.removeFault(fault.id);
    }
    const recovered = await refresh();
    assertStatus(recovered, 200);
    assert.ok(recovered.json.regions.every((x) => x.state === 'ok'));
  });

  test('who may poll: no token 401, another team 403, unknown account 404', async () => {
    assert.equal((await p.api('POST', `/api/accounts/${id}/usage/refresh`)).status, 401);
    assert.equal((await refresh(userB.token)).status, 403);
    assert.equal((await p.api('POST', '/api/accounts/999999999999/usage/refresh', { token: adminToken })).status, 404);
  });

  describe('reading usage', () => {
    const SONNET = 'claude-sonnet-4.5-v1';
    before(async () => {
      assertStatus(await refresh(), 200);
      assertStatus(await p.api('POST', `/api/accounts/${busyId}/usage/refresh`, { token: adminToken }), 200);
    });

    test('GET quota shows the usage: state, series, and the model\'s peak and headroom against its quota', async () => {
      const r = await p.api('GET', `/api/accounts/${id}/quota?region=us-east-1`, { token: adminToken });
      assertStatus(r, 200);
      assert.equal(r.json.usage.state, 'ok');
      assert.ok(r.json.usage.polled_at);
      assert.deepEqual(r.json.usage_series.map((x) => [x.series, x.counts_against_quota]),
        [[IN_REGION_ID, false], [GLOBAL_ID, true]].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      const sonnet = r.json.models.find((m) => m.model_id === SONNET);
      assert.ok(sonnet.usage, 'the model has usage');
      const burndown = sonnet.usage.output_token_burndown;
      const day = sonnet.usage.windows.find((w) => w.window === '24h');
      assert.equal(day.requests.peak, 10, 'the global series only: the in-region one does not count');
      assert.equal(day.weighted_tokens.peak, 1000 + 200 * burndown);
      assert.ok(day.requests.minutes_with_data >= 29 && day.requests.minutes_with_data <= 30);
      assert.equal(sonnet.usage.quota_tpm, sonnet.tpm.value);
      if (sonnet.tpm.value) assert.ok(Math.abs(day.headroom_tpm - (1 - day.weighted_tokens.peak / sonnet.tpm.value)) < 1e-9);
      if (sonnet.rpm.value) assert.ok(Math.abs(day.headroom_rpm - (1 - 10 / sonnet.rpm.value)) < 1e-9);
      // A model without traffic has no usage: null, not zeros.
      for (const m of r.json.models.filter((x) => x.model_id !== SONNET)) assert.equal(m.usage, null, m.model_id);
      // us-west-2 was polled and saw nothing.
      const west = await p.api('GET', `/api/accounts/${id}/quota?region=us-west-2`, { token: adminToken });
      assert.equal(west.json.usage.state, 'ok');
      assert.deepEqual(west.json.usage_series, []);
    });

    test('the headroom list orders least headroom first and pages', async () => {
      const all = await p.api('GET', '/api/usage/headroom', { token: adminToken });
      assertStatus(all, 200);
      const mine = all.json.items.filter((e) => [id, busyId].includes(e.account_id) && e.model_id === SONNET);
      assert.deepEqual(mine.map((e) => e.account_id), [busyId, id], 'the busier account first');
      for (let i = 1; i < all.json.items.length; i++) assert.ok(all.json.items[i - 1].headroom <= all.json.items[i].headroom);
      assert.equal(mine[0].account_name, 'Busy');
      assert.equal(mine[0].region, 'us-east-1');
      // Pages of one cover the same entries in the same order.
      const paged = [];
      let cursor = '';
      for (let i = 0; i < 50; i++) {
        const r = await p.api('GET', `/api/usage/headroom?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: adminToken });
        assertStatus(r, 200);
        assert.ok(r.json.items.length <= 1);
        paged.push(...r.json.items.map((e) => `${e.account_id}/${e.region}/${e.model_id}`));
        if (!r.json.next) break;
        cursor = r.json.next;
      }
      assert.deepEqual(paged, all.json.items.map((e) => `${e.account_id}/${e.region}/${e.model_id}`));
      assert.equal((await p.api('GET', '/api/usage/headroom?limit=0', { token: adminToken })).status, 422);
      assert.equal((await p.api('GET', '/api/usage/headroom?cursor=nope', { token: adminToken })).status, 422);
    });

    test('users see only their teams: 422 without a team, 403 for another team', async () => {
      const none = await p.api('GET', '/api/usage/headroom', { token: userB.token });
      assert.equal(none.status, 422);
      assert.equal(none.json.error.field, 'team');
      assert.equal((await p.api('GET', '/api/usage/headroom?team=team-a', { token: userB.token })).status, 403);
      const b = await p.api('GET', '/api/usage/headroom?team=team-b', { token: userB.token });
      assertStatus(b, 200);
      assert.equal(b.json.team, 'team-b');
      assert.ok(b.json.items.length > 0);
      assert.ok(b.json.items.every((e) => e.account_id === busyId));
      const a = await p.api('GET', '/api/usage/headroom?team=team-a', { token: userA.token });
      assertStatus(a, 200);
      assert.ok(a.json.items.every((e) => e.account_id === id));
      assert.equal((await p.api('GET', `/api/accounts/${busyId}/usage/history?model_id=${SONNET}`, { token: userA.token })).status, 403);
    });

    test('history has the peak hour, and null hours without data', async () => {
      const r = await p.api('GET', `/api/accounts/${id}/usage/history?model_id=${SONNET}`, { token: userA.token });
      assertStatus(r, 200);
      assert.equal(r.json.region, 'us-east-1');
      assert.equal(r.json.items.length, 169);
      const burndown = r.json.output_token_burndown;
      const withData = r.json.items.filter((h) => h.minutes_with_data > 0);
      assert.ok(withData.length >= 1 && withData.length <= 2, 'the 30 minutes of traffic fall in one or two hours');
      assert.equal(withData.reduce((n, h) => n + h.minutes_with_data, 0) >= 29, true);
      assert.equal(Math.max(...withData.map((h) => h.requests_peak)), 10);
      assert.equal(Math.max(...withData.map((h) => h.weighted_tokens_peak)), 1000 + 200 * burndown);
      const empty = r.json.items.find((h) => h.minutes_with_data === 0);
      assert.deepEqual([empty.requests_peak, empty.weighted_tokens_peak, empty.throttles], [null, null, null]);
      const bad = await p.api('GET', `/api/accounts/${id}/usage/history?model_id=${SONNET}&from=soon`, { token: adminToken });
      assert.equal(bad.status, 422);
      assert.equal(bad.json.error.field, 'from');
    });

    test('dashboard rows carry usage_state and headroom', async () => {
      const r = await p.api('GET', '/api/dashboard/stats?page_size=200', { token: adminToken });
      assertStatus(r, 200);
      const east = r.json.accounts.find((row) => row.account_id === busyId && row.region === 'us-east-1');
      assert.equal(east.usage_state, 'ok');
      if (r.json.models.some((m) => m.model_id === SONNET)) {
        assert.ok(east.headroom[SONNET], 'the dashboard model has its 24-hour headroom');
        assert.equal(typeof east.headroom[SONNET].headroom, 'number');
      }
    });
  });
});
