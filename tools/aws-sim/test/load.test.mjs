// A scaled-down version of bench/load.mjs: many accounts, concurrent signed calls, 100 ms latency each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSim, sqCall, control } from './helpers.mjs';
import { seedCredentials } from '../state.mjs';

test('200 accounts x 10 calls with 100 ms latency complete concurrently', async () => {
  const s = await startSim({ seedAccounts: 200, latencyMs: 100, rateLimits: false });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
  try {
    const jobs = [];
    for (let n = 0; n < 10; n++) for (let i = 1; i <= 200; i++) jobs.push(i);
    let next = 0;
    const statuses = {};
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (next < jobs.length) {
          const c = seedCredentials(jobs[next++]);
          const r = await sqCall(s.url, { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key }, 'GetAWSDefaultServiceQuota', {
            ServiceCode: 'bedrock',
            QuotaCode: 'L-FF8E7864',
          }, { agent });
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    assert.deepEqual(statuses, { 200: 2000 });
    // Serialised, 2000 calls x 100 ms would take 200 s; 200 in flight need about 1 s plus CPU time.
    assert.ok(seconds < 20, `took ${seconds} s`);
    const counters = (await control(s.url, 'GET', '/_sim/counters')).body;
    assert.equal(counters.by_operation.GetAWSDefaultServiceQuota.outcomes.ok, 2000);
    assert.equal(Object.keys(counters.by_account).length, 200);
  } finally {
    agent.destroy();
    await s.close();
  }
});
