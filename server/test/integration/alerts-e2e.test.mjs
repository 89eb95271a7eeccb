// Alerts end to end (issue 13 §3): two instances on one DynamoDB store (the simulator's dynalite), the AWS simulator's
// scripted CloudWatch traffic, and a real webhook receiver on loopback that checks every signature.
//
// A headroom_below rule with a webhook channel; traffic over the threshold, usage polled on BOTH instances → exactly
// one webhook (the conditional alert write decides the notice once fleet-wide); traffic back under → one resolved
// notice; a mute → a new firing sends nothing; unmuted with the receiver answering 500 → the delivery is retried
// (same X-AP-Delivery) and the failure is visible in GET /api/alerts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

import { ADMIN, assertStatus, waitFor } from './lib/platform.mjs';
import { startCluster } from './lib/instances.mjs';

const GLOBAL_ID = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const SECRET = 'e2e-webhook-secret-0123456789';
const REGION = 'us-east-1';

// A webhook receiver as a customer would write one: verifies X-AP-Signature over X-AP-Timestamp + "." + the raw body
// and answers `status` (200 unless told otherwise).
async function startReceiver() {
  const r = { received: [], status: 200 };
  const valid = (ts, body, sig) => {
    if (typeof ts !== 'string' || typeof sig !== 'string') return false;
    const want = Buffer.from('v1=' + createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex'));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  };
  r.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json = null;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = null;
      }
      r.received.push({
        delivery: req.headers['x-ap-delivery'] ?? null,
        signature_valid: valid(req.headers['x-ap-timestamp'], body, req.headers['x-ap-signature']),
        answered: r.status,
        body: json,
      });
      res.writeHead(r.status, { 'content-type': 'text/plain' });
      res.end(r.status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${r.server.address().port}/hook`;
  r.stop = () => new Promise((resolve) => r.server.close(resolve));
  return r;
}

describe('alerts end to end on two instances', () => {
  let cluster;
  let receiver;
  let a; // instance 0
  let b; // instance 1
  let tokenA;
  let tokenB;
  let accountId;
  let ruleId;

  before(async () => {
    receiver = await startReceiver();
    // No scheduled polls (every poll is the test's); a fast sweeper.
    cluster = await startCluster({ instances: 2, args: ['--usage-interval', '0', '--alert-sweep-interval', '1s'] });
    [a, b] = cluster.instances;
    tokenA = await a.login(ADMIN.email, ADMIN.password);
    tokenB = await b.login(ADMIN.email, ADMIN.password);
    const acct = await a.createAccount(tokenA, { regions: [REGION] });
    accountId = acct.account_id;
    await a.waitNotRefreshing(tokenA, accountId); // the quotas headroom is computed against

    const ch = await a.api('POST', '/api/admin/alert-channels', {
      token: tokenA,
      body: { kind: 'webhook', name: 'e2e receiver', url: receiver.url, secret: SECRET, enabled: true },
    });
    assertStatus(ch, 201);
    const rule = await a.api('POST', '/api/admin/alert-rules', {
      token: tokenA,
      body: {
        name: 'Sonnet headroom low',
        enabled: true,
        condition: 'headroom_below',
        scope: { kind: 'account', account_id: accountId },
        threshold: 0.2,
        window: '1h',
        channel_ids: [ch.json.id],
      },
    });
    assertStatus(rule, 201);
    ruleId = rule.json.id;
  });
  after(async () => {
    if (cluster) await cluster.stop();
    if (receiver) await receiver.stop();
  });

  // The last 10 minutes of traffic at `tokens` input tokens a minute (re-scripting the same minutes replaces them,
  // and each poll re-reads the last 15 minutes). Output tokens must be present: a metric with no sample is missing,
  // and TPM is not known without it.
  const traffic = async (tokens) => {
    const now = Math.floor(Date.now() / 60000) * 60;
    await cluster.sim.control('POST', `/_sim/accounts/${accountId}/traffic`, {
      region: REGION, model_id: GLOBAL_ID,
      per_minute: { invocations: 10, input_tokens: tokens, output_tokens: 1 }, from: now - 600, to: now + 60,
    });
  };
  const poll = (p, token) => p.api('POST', `/api/accounts/${accountId}/usage/refresh`, { token });
  const alerts = async (p = a, token = tokenA) => {
    const r = await p.api('GET', `/api/alerts?account_id=${accountId}`, { token });
    assertStatus(r, 200);
    return r.json.items.filter((x) => x.rule_id === ruleId);
  };
  const theAlert = async (p, token) => (await alerts(p, token))[0];

  test('a threshold crossing polled on both instances sends exactly one signed webhook', async () => {
    await traffic(50_000_000); // far over any TPM quota: headroom below 0
    const [ra, rb] = await Promise.all([poll(a, tokenA), poll(b, tokenB)]);
    assertStatus(ra, 200);
    assertStatus(rb, 200);
    // Each instance evaluates after its poll (asynchronously): wait until the alert says its notice went out.
    const alert = await waitFor(async () => {
      const x = await theAlert(a, tokenA);
      return x && x.state === 'firing' && x.pending_notice === null && x.deliveries.some((d) => d.delivered) && x;
    }, { timeoutMs: 20000, what: 'the firing alert delivered' });
    assert.equal(alert.notifications, 1);
    // Polling again on either instance changes nothing.
    assertStatus(await poll(b, tokenB), 200);
    assertStatus(await poll(a, tokenA), 200);
    await waitFor(() => receiver.received.length >= 1, { timeoutMs: 5000, what: 'the webhook' });
    const firing = receiver.received.filter((d) => d.body?.state === 'firing');
    assert.equal(firing.length, 1, JSON.stringify(receiver.received));
    assert.equal(firing[0].signature_valid, true);
    assert.equal(firing[0].body.target.account_id, accountId);
    const again = await theAlert(b, tokenB);
    assert.equal(again.notifications, 1, 'still one notification');
  });

  test('traffic back under the threshold sends one resolved notice', async () => {
    await traffic(1);
    assertStatus(await poll(b, tokenB), 200);
    await waitFor(() => receiver.received.some((d) => d.body?.state === 'resolved'), {
      timeoutMs: 20000, what: 'the resolved notice',
    });
    const alert = await theAlert(a, tokenA);
    assert.equal(alert.state, 'resolved');
    const resolved = receiver.received.filter((d) => d.body?.state === 'resolved');
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0].signature_valid, true);
  });

  test('a muted alert sends nothing when it fires again', async () => {
    const alert = await theAlert(a, tokenA);
    // Whole seconds: the API's time parser does not take fractions.
    const until = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assertStatus(await a.api('POST', `/api/alerts/${alert.alert_id}/mute`, { token: tokenA, body: { until } }), 200);
    const before = receiver.received.length;
    await traffic(50_000_000);
    assertStatus(await poll(a, tokenA), 200);
    await waitFor(async () => (await theAlert(b, tokenB))?.state === 'firing', { timeoutMs: 20000, what: 'firing again' });
    // The notice is decided in the same write as the firing: none was, so nothing can arrive later.
    const firing = await theAlert(a, tokenA);
    assert.equal(firing.pending_notice, null);
    assert.equal(firing.notifications, 0);
    assert.equal(receiver.received.length, before);
  });

  test('a receiver answering 500 is retried and the failure shows in GET /api/alerts', async () => {
    receiver.status = 500;
    const before = receiver.received.length;
    const alert = await theAlert(a, tokenA);
    // Unmuted while firing and never notified: the next evaluation notifies.
    assertStatus(await a.api('POST', `/api/alerts/${alert.alert_id}/mute`, { token: tokenA, body: { until: null } }), 200);
    assertStatus(await poll(b, tokenB), 200);
    const failed = await waitFor(async () => {
      const x = await theAlert(a, tokenA);
      const d = x.deliveries.find((y) => y.notice === 'firing' && !y.delivered && y.attempts >= 2);
      return d && { x, d };
    }, { timeoutMs: 30000, what: 'the failed delivery recorded' });
    assert.equal(failed.d.http_status, 500);
    assert.match(failed.d.error, /500/);
    assert.equal(failed.x.pending_notice, 'firing', 'kept in the outbox for the sweeper');
    assert.ok(Date.parse(failed.d.next_retry_at) >= Date.parse(failed.d.at), `next try: ${failed.d.next_retry_at}`);
    const attempts = receiver.received.slice(before);
    assert.ok(attempts.length >= 2, `retried: ${attempts.length} attempts`);
    assert.ok(attempts.every((d) => d.answered === 500 && d.signature_valid));
    assert.equal(new Set(attempts.map((d) => d.delivery)).size, 1, 'one delivery id across the retries');
  });
});
