// Fair use of the AWS workers (issue 8, finding 14): one user flooding GET /api/accounts/{id}/billing?source=aws
// costs AWS one GetContactInformation call (cache + single flight), is answered 200 or 429 (never 5xx), and does
// not keep another team's user from refreshing their own account meanwhile.
//
// "How many AWS calls" comes from the simulator's counters (by account). No timed assertions: the simulator holds
// the flooded account's contact call for a while (a latency fault) only so that the flood is surely still in
// progress when the other user's refresh is sent.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';
import { callsOf } from './lib/aws-sim.mjs';

const FLOOD = 200;

// GET with a bounded keep-alive agent (a few dozen connections, as a browser or a script would use), resolving
// { status, headers, json } or { error } when the connection failed.
function get(agent, url, token) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, json, text });
      });
    });
    req.on('error', (error) => resolve({ error }));
  });
}

describe('fair use of the AWS workers', () => {
  let p;
  let adminToken;
  let flooder; // team-a
  let other; // team-b
  let floodedAccount;
  let otherAccount;
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    flooder = await p.createUser(adminToken, { email: 'flood-a@example.com', teams: ['team-a'] });
    other = await p.createUser(adminToken, { email: 'calm-b@example.com', teams: ['team-b'] });
    floodedAccount = (await p.createAccount(adminToken, { teams: ['team-a'], aws: { quota_profile: 'defaults' } })).account_id;
    otherAccount = (await p.createAccount(adminToken, { teams: ['team-b'], aws: { quota_profile: 'defaults' } })).account_id;
    await p.waitNoRefresh(adminToken);
  });
  after(async () => {
    if (p) await p.waitNoRefresh(adminToken).catch(() => {});
    if (p) await p.stop();
  });

  test('200 parallel billing?source=aws of one account by one user: one AWS call, 200 or 429 only; another team refreshes meanwhile', async () => {
    const callsBefore = callsOf(await p.sim.counters(), 'GetContactInformation', floodedAccount).total;
    assert.equal(callsBefore, 0);
    // The flooded account's contact call takes a while at "AWS", so the flood's requests pile up behind it.
    const slow = await p.sim.fault({ operation: 'GetContactInformation', account_id: floodedAccount, latency_ms: 1500 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    try {
      let settled = 0;
      let firstRefusal;
      const sawRefusal = new Promise((resolve) => (firstRefusal = resolve));
      const flood = Array.from({ length: FLOOD }, () =>
        get(agent, p.url(`/api/accounts/${floodedAccount}/billing?source=aws`), flooder.token).then((r) => {
          settled += 1;
          if (r.status === 429) firstRefusal();
          return r;
        }));
      // The flooder holds its whole share (a 429 came back) and the flood is still under way: now the other team.
      await Promise.race([sawRefusal, Promise.all(flood)]);
      const floodInProgress = settled < FLOOD; // asserted last, so that a failure first says what went wrong
      const refresh = await p.api('POST', `/api/accounts/${otherAccount}/quota/refresh`, { token: other.token });
      assertStatus(refresh, 200);
      assert.ok(refresh.json.refresh.ok > 0, `values were read: ${refresh.text}`);
      assert.equal(refresh.json.refresh.failed, 0, refresh.text);

      const results = await Promise.all(flood);
      const byStatus = {};
      for (const r of results) {
        const key = r.error ? `error ${r.error.code}` : r.status;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
      }
      assert.deepEqual(Object.keys(byStatus).filter((k) => k !== '200' && k !== '429'), [],
        `only 200 and 429: ${JSON.stringify(byStatus)}`);
      const counters = await p.sim.counters();
      assert.equal(callsOf(counters, 'GetContactInformation', floodedAccount).total, 1,
        `one GetContactInformation call for the whole flood (answers: ${JSON.stringify(byStatus)})`);
      assert.ok(byStatus[200] > 0 && byStatus[429] > 0, JSON.stringify(byStatus));
      for (const r of results) {
        if (r.status === 200) {
          assert.equal(r.json.source, 'aws');
          assert.equal(r.json.account_id, floodedAccount);
        } else {
          assert.equal(r.json.error.code, 'rate_limited');
          assert.match(r.headers['retry-after'] ?? '', /^[1-9][0-9]*$/, 'a 429 says when to retry');
        }
      }
      console.log(`flood of ${FLOOD}: ${JSON.stringify(byStatus)}`);
      assert.ok(floodInProgress, 'the other user refreshed while the flood was still in progress');
    } finally {
      agent.destroy();
      await p.sim.removeFault(slow.id);
    }
    // Once the flood is over the user is served again (from the cache: still one call).
    const again = await p.api('GET', `/api/accounts/${floodedAccount}/billing?source=aws`, { token: flooder.token });
    assertStatus(again, 200);
    assert.equal(callsOf(await p.sim.counters(), 'GetContactInformation', floodedAccount).total, 1);
  });

  test('a refused request is the one error body with Retry-After; refreshes count towards the share', async () => {
    // Eight slow contact reads of distinct accounts hold the user's whole share (8).
    const slowAccounts = [];
    for (let i = 0; i < 8; i += 1) {
      slowAccounts.push((await p.createAccount(adminToken, { teams: ['team-a'], aws: { quota_profile: 'defaults' } })).account_id);
    }
    await p.waitNoRefresh(adminToken);
    const faults = [];
    for (const id of slowAccounts) faults.push(await p.sim.fault({ operation: 'GetContactInformation', account_id: id, latency_ms: 5000 }));
    try {
      // Each holder asks again if it was refused (a probe below may have taken a place for a moment first).
      const hold = async (id) => {
        for (;;) {
          const r = await p.api('GET', `/api/accounts/${id}/billing?source=aws`, { token: flooder.token });
          if (r.status !== 429) return r;
        }
      };
      const held = slowAccounts.map(hold);
      // A quick request that also runs on the workers (the platform's copy: 404, none was set), asked until all
      // eight hold their place and it is refused.
      let refused;
      for (let i = 0; i < 1000 && !refused; i += 1) {
        const r = await p.api('GET', `/api/accounts/${floodedAccount}/billing`, { token: flooder.token });
        if (r.status === 429) refused = r;
        else assertError(r, 404, 'not_found');
      }
      assert.ok(refused, 'the ninth concurrent request of one user is refused');
      assertError(refused, 429, 'rate_limited');
      assert.match(refused.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
      // A refresh needs a place too.
      const refresh = await p.api('POST', `/api/accounts/${floodedAccount}/quota/refresh`, { token: flooder.token });
      assertError(refresh, 429, 'rate_limited');
      assert.match(refresh.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
      // Another user is not affected.
      assertStatus(await p.api('POST', `/api/accounts/${otherAccount}/quota/refresh`, { token: other.token }), 200);
      for (const r of await Promise.all(held)) assertStatus(r, 200);
      // The share is back once they are answered.
      assertStatus(await p.api('POST', `/api/accounts/${floodedAccount}/quota/refresh`, { token: flooder.token }), 200);
    } finally {
      for (const f of faults) await p.sim.removeFault(f.id);
    }
  });
});
