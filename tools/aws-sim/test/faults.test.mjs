// Fault injection, latency, counters and the rest of the control API.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSim, createAccount, sqCall, stsCall, signedRequest, control, xmlValue, UUID_RE } from './helpers.mjs';

const Q = { ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' };
const Q2 = { ServiceCode: 'bedrock', QuotaCode: 'L-01F3CD81' };

describe('faults', () => {
  let s;
  let a;
  let b;
  before(async () => {
    s = await startSim({ rateLimits: false });
    a = await createAccount(s.url, { quota_profile: 'defaults' });
    b = await createAccount(s.url, { quota_profile: 'defaults' });
  });
  after(() => s.close());
  beforeEach(async () => {
    await control(s.url, 'DELETE', '/_sim/faults');
    await control(s.url, 'POST', '/_sim/counters/reset');
    await control(s.url, 'PUT', '/_sim/config', { latency_ms: 0 });
  });

  test('throttle fault with count fires that many times, only for the matching account', async () => {
    const f = await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', account_id: a.account_id, error: 'throttle', count: 2 });
    assert.equal(f.status, 201);
    const r1 = await sqCall(s.url, a.credentials, 'GetServiceQuota', Q);
    const other = await sqCall(s.url, b.credentials, 'GetServiceQuota', Q);
    const r2 = await sqCall(s.url, a.credentials, 'GetServiceQuota', Q);
    const r3 = await sqCall(s.url, a.credentials, 'GetServiceQuota', Q);
    assert.equal(r1.json().__type, 'ThrottlingException');
    assert.equal(other.status, 200);
    assert.equal(r2.json().__type, 'ThrottlingException');
    assert.equal(r3.status, 200);
    assert.deepEqual((await control(s.url, 'GET', '/_sim/faults')).body.faults, []);
    const c = (await control(s.url, 'GET', '/_sim/counters')).body;
    assert.equal(c.by_operation.GetServiceQuota.outcomes.ThrottlingException, 2);
    assert.equal(c.by_operation.GetServiceQuota.outcomes.ok, 2);
    assert.equal(c.by_account[b.account_id].operations.GetServiceQuota.ok, 1);
    assert.equal(c.total, 4);
  });

  test('faults can match a quota code and a region', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', code: Q2.QuotaCode, region: 'eu-west-1', error: 'access_denied' });
    assert.equal((await sqCall(s.url, a.credentials, 'GetServiceQuota', Q2)).status, 200);
    assert.equal((await sqCall(s.url, a.credentials, 'GetServiceQuota', Q, { region: 'eu-west-1' })).status, 200);
    const denied = await sqCall(s.url, a.credentials, 'GetServiceQuota', Q2, { region: 'eu-west-1' });
    assert.equal(denied.json().__type, 'AccessDeniedException');
    const st = await control(s.url, 'POST', '/_sim/faults', { operation: 'AssumeRole', error: 'access_denied' });
    assert.equal(st.status, 201);
  });

  test('5xx faults: ServiceException 500, 503, and a gateway 502', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', error: '5xx', count: 1 });
    await control(s.url, 'POST', '/_sim/faults', { operation: 'ListServiceQuotas', error: '5xx', status: 503, count: 1 });
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetAWSDefaultServiceQuota', error: '5xx', status: 502, count: 1 });
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetCallerIdentity', error: '5xx', count: 1 });
    const r = await sqCall(s.url, a.credentials, 'GetServiceQuota', Q);
    assert.equal(r.status, 500);
    assert.equal(r.json().__type, 'ServiceException');
    assert.match(r.headers['x-amzn-requestid'], UUID_RE);
    const u = await sqCall(s.url, a.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock' });
    assert.equal(u.status, 503);
    const g = await sqCall(s.url, a.credentials, 'GetAWSDefaultServiceQuota', Q);
    assert.equal(g.status, 502);
    assert.match(g.text, /Bad Gateway/);
    const x = await stsCall(s.url, a.credentials, 'GetCallerIdentity');
    assert.equal(x.status, 500);
    assert.equal(xmlValue(x.text, 'Type'), 'Receiver');
    assert.equal(xmlValue(x.text, 'Code'), 'InternalFailure');
  });

  test('error_rate 0 never fires; error_rate 1 always fires', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', error: 'throttle', error_rate: 0 });
    for (let i = 0; i < 5; i++) assert.equal((await sqCall(s.url, a.credentials, 'GetServiceQuota', Q)).status, 200);
    await control(s.url, 'DELETE', '/_sim/faults');
    await control(s.url, 'POST', '/_sim/faults', { operation: '*', error: 'throttle', error_rate: 1 });
    assert.equal((await sqCall(s.url, a.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock' })).json().__type, 'ThrottlingException');
    const bad = await control(s.url, 'POST', '/_sim/faults', { error: 'throttle', error_rate: 2 });
    assert.equal(bad.status, 400);
    const badKind = await control(s.url, 'POST', '/_sim/faults', { error: 'explode' });
    assert.equal(badKind.status, 400);
  });

  test('timeout fault never answers', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', error: 'timeout', count: 1 });
    await assert.rejects(sqCall(s.url, a.credentials, 'GetServiceQuota', Q, { timeoutMs: 300 }), (e) => e.code === 'ETIMEDOUT');
    assert.equal((await sqCall(s.url, a.credentials, 'GetServiceQuota', Q)).status, 200);
    const c = (await control(s.url, 'GET', '/_sim/counters')).body;
    assert.equal(c.by_outcome.fault_timeout, 1);
  });

  test('reset fault drops the connection', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', error: 'reset', count: 1 });
    await assert.rejects(sqCall(s.url, a.credentials, 'GetServiceQuota', Q), (e) => ['ECONNRESET', 'EPIPE'].includes(e.code) || /socket hang up/.test(e.message));
    assert.equal((await sqCall(s.url, a.credentials, 'GetServiceQuota', Q)).status, 200);
  });

  test('latency: per-fault and global, without blocking other requests', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', latency_ms: 150, count: 1 });
    let t0 = performance.now();
    assert.equal((await sqCall(s.url, a.credentials, 'GetServiceQuota', Q)).status, 200);
    assert.ok(performance.now() - t0 >= 140, 'fault latency applied');

    const cfg = await control(s.url, 'PUT', '/_sim/config', { latency_ms: 100 });
    assert.equal(cfg.body.latency_ms, 100);
    t0 = performance.now();
    const all = await Promise.all(Array.from({ length: 50 }, () => sqCall(s.url, b.credentials, 'GetAWSDefaultServiceQuota', Q)));
    const elapsed = performance.now() - t0;
    assert.ok(all.every((r) => r.status === 200));
    assert.ok(elapsed >= 95, `elapsed ${elapsed}`);
    assert.ok(elapsed < 2000, `50 concurrent calls with 100 ms latency took ${elapsed} ms: latency must not serialise requests`);
  });

  test('Account API faults use the REST-JSON error format', async () => {
    await control(s.url, 'POST', '/_sim/faults', { operation: 'GetContactInformation', error: 'throttle', count: 1 });
    const r = await signedRequest(s.url, {
      service: 'account', credentials: a.credentials, path: '/getContactInformation', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    assert.equal(r.status, 429);
    assert.equal(r.headers['x-amzn-errortype'], 'TooManyRequestsException');
  });
});

describe('control API', () => {
  let s;
  before(async () => {
    s = await startSim({ seedAccounts: 3 });
  });
  after(() => s.close());

  test('seeded accounts are deterministic and listed', async () => {
    const r = await control(s.url, 'GET', '/_sim/accounts');
    assert.equal(r.body.total, 3);
    assert.deepEqual(r.body.accounts.map((x) => x.account_id), ['100000000001', '100000000002', '100000000003']);
    assert.equal(r.body.accounts[0].access_keys[0].access_key_id, 'AKIASIM0000000000001');
    assert.equal(r.body.accounts[0].roles[0].external_id, 'ext-100000000001');
    const s2 = await startSim({ seedAccounts: 1 });
    try {
      const r2 = await control(s2.url, 'GET', '/_sim/accounts/100000000001');
      assert.equal(r2.body.access_keys[0].secret_access_key, r.body.accounts[0].access_keys[0].secret_access_key);
    } finally {
      await s2.close();
    }
  });

  test('create an account with given keys, roles and quotas', async () => {
    const r = await control(s.url, 'POST', '/_sim/accounts', {
      account_id: '555566667777',
      access_key_id: 'AKIAEXAMPLE000000001',
      secret_access_key: 'secret/with+chars0000000000000000000000',
      roles: [{ role_arn: 'arn:aws:iam::555566667777:role/Reader', external_id: 'xyz-123' }],
      quotas: [{ region: 'us-east-1', code: 'L-FF8E7864', value: 77 }, { region: 'us-east-1', code: 'L-01F3CD81', unapplied: true }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.access_keys[0].access_key_id, 'AKIAEXAMPLE000000001');
    const creds = { accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'secret/with+chars0000000000000000000000' };
    const q = await sqCall(s.url, creds, 'GetServiceQuota', Q);
    assert.equal(q.json().Quota.Value, 77);
    assert.equal((await sqCall(s.url, creds, 'GetServiceQuota', Q2)).json().__type, 'NoSuchResourceException');
    assert.equal((await control(s.url, 'POST', '/_sim/accounts', { account_id: '555566667777' })).status, 409);
    assert.equal((await control(s.url, 'POST', '/_sim/accounts', { account_id: '12' })).status, 400);
    assert.equal((await control(s.url, 'GET', '/_sim/accounts/999999999999')).status, 404);
    const withQuotas = await control(s.url, 'GET', '/_sim/accounts/555566667777?quotas=1');
    assert.equal(withQuotas.body.quotas.find((x) => x.code === 'L-FF8E7864').applied_value, 77);
  });

  test('reset restores the seeded state', async () => {
    await control(s.url, 'POST', '/_sim/accounts', {});
    await control(s.url, 'POST', '/_sim/faults', { error: 'throttle' });
    const r = await control(s.url, 'POST', '/_sim/reset');
    assert.equal(r.status, 200);
    assert.equal((await control(s.url, 'GET', '/_sim/accounts')).body.total, 3);
    assert.deepEqual((await control(s.url, 'GET', '/_sim/faults')).body.faults, []);
    assert.equal((await control(s.url, 'GET', '/_sim/counters')).body.total, 0);
  });

  test('unknown routes and methods', async () => {
    assert.equal((await control(s.url, 'GET', '/_sim/nothing')).status, 404);
    assert.equal((await control(s.url, 'PATCH', '/_sim/faults')).status, 405);
    assert.equal((await control(s.url, 'GET', '/_sim/health')).body.ok, true);
  });

  test('keep-alive: many calls reuse one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set();
    agent.on('free', (sock) => sockets.add(sock));
    try {
      const acct = (await control(s.url, 'GET', '/_sim/accounts/100000000002')).body;
      const creds = { accessKeyId: acct.access_keys[0].access_key_id, secretAccessKey: acct.access_keys[0].secret_access_key };
      for (let i = 0; i < 5; i++) {
        const r = await stsCall(s.url, creds, 'GetCallerIdentity', {}, {});
        assert.equal(r.status, 200);
      }
      const { rawRequest } = await import('./helpers.mjs');
      for (let i = 0; i < 5; i++) {
        const r = await rawRequest(s.url, { path: '/_sim/health', agent });
        assert.equal(r.status, 200);
      }
      assert.equal(sockets.size, 1);
    } finally {
      agent.destroy();
    }
  });
});
