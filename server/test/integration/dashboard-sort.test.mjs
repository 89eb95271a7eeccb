// Issue 16 §2 (dashboard) against the real binary and the AWS simulator: GET /api/dashboard/stats sorts the rows by a
// model × dimension (most first by default, missing values last in both directions), filters by team and region,
// states the scope, keeps a user to their teams' accounts, follows value changes, and answers 422 / 403 naming the
// field for a bad sort, order, region, team or cursor. Runs on both stores: SQLite, and DynamoDB (the simulator's
// dynalite) with its own value-sorted index.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, AwsSim, Platform, assertError, assertStatus } from './lib/platform.mjs';
import { createTables, newMasterKey, newTablePrefix, startInstance } from './lib/instances.mjs';

const SONNET_TPM = 'L-27C57EE8';
const SORT = 'claude-sonnet-4.5-v1:tpm';

for (const store of ['sqlite', 'dynamodb']) {
  describe(`dashboard sort and filters (${store} store)`, () => {
    let p;
    let sim; // dynamodb: the simulator holding the tables
    let adminToken;
    let user; // team-b only
    before(async () => {
      if (store === 'dynamodb') {
        sim = await AwsSim.start();
        const prefix = newTablePrefix();
        await createTables(sim, prefix);
        p = await startInstance(sim, { prefix, masterKey: newMasterKey() });
      } else {
        p = await Platform.start();
      }
      adminToken = await p.login(ADMIN.email, ADMIN.password);
      user = await p.createUser(adminToken, { email: 'sorter@example.com', teams: ['team-b'] });
      const make = async (account_id, account_name, teams, regions, tpm) => {
        await p.createAccount(adminToken, {
          account_id, account_name, teams, regions,
          aws: {
            quota_profile: 'defaults',
            quotas: regions.map((region) => ({ region, code: SONNET_TPM, value: tpm })),
          },
        });
        await p.waitNotRefreshing(adminToken, account_id);
      };
      await make('111111111111', 'Alpha', ['team-a'], ['us-east-1', 'us-west-2'], 2_000_000);
      await make('222222222222', 'Bravo', ['team-b'], ['us-east-1'], 8_000_000);
      await make('333333333333', 'Charlie', ['team-a', 'team-b'], ['us-east-1'], 5_000_000);
      // Delta's refreshes are refused: its values are never read (missing).
      await p.sim.fault({ service: 'servicequotas', account_id: '444444444444', error: 'access_denied' });
      await make('444444444444', 'Delta', ['team-b'], ['us-east-1'], 9_000_000);
    });
    after(async () => {
      if (p) await p.waitNoRefresh(adminToken).catch(() => {});
      if (p) await p.stop();
      if (sim) await sim.stop();
    });

    const get = (query, token = adminToken) => p.api('GET', `/api/dashboard/stats?${query}`, { token });
    const rows = async (query, token = adminToken) => {
      const out = [];
      let cursor = '';
      for (let i = 0; i < 50; i++) {
        const r = await get(`${query}&page_size=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
        assertStatus(r, 200);
        out.push(...r.json.accounts.map((a) => `${a.account_name}/${a.region}`));
        if (!r.json.next) return out;
        cursor = r.json.next;
      }
      throw new Error('pages do not end');
    };

    test('the most Sonnet 4.5 TPM first, missing last; ascending keeps missing last', async () => {
      assert.deepEqual(await rows(`sort=${SORT}`), [
        'Bravo/us-east-1', 'Charlie/us-east-1', 'Alpha/us-east-1', 'Alpha/us-west-2', 'Delta/us-east-1',
      ]);
      assert.deepEqual(await rows(`sort=${SORT}&order=asc`), [
        'Alpha/us-east-1', 'Alpha/us-west-2', 'Charlie/us-east-1', 'Bravo/us-east-1', 'Delta/us-east-1',
      ]);
      const r = await get(`sort=${SORT}&page_size=1`);
      assertStatus(r, 200);
      assert.equal(r.json.sort, SORT);
      assert.equal(r.json.order, 'desc');
      assert.equal(r.json.scope, 'all');
      assert.equal(r.json.team, null);
      assert.equal(r.json.region, null);
      assert.equal(r.json.accounts[0].values['claude-sonnet-4.5-v1'].tpm.value, 8_000_000);
      // The default stays by name.
      assert.deepEqual(await rows('sort=name'), [
        'Alpha/us-east-1', 'Alpha/us-west-2', 'Bravo/us-east-1', 'Charlie/us-east-1', 'Delta/us-east-1',
      ]);
    });

    test('team and region filters; a user sees only their teams’ accounts', async () => {
      assert.deepEqual(await rows(`sort=${SORT}&team=team-a`), [
        'Charlie/us-east-1', 'Alpha/us-east-1', 'Alpha/us-west-2',
      ]);
      assert.deepEqual(await rows(`sort=${SORT}&region=us-west-2`), ['Alpha/us-west-2']);
      assert.deepEqual(await rows('region=us-west-2'), ['Alpha/us-west-2']);
      assert.deepEqual(await rows(`sort=${SORT}`, user.token), [
        'Bravo/us-east-1', 'Charlie/us-east-1', 'Delta/us-east-1',
      ]);
      const mine = await get('', user.token);
      assert.equal(mine.json.scope, 'teams');
      assertStatus(await get('team=team-a', user.token), 403);
    });

    test('the order follows a value change', async () => {
      await p.sim.setQuota('111111111111', 'us-west-2', SONNET_TPM, { value: 20_000_000 });
      const refresh = '/api/accounts/111111111111/quota/refresh?region=us-west-2';
      assertStatus(await p.api('POST', refresh, { token: adminToken }), 200);
      assert.equal((await rows(`sort=${SORT}`))[0], 'Alpha/us-west-2');
    });

    test('422 names the field: sort, order, region, cursor', async () => {
      assertError(await get('sort=no-such-model:tpm'), 422, 'validation_failed', { field: 'sort' });
      assertError(await get('sort=claude-sonnet-4.5-v1:tpm_2m'), 422, 'validation_failed', { field: 'sort' });
      assertError(await get(`sort=${SORT}&order=up`), 422, 'validation_failed', { field: 'order' });
      assertError(await get('order=desc'), 422, 'validation_failed', { field: 'order' });
      assertError(await get('region=mars-north-1'), 422, 'validation_failed', { field: 'region' });
      const first = await get(`sort=${SORT}&page_size=1`);
      assertError(await get(`sort=claude-sonnet-4.5-v1:rpm&cursor=${encodeURIComponent(first.json.next)}`), 422,
        'validation_failed', { field: 'cursor' });
      assertError(await get(`cursor=${encodeURIComponent(first.json.next)}`), 422, 'validation_failed', {
        field: 'cursor',
      });
    });
  });
}
