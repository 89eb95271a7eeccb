// Three instances of the platform on one DynamoDB store (docs/operations.md "Running on DynamoDB"): the AWS
// simulator holds the tables (dynalite behind SigV4 checks), `account-platform dynamodb create-tables` makes them,
// and three servers share one table prefix and one AP_MASTER_KEY (lib/instances.mjs).
//
// What must hold across instances: a session made on one works on all; a logout or a role change on one takes
// effect on the others within the epoch bound (epoch_poll, 1 s, plus a request in flight: polled with a
// deadline, never a fixed sleep); concurrent config writes through different instances lose no update; ten
// concurrent refreshes of one account make one set of AWS calls; a fleet job whose instance is killed is finished
// by another after the lease expires. The master-key canary: an instance with another key refuses to start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ADMIN, Platform, assertStatus, makeTempDir, waitFor } from './lib/platform.mjs';
import { createTables, dynamoDbEnv, newMasterKey, newTablePrefix, runLimited, startCluster, startInstance } from './lib/instances.mjs';
import { AwsSim } from './lib/aws-sim.mjs';

const CANARY_LINE = "AP_MASTER_KEY does not open this store's sealed credentials: every instance must use the same key";
// How long another instance may take to see a revoked session or a changed role: epoch_poll (1 s) + a request in
// flight, with room for a loaded machine.
const EPOCH_DEADLINE_MS = 10000;
// The fleet lease of the cluster's servers (--fleet-lease-ttl): a killed holder's job is taken over after it.
const FLEET_LEASE_TTL = '3s';

// Starts a server expecting it to fail; resolves its exit and stderr lines.
async function startFailing(options) {
  try {
    const p = await Platform.start(options);
    await p.stop();
  } catch (e) {
    return e.message;
  }
  assert.fail('the server started');
}

