// POST /api/accounts/{id}/usage/refresh against the AWS simulator's scripted CloudWatch traffic: every region of
// the account is polled, a global. series counts against its config model, an in-region one is listed but not
// counted, CloudWatch failing leaves the region stale with a safe message (never AWS's text), and who may poll.
//
// Not yet here (issue 13 §2, next session): the usage object of GET …/quota and GET /api/usage/headroom.
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
  before(async () => {
    // Scheduled polls off: every poll below is the one the test asks for.
    p = await Platform.start({ args: ['--usage-interval', '0'] });
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userB = await p.createUser(adminToken, { email: 'us-b@example.com', teams: ['team-b'] });
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
});
