// Rate limits: token buckets per account + region + operation, AWS throttling errors, configuration.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, createAccount, sqCall, stsCall, control, waitFor, xmlValue } from './helpers.mjs';
import { RateLimiter } from '../rate-limit.mjs';

const Q = { ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' };

function burst(n, fn) {
  return Promise.all(Array.from({ length: n }, () => fn()));
}

describe('token bucket', () => {
  test('burst then refill at the configured rate', () => {
    let now = 0;
    const rl = new RateLimiter({ clock: () => now });
    const takes = (n) => Array.from({ length: n }, () => rl.take('a', 'us-east-1', 'GetServiceQuota')).filter(Boolean).length;
    assert.equal(takes(8), 5); // burst 5
    now += 200; // 5/s -> one token per 200 ms
    assert.equal(takes(3), 1);
    now += 1000;
    assert.equal(takes(10), 5);
    assert.equal(rl.take('b', 'us-east-1', 'GetServiceQuota'), true, 'other accounts have their own bucket');
    assert.equal(rl.take('a', 'eu-west-1', 'GetServiceQuota'), true, 'other regions have their own bucket');
    assert.equal(rl.take('a', 'us-east-1', 'ListServiceQuotas'), true, 'other operations have their own bucket');
    rl.enabled = false;
    assert.equal(takes(100), 100);
  });
});

describe('throttling over HTTP', () => {
  let s;
  let a;
  let b;
  before(async () => {
    s = await startSim();
    a = await createAccount(s.url, { quota_profile: 'defaults' });
    b = await createAccount(s.url, { quota_profile: 'defaults' });
  });
  after(() => s.close());

  test('GetServiceQuota beyond 5 requests at once is throttled with ThrottlingException', async () => {
    const results = await burst(15, () => sqCall(s.url, a.credentials, 'GetServiceQuota', Q));
    const ok = results.filter((r) => r.status === 200).length;
    const throttled = results.filter((r) => r.status === 400 && r.json().__type === 'ThrottlingException');
    assert.ok(ok >= 5 && ok <= 7, `ok=${ok}`);
    assert.equal(ok + throttled.length, 15);
    assert.deepEqual(throttled[0].json(), { __type: 'ThrottlingException', message: 'Rate exceeded' });

    // Another account is not affected.
    const other = await sqCall(s.url, b.credentials, 'GetServiceQuota', Q);
    assert.equal(other.status, 200);

    // Tokens come back: poll until a call passes again.
    await waitFor(async () => (await sqCall(s.url, a.credentials, 'GetServiceQuota', Q)).status === 200, {
      timeoutMs: 3000,
      intervalMs: 50,
      what: 'the bucket to refill',
    });
    const counters = (await control(s.url, 'GET', '/_sim/counters')).body;
    assert.ok(counters.by_operation.GetServiceQuota.outcomes.ThrottlingException >= 8);
    assert.ok(counters.by_account[a.account_id].operations.GetServiceQuota.ThrottlingException >= 8);
  });

  test('limits are configurable and can be switched off', async () => {
    let r = await control(s.url, 'PUT', '/_sim/config', { rate_limits: false });
    assert.equal(r.status, 200);
    assert.equal(r.body.rate_limits.enabled, false);
    const all = await burst(30, () => sqCall(s.url, b.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock', MaxResults: 1 }));
    assert.ok(all.every((x) => x.status === 200));

    r = await control(s.url, 'PUT', '/_sim/config', { rate_limits: { enabled: true, limits: { GetCallerIdentity: { rate: 1, burst: 2 } } } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.rate_limits.limits.GetCallerIdentity, { rate: 1, burst: 2 });
    const sts = await burst(5, () => stsCall(s.url, b.credentials, 'GetCallerIdentity'));
    const throttled = sts.filter((x) => x.status === 400);
    assert.ok(throttled.length >= 2, `throttled=${throttled.length}`);
    const x = throttled[0];
    assert.match(x.text, /^<ErrorResponse/);
    assert.equal(xmlValue(x.text, 'Type'), 'Sender');
    assert.equal(xmlValue(x.text, 'Code'), 'Throttling');
    assert.equal(xmlValue(x.text, 'Message'), 'Rate exceeded');

    const bad = await control(s.url, 'PUT', '/_sim/config', { rate_limits: { GetServiceQuota: { rate: -1 } } });
    assert.equal(bad.status, 400);
    await control(s.url, 'POST', '/_sim/reset');
  });

  test('--rate-limits off at start', async () => {
    const s2 = await startSim({ rateLimits: false });
    try {
      const acct = await createAccount(s2.url);
      const all = await burst(20, () => sqCall(s2.url, acct.credentials, 'GetAWSDefaultServiceQuota', Q));
      assert.ok(all.every((x) => x.status === 200));
    } finally {
      await s2.close();
    }
  });
});