describe('data dir on DynamoDB', () => {
  test('with AP_MASTER_KEY set, serve neither creates nor needs its data dir (a read-only container root)', async () => {
    const sim = await AwsSim.start();
    const parent = await makeTempDir();
    try {
      const prefix = newTablePrefix();
      await createTables(sim, prefix);
      await writeFile(join(parent, 'file'), '');
      // A data dir that cannot be created (its parent is a file) stands for one on a read-only filesystem.
      const dataDir = join(parent, 'file', 'data');
      const p = await Platform.start({ dataDir, sim, env: dynamoDbEnv(sim, { prefix, masterKey: newMasterKey() }) });
      try {
        assertStatus(await p.api('GET', '/ready'), 200);
      } finally {
        await p.stop();
      }
    } finally {
      await sim.stop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe('master key canary', () => {
  test('SQLite: a restart with another AP_MASTER_KEY refuses to start with one clear line', async () => {
    const dataDir = await makeTempDir();
    const first = await Platform.start({ dataDir, sim: null, env: { AP_MASTER_KEY: newMasterKey() } });
    assertStatus(await first.api('GET', '/ready'), 200);
    await first.stop();
    try {
      const message = await startFailing({ dataDir, sim: null, env: { AP_MASTER_KEY: newMasterKey() } });
      assert.match(message, /exited \(\{"code":1,"signal":null\}\)/);
      assert.ok(message.includes(CANARY_LINE), message);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('DynamoDB: a second instance with another key exits non-zero with that line; the same key starts', async () => {
    const sim = await AwsSim.start();
    try {
      const prefix = newTablePrefix();
      await createTables(sim, prefix);
      const key = newMasterKey();
      const first = await startInstance(sim, { prefix, masterKey: key });
      try {
        let message;
        try {
          const wrong = await startInstance(sim, { prefix, masterKey: newMasterKey() });
          await wrong.stop();
        } catch (e) {
          message = e.message;
        }
        assert.ok(message, 'the instance with another key started');
        assert.match(message, /exited \(\{"code":1,"signal":null\}\)/);
        assert.ok(message.includes(CANARY_LINE), message);
        const same = await startInstance(sim, { prefix, masterKey: key });
        assertStatus(await same.api('GET', '/ready'), 200);
        await same.stop();
      } finally {
        await first.stop();
      }
    } finally {
      await sim.stop();
    }
  });
});

describe('three instances on one DynamoDB store', () => {
  let c;
  let a;
  let b;
  let d;
  let adminToken;
  before(async () => {
    c = await startCluster({ instances: 3, args: ['--fleet-lease-ttl', FLEET_LEASE_TTL] });
    [a, b, d] = c.instances;
    adminToken = await a.login(ADMIN.email, ADMIN.password);
  });
  after(async () => {
    if (c) await c.stop();
  });

  const me = (p, token) => p.api('GET', '/api/auth/me', { token });
  // The successful AWS calls made for `accountId` (every operation) in a counters view, by operation. Throttled
  // attempts are left out: how many a refresh meets depends on how much of AWS's rate the one before used.
  const awsCallsOf = (counters, accountId) => Object.fromEntries(
    Object.entries(counters.by_account?.[accountId]?.operations ?? {}).map(([op, outcomes]) => [op, outcomes.ok ?? 0]));

  test('a session made on one instance works on all', async () => {
    const token = await b.login(ADMIN.email, ADMIN.password);
    for (const p of [a, b, d]) {
      const r = await me(p, token);
      assertStatus(r, 200);
      assert.equal(r.json.email, ADMIN.email);
    }
  });

  test('a logout on one instance ends the session on the others within the bound', async () => {
    const token = await a.login(ADMIN.email, ADMIN.password);
    for (const p of [a, b, d]) assertStatus(await me(p, token), 200); // cached on every instance now
    assertStatus(await a.api('POST', '/api/auth/logout', { token }), 204);
    assertStatus(await me(a, token), 401);
    for (const p of [b, d]) {
      await waitFor(async () => (await me(p, token)).status === 401, {
        timeoutMs: EPOCH_DEADLINE_MS, intervalMs: 50, what: `the logout seen on port ${p.port}`,
      });
    }
  });

  test('a role change on one instance takes effect on the others within the bound', async () => {
    const u = await a.createUser(adminToken, { email: `promoted-${Date.now()}@example.com`, role: 'admin' });
    for (const p of [a, b, d]) assertStatus(await p.api('GET', '/api/admin/users', { token: u.token }), 200);
    const patch = await b.api('PATCH', `/api/admin/users/${u.user.user_id}`, { token: adminToken, body: { role: 'user' } });
    assertStatus(patch, 200);
    for (const p of [a, b, d]) {
      await waitFor(async () => (await p.api('GET', '/api/admin/users', { token: u.token })).status === 403, {
        timeoutMs: EPOCH_DEADLINE_MS, intervalMs: 50, what: `the demotion seen on port ${p.port}`,
      });
      assert.equal((await me(p, u.token)).json.role, 'user');
    }
  });

  test('2 × 500 concurrent config writes through different instances lose no update', async () => {
    const initial = (await a.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    const writers = [a, b];
    const outcomes = await runLimited(1000, 64, async (i) => {
      const p = writers[i % 2];
      const current = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
      // Each write flips one visible field, so that every applied write is a real change.
      const models = current.models.map((m, k) => (k === 0 ? { ...m, display_name: `Writer ${i}` } : m));
      const r = await p.api('PUT', '/api/admin/quota-config', { token: adminToken, body: { version: current.version, models } });
      assert.ok(r.status === 200 || r.status === 409, `write ${i}: ${r.status} ${r.text}`);
      return r.status;
    });
    const applied = outcomes.filter((s) => s === 200).length;
    assert.ok(applied > 0, 'some write applied');
    // The final version, read through the third instance once its cache may have expired.
    await waitFor(async () => {
      const now = (await d.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
      return now.version === initial.version + applied;
    }, { timeoutMs: EPOCH_DEADLINE_MS, intervalMs: 100, what: `config version ${initial.version} + ${applied}` });
  });

  test('ten concurrent refreshes of one account through three instances make one set of AWS calls', async () => {
    const acct = await a.createAccount(adminToken, { aws: { quota_profile: 'defaults' } });
    await a.waitNotRefreshing(adminToken, acct.account_id);
    // What one refresh costs, alone.
    await c.sim.resetCounters();
    assertStatus(await b.api('POST', `/api/accounts/${acct.account_id}/quota/refresh`, { token: adminToken }), 200);
    const one = awsCallsOf(await c.sim.counters(), acct.account_id);
    assert.ok(Object.values(one).some((n) => n > 0), 'a refresh reads quotas');
    // Ten at once, slowed down so that they overlap.
    const slow = await c.sim.fault({ operation: 'GetServiceQuota', latency_ms: 300 });
    try {
      await c.sim.resetCounters();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
        c.instances[i % 3].api('POST', `/api/accounts/${acct.account_id}/quota/refresh`, { token: adminToken })));
      for (const r of results) assertStatus(r, 200);
    } finally {
      await c.sim.removeFault(slow.id);
    }
    const ten = awsCallsOf(await c.sim.counters(), acct.account_id);
    assert.deepEqual(ten, one, 'ten overlapping refreshes through three instances cost what one costs');
  });

  test('kill -9 of the instance running a fleet job: another instance finishes it after the lease expires', async () => {
    for (let i = 0; i < 6; i++) await a.createAccount(adminToken, { aws: { quota_profile: 'defaults' } });
    await a.waitNoRefresh(adminToken);
    // Slow AWS so that the job is still running when its instance dies.
    const slow = await c.sim.fault({ operation: 'GetServiceQuota', latency_ms: 400 });
    let jobId;
    try {
      const started = await d.api('POST', '/api/admin/quota/refresh-all', { token: adminToken, body: {} });
      assertStatus(started, 202);
      jobId = started.json.job_id;
      await waitFor(async () => (await a.api('GET', `/api/jobs/${jobId}`, { token: adminToken })).json.done > 0, {
        timeoutMs: 20000, intervalMs: 50, what: 'the job under way',
      });
      await d.kill();
    } finally {
      await c.sim.removeFault(slow.id);
    }
    const finished = await waitFor(async () => {
      const j = (await a.api('GET', `/api/jobs/${jobId}`, { token: adminToken })).json;
      return j.state !== 'running' ? j : null;
      // The killed instance's refresh leases (60 s) may hold the takeover's first items back.
    }, { timeoutMs: 150000, intervalMs: 200, what: `job ${jobId} finished by another instance` });
    assert.equal(finished.state, 'succeeded', JSON.stringify(finished));
    assert.equal(finished.done, finished.total);
    // Every item exactly once.
    const items = (await b.api('GET', `/api/jobs/${jobId}/items?page_size=100`, { token: adminToken })).json.items;
    assert.equal(items.length, finished.total);
    assert.ok(items.every((it) => it.outcome !== 'pending'), JSON.stringify(items));
  });

  // The task role of the CDK app (deploy/cdk) is built from `account-platform iam-policy`: everything the servers
  // did above (logins, writes, refreshes, jobs, leases, a takeover) must be allowed by it. CreateTable and
  // UpdateTimeToLive come from `dynamodb create-tables`, which an operator (or CDK) runs, not the server.
  test('every DynamoDB operation the servers made is allowed by the task role policy (iam-policy)', async () => {
    const made = Object.keys((await c.sim.control('GET', '/_sim/dynamodb/stats')).by_operation ?? {});
    const policy = JSON.parse(execFileSync(process.env.AP_BINARY, ['iam-policy', '--part', 'task'], { encoding: 'utf8' }));
    const allowed = new Set(policy.Statement.flatMap((st) => [st.Action].flat()));
    const byServers = made.filter((op) => op !== 'CreateTable' && op !== 'UpdateTimeToLive');
    assert.ok(byServers.includes('UpdateItem') && byServers.includes('Query'), JSON.stringify(made));
    for (const op of byServers) assert.ok(allowed.has(`dynamodb:${op}`), `dynamodb:${op} is not in the task role policy`);
  });
});

describe('the scheduled refresh across three instances', () => {
  let c;
  after(async () => {
    if (c) await c.stop();
  });

  // --refresh-interval is at least 1m: this waits for the first interval (±10 % jitter) and half the next.
  test('runs once per interval, whichever instance makes it', async () => {
    c = await startCluster({ instances: 3, args: ['--refresh-interval', '1m'] });
    const [a] = c.instances;
    const adminToken = await a.login(ADMIN.email, ADMIN.password);
    await a.createAccount(adminToken, { aws: { quota_profile: 'defaults' } });
    const scheduled = async () => (await a.api('GET', '/api/jobs?page_size=100', { token: adminToken })).json.items
      .filter((j) => j.kind === 'quota_refresh_scheduled');
    const first = await waitFor(async () => {
      const jobs = await scheduled();
      return jobs.length > 0 ? jobs : null;
    }, { timeoutMs: 100000, intervalMs: 500, what: 'the first scheduled run' });
    assert.equal(first.length, 1, JSON.stringify(first));
    // The other two instances' ticks of this interval come within its jitter (±6 s): none of them runs again.
    const firstAt = Date.parse(first[0].created_at);
    await waitFor(() => Date.now() > firstAt + 30000, { timeoutMs: 40000, intervalMs: 500, what: 'half an interval' });
    assert.equal((await scheduled()).length, 1, 'one scheduled run in the interval across three instances');
  });
});
