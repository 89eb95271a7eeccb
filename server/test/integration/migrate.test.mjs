// `account-platform migrate --from sqlite:DIR --to dynamodb`: a small SQLite platform (accounts with cached
// quotas, a user, a config change) is copied into DynamoDB tables (dynalite behind the simulator's SigV4 checks),
// verified (counts and a checksum of every cached value), copied again (idempotent), and served from DynamoDB with
// the same accounts and quota values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';

import { ADMIN, Platform, assertStatus, runBinary } from './lib/platform.mjs';
import { createTables, dynamoDbEnv, newMasterKey, newTablePrefix, startInstance } from './lib/instances.mjs';

describe('migrate from SQLite to DynamoDB', () => {
  let source; // the SQLite platform (stopped before the copy)
  let sim;
  let dataDir;
  const masterKey = newMasterKey();
  const prefix = newTablePrefix();
  const seen = {}; // what the SQLite platform served: accounts, quota reads, config, the user
  before(async () => {
    source = await Platform.start({ env: { AP_MASTER_KEY: masterKey } });
    sim = source.sim;
    dataDir = source.dataDir;
    const token = await source.login(ADMIN.email, ADMIN.password);
    const config = (await source.api('GET', '/api/admin/quota-config', { token })).json;
    // A disabled model cannot be shown (issue 16 §3: 422 models[i].show_in_dashboard).
    const models = config.models.map((m) => {
      const enabled = m.model_id === 'claude-sonnet-4.5-v1';
      return { ...m, enabled, show_in_dashboard: m.show_in_dashboard && enabled };
    });
    assertStatus(await source.api('PUT', '/api/admin/quota-config', { token, body: { version: config.version, models } }), 200);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const a = await source.createAccount(token, { regions: ['us-east-1', 'eu-west-1'], teams: i === 0 ? ['blue'] : [] });
      ids.push(a.account_id);
    }
    for (const id of ids) await source.waitNotRefreshing(token, id);
    seen.user = await source.createUser(token, { email: 'migrated@example.com', teams: ['blue'] });
    seen.accounts = (await source.api('GET', '/api/accounts?page_size=100', { token })).json.items;
    seen.quota = {};
    for (const id of ids) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const r = await source.api('GET', `/api/accounts/${id}/quota?region=${region}`, { token });
        assertStatus(r, 200);
        seen.quota[`${id}/${region}`] = r.json;
      }
    }
    seen.models = (await source.api('GET', '/api/admin/quota-config', { token })).json.models;
    await source.stop({ keepDataDir: true, keepSim: true });
    await createTables(sim, prefix);
  });
  after(async () => {
    if (sim) await sim.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const migrate = () => runBinary(['migrate', '--from', `sqlite:${dataDir}`, '--to', 'dynamodb', '--table-prefix', prefix], {
    env: dynamoDbEnv(sim), timeoutMs: 120000,
  });

  test('copies, verifies and prints the figures; a second run is idempotent', async () => {
    const first = await migrate();
    assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
    assert.match(first.stdout, /^ {2}accounts: 3 \/ 3$/m);
    assert.match(first.stdout, /^ {2}users: 2 \/ 2$/m);
    assert.match(first.stdout, /^ {2}quota_snapshots: 6 \/ 6$/m);
    assert.match(first.stdout, /^ {2}quota values checksum: ([0-9a-f]{16}) \/ \1$/m);
    assert.match(first.stdout, /not copied: sessions/);
    assert.doesNotMatch(first.stdout, /MISMATCH/);
    const second = await migrate();
    assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`);
    assert.doesNotMatch(second.stdout, /MISMATCH/);
  });

  test('a server on DynamoDB serves the same accounts and quota values; users log in again', async () => {
    const p = await startInstance(sim, { prefix, masterKey, admin: null });
    try {
      const token = await p.login(ADMIN.email, ADMIN.password);
      assert.deepEqual((await p.api('GET', '/api/accounts?page_size=100', { token })).json.items, seen.accounts);
      for (const [key, want] of Object.entries(seen.quota)) {
        const [id, region] = key.split('/');
        const r = await p.api('GET', `/api/accounts/${id}/quota?region=${region}`, { token });
        assertStatus(r, 200);
        assert.deepEqual(r.json, want, key);
      }
      assert.deepEqual((await p.api('GET', '/api/admin/quota-config', { token })).json.models, seen.models);
      // The old session is gone (not copied); the password still works.
      assertStatus(await p.api('GET', '/api/auth/me', { token: seen.user.token }), 401);
      await p.login('migrated@example.com', seen.user.password);
    } finally {
      await p.stop();
    }
  });

  test('another master key cannot serve the copy', async () => {
    await assert.rejects(startInstance(sim, { prefix, masterKey: newMasterKey(), admin: null }),
      /AP_MASTER_KEY does not open this store's sealed credentials/);
  });
});
