// Cached quota read (/api/accounts/{id}/quota), quota configuration (/api/admin/quota-config) and the dashboard
// (/api/dashboard/stats). "Missing is never zero": a value never read is null, never 0.
// Cached values are planted in the SQLite file with the sqlite3 CLI while the server is stopped. The first refresh
// that creating an account starts is refused by the simulator (access_denied on every GetServiceQuota); a refresh
// that reads nothing marks the values it attempted (error or stale, with the reason: issue 16 §1, tested in
// refresh.test.mjs and failed-refresh.test.mjs), so those marks are cleared with the server stopped: this file tests
// the read path on values it controls. Refreshing itself is tested in refresh.test.mjs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus, sqlite } from './lib/platform.mjs';

const DEFAULT_ENABLED = ['claude-sonnet-4.5-v1', 'claude-opus-4.5', 'claude-opus-4.6-v1'];
const DEFAULT_DASHBOARD = ['claude-sonnet-4.5-v1', 'claude-opus-4.5'];
const DIMENSION_KEYS = ['value', 'quota_code', 'state', 'source', 'reason', 'reason_kind', 'read_at', 'attempted_at',
  'quota_name', 'quota_scope', 'aws_default', 'aws_default_read_at'];

// "claude-sonnet-4.5-v1" → "claude_sonnet_45_v1"
const prefixOf = (modelId) => modelId.replaceAll('.', '').replaceAll('-', '_');

// Flat field names the quota read must carry for a config: tpm and rpm of every enabled model, plus the 1M
// pair for models with a 1M context.
function expectedFlatFields(config) {
  const out = [];
  for (const m of config.models.filter((x) => x.enabled)) {
    const p = prefixOf(m.model_id);
    out.push(`${p}_tpm`, `${p}_rpm`);
    if (m.has_1m_context) out.push(`${p}_1m_tpm`, `${p}_1m_rpm`);
  }
  return out.sort();
}

// Everything but the structural fields (the usage blocks of issue 13 included) is a flat quota field.
const flatFields = (quota) => Object.keys(quota)
  .filter((k) => !['account_id', 'region', 'last_updated', 'last_refresh', 'models', 'usage', 'usage_series'].includes(k)).sort();

// Forgets every cached value and its history (run with the server stopped; the aggregates are rebuilt at start).
const CLEAR_CACHE = 'DELETE FROM quota_values; DELETE FROM quota_snapshots; DELETE FROM quota_history;';

// ISO form the API uses for times (whole seconds, UTC).
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('quota', () => {
  let p;
  let adminToken;
  let userA;
  let userB;
  let config; // as read at the start
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userA = await p.createUser(adminToken, { email: 'qa@example.com', teams: ['team-a'] });
    userB = await p.createUser(adminToken, { email: 'qb@example.com', teams: ['team-b'] });
    await p.sim.fault({ operation: 'GetServiceQuota', error: 'access_denied' });
    await p.createAccount(adminToken, { account_id: '111111111111', regions: ['us-east-1', 'us-west-2'], teams: ['team-a'] });
    await p.createAccount(adminToken, { account_id: '222222222222', regions: ['us-east-1'], teams: ['team-b'] });
    // Their first refreshes are over (and read nothing) before the read path is looked at.
    await p.waitNotRefreshing(adminToken, '111111111111');
    await p.waitNotRefreshing(adminToken, '222222222222');
    await p.waitNoRefresh(adminToken);
    p = await p.restart({ args: ['--rebuild-aggregates'] }, (dir) => sqlite(dir, CLEAR_CACHE));
  });
  after(async () => {
    if (p) await p.stop();
  });

  const getConfig = async () => {
    const r = await p.api('GET', '/api/admin/quota-config', { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };
  const putConfig = (body) => p.api('PUT', '/api/admin/quota-config', { token: adminToken, body });
  const quota = (id, query = '', token = adminToken) => p.api('GET', `/api/accounts/${id}/quota${query}`, { token });

  test('the default quota config', async () => {
    config = await getConfig();
    assert.equal(config.config_id, 'global-quota-config');
    assert.ok(Number.isInteger(config.version) && config.version >= 1, `version ${config.version}`);
    assert.equal(config.updated_by, 'system');
    assert.match(config.updated_at, /Z$/);
    assert.deepEqual(config.models.filter((m) => m.enabled).map((m) => m.model_id).sort(), [...DEFAULT_ENABLED].sort());
    assert.deepEqual(config.models.filter((m) => m.show_in_dashboard).map((m) => m.model_id).sort(), [...DEFAULT_DASHBOARD].sort());
    for (const m of config.models) {
      assert.deepEqual(Object.keys(m).sort(), ['display_name', 'enabled', 'has_1m_context', 'model_id', 'output_token_burndown',
        'quota_code_rpm', 'quota_code_rpm_1m', 'quota_code_tpm', 'quota_code_tpm_1m', 'show_in_dashboard'].sort(), m.model_id);
      for (const k of ['quota_code_tpm', 'quota_code_rpm', 'quota_code_tpm_1m', 'quota_code_rpm_1m']) {
        assert.ok(m[k] === null || /^L-[0-9A-F]{8}$/.test(m[k]), `${m.model_id}.${k} = ${m[k]}`);
      }
    }
    assert.ok(config.models.some((m) => m.model_id === 'claude-haiku-4.5' && !m.enabled), 'haiku is known but disabled');
    const sonnet = config.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1');
    assert.equal(sonnet.has_1m_context, true);
    // Issue 16 §2: every code of the default config is named from the catalogue, with its scope.
    assert.deepEqual(config.quota_names[sonnet.quota_code_tpm], {
      name: 'Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1',
      scope: 'global-cross-region',
    });
    for (const m of config.models)
      for (const k of ['quota_code_tpm', 'quota_code_rpm'])
        if (m[k]) assert.equal(config.quota_names[m[k]]?.scope, 'global-cross-region', `${m.model_id}.${k}`);
    assert.ok(sonnet.quota_code_tpm_1m && sonnet.quota_code_rpm_1m);
  });

  test('a new account: every enabled model\'s flat fields are null (never 0), state "never"', async () => {
    for (const region of ['us-east-1', 'us-west-2']) {
      const r = await quota('111111111111', `?region=${region}`);
      assertStatus(r, 200);
      const q = r.json;
      assert.equal(q.account_id, '111111111111');
      assert.equal(q.region, region);
      assert.equal(q.last_updated, null);
      const fields = flatFields(q);
      for (const f of ['claude_sonnet_45_v1_tpm', 'claude_sonnet_45_v1_rpm', 'claude_sonnet_45_v1_1m_tpm', 'claude_sonnet_45_v1_1m_rpm',
        'claude_opus_45_tpm', 'claude_opus_45_rpm', 'claude_opus_46_v1_tpm', 'claude_opus_46_v1_rpm']) {
        assert.ok(fields.includes(f), `${f} present`);
      }
      assert.deepEqual(fields, expectedFlatFields(config));
      for (const f of fields) assert.strictEqual(q[f], null, `${f} is null, not ${q[f]}`);

      const enabled = config.models.filter((m) => m.enabled);
      assert.deepEqual(q.models.map((m) => m.model_id), enabled.map((m) => m.model_id), 'enabled models in config order');
      for (const m of q.models) {
        const spec = enabled.find((x) => x.model_id === m.model_id);
        assert.equal(m.display_name, spec.display_name);
        assert.equal(m.status, 'never');
        const dims = spec.has_1m_context ? ['tpm', 'rpm', 'tpm_1m', 'rpm_1m'] : ['tpm', 'rpm'];
        for (const d of dims) {
          assert.deepEqual(Object.keys(m[d]).sort(), [...DIMENSION_KEYS].sort(), `${m.model_id}.${d}`);
          assert.deepEqual(m[d], {
            value: null, quota_code: spec[`quota_code_${d}`], state: 'never', source: null, reason: null, reason_kind: null, read_at: null, attempted_at: null,
            quota_name: m[d].quota_name, quota_scope: 'global-cross-region', aws_default: null, aws_default_read_at: null,
          }, `${m.model_id}.${d}`);
          assert.match(m[d].quota_name, / per minute for Anthropic Claude /, `${m.model_id}.${d} is named`);
        }
        if (!spec.has_1m_context) {
          assert.strictEqual(m.tpm_1m, null);
          assert.strictEqual(m.rpm_1m, null);
        }
      }
    }
    // Without ?region= the read uses one of the account's regions.
    const d = await quota('111111111111');
    assertStatus(d, 200);
    assert.ok(['us-east-1', 'us-west-2'].includes(d.json.region), d.json.region);
  });

  test('region must be one of the account\'s regions (422 field region); access follows the account', async () => {
    assertError(await quota('111111111111', '?region=eu-west-1'), 422, 'validation_failed', { field: 'region' });
    assertError(await quota('111111111111', '?region=not-a-region'), 422, 'validation_failed', { field: 'region' });
    assertError(await quota('222222222222', '?region=us-west-2'), 422, 'validation_failed', { field: 'region' });
    assertError(await quota('999999999999'), 404, 'not_found');
    assertStatus(await quota('111111111111', '', userA.token), 200);
    assertError(await quota('111111111111', '', userB.token), 403, 'forbidden');
    assertError(await quota('111111111111', '', null), 401, 'unauthenticated');
  });

  test('dashboard with nothing cached: dashboard models, totals null, missing = account-regions', async () => {
    const r = await p.api('GET', '/api/dashboard/stats', { token: adminToken });
    assertStatus(r, 200);
    const s = r.json;
    assert.equal(s.active_accounts, 2);
    assert.equal(s.account_regions, 3);
    assert.match(s.generated_at, /Z$/);
    const dash = config.models.filter((m) => m.enabled && m.show_in_dashboard);
    assert.deepEqual(s.models.map((m) => m.model_id), dash.map((m) => m.model_id));
    for (const m of s.models) {
      const spec = dash.find((x) => x.model_id === m.model_id);
      assert.equal(m.has_1m_context, spec.has_1m_context);
      const dims = spec.has_1m_context ? ['tpm', 'rpm', 'tpm_1m', 'rpm_1m'] : ['tpm', 'rpm'];
      for (const d of dims) assert.deepEqual(m[d], { total: null, fresh: 0, stale: 0, missing: 3 }, `${m.model_id}.${d}`);
      if (!spec.has_1m_context) assert.ok(!('tpm_1m' in m) || m.tpm_1m === null);
    }
    // A user counts only the accounts they can see.
    const a = await p.api('GET', '/api/dashboard/stats', { token: userA.token });
    assertStatus(a, 200);
    assert.equal(a.json.active_accounts, 1);
    assert.equal(a.json.account_regions, 2);
    assert.deepEqual(a.json.models[0].tpm, { total: null, fresh: 0, stale: 0, missing: 2 });
  });

  test('PUT with the current version: 200, version + 1, and the quota read follows', async () => {
    const current = await getConfig();
    const models = current.models.map((m) => {
      if (m.model_id === 'claude-opus-4.6-v1') return { ...m, enabled: false };
      if (m.model_id === 'claude-haiku-4.5') return { ...m, enabled: true };
      return m;
    });
    const r = await putConfig({ config_id: 'global-quota-config', version: current.version, models });
    assertStatus(r, 200);
    assert.equal(r.json.version, current.version + 1);
    assert.equal(r.json.updated_by, (await p.api('GET', '/api/auth/me', { token: adminToken })).json.user_id);
    assert.deepEqual(r.json.models, models);
    const after = await getConfig();
    // The PUT also names the models that start being read (issue 16 §3); the document is the same.
    const { newly_read_models: newlyRead, ...stored } = r.json;
    assert.deepEqual(newlyRead, ['claude-haiku-4.5']);
    assert.deepEqual(after, stored, 'GET returns what PUT stored');

    const q = (await quota('111111111111', '?region=us-east-1')).json;
    assert.ok(!Object.keys(q).some((k) => k.startsWith('claude_opus_46_v1')), 'a disabled model\'s fields disappear');
    assert.ok(!q.models.some((m) => m.model_id === 'claude-opus-4.6-v1'));
    assert.strictEqual(q.claude_haiku_45_tpm, null);
    assert.strictEqual(q.claude_haiku_45_rpm, null);
    assert.ok('claude_haiku_45_tpm' in q && 'claude_haiku_45_rpm' in q);
    assert.deepEqual(flatFields(q), expectedFlatFields(after));
    const haiku = q.models.find((m) => m.model_id === 'claude-haiku-4.5');
    assert.equal(haiku.tpm.state, 'never');
    assert.equal(haiku.tpm.quota_code, current.models.find((m) => m.model_id === 'claude-haiku-4.5').quota_code_tpm);

    const audit = await p.audit(adminToken, 'action=quota_config.update&outcome=success');
    assert.equal(audit.length, 1);
    config = after;
  });

  test('PUT with a stale (or future) version: 409 and nothing changes', async () => {
    const current = await getConfig();
    const models = current.models.map((m) => ({ ...m, enabled: false, show_in_dashboard: false }));
    assertError(await putConfig({ version: current.version - 1, models }), 409, 'conflict');
    assertError(await putConfig({ version: current.version + 5, models }), 409, 'conflict');
    assert.deepEqual(await getConfig(), current);
    const q = (await quota('111111111111', '?region=us-east-1')).json;
    assert.deepEqual(flatFields(q), expectedFlatFields(current));
  });

  test('PUT validation: 422 naming the field, nothing changes', async () => {
    const current = await getConfig();
    const ms = current.models;
    const m0 = ms[0];
    const withModel = (i, over) => ms.map((m, j) => (j === i ? { ...m, ...over } : m));
    const v = current.version;
    const cases = [
      [{ version: v, models: withModel(0, { model_id: 'Bad_Model' }) }, 'models[0].model_id'],
      [{ version: v, models: withModel(0, { model_id: '-leading-dash' }) }, 'models[0].model_id'],
      [{ version: v, models: withModel(0, { model_id: 'x'.repeat(65) }) }, 'models[0].model_id'],
      [{ version: v, models: withModel(1, { model_id: m0.model_id }) }, 'models[1].model_id'],
      [{ version: v, models: [...ms, { model_id: 'claude-opus-45', quota_code_tpm: 'L-12345678' }] }, `models[${ms.length}].model_id`],
      [{ version: v, models: withModel(0, { quota_code_tpm: 'L-123' }) }, 'models[0].quota_code_tpm'],
      [{ version: v, models: withModel(0, { quota_code_rpm: 'l-3abf6acc' }) }, 'models[0].quota_code_rpm'],
      [{ version: v, models: withModel(0, { quota_code_tpm_1m: 'L-1234567G' }) }, 'models[0].quota_code_tpm_1m'],
      [{ version: v, models: withModel(0, { has_1m_context: true, quota_code_tpm_1m: null, quota_code_rpm_1m: null }) }, 'models[0].has_1m_context'],
      [{ version: v, models: withModel(0, { enabled: true, quota_code_tpm: null, quota_code_rpm: null, has_1m_context: false }) }, 'models[0].enabled'],
      [{ version: v, models: withModel(0, { display_name: 'd'.repeat(129) }) }, 'models[0].display_name'],
      [{ version: v, models: withModel(0, { enabled: 'yes' }) }, 'models[0].enabled'],
      [{ version: v, models: [...ms.slice(0, 1), 'not-an-object'] }, 'models[1]'],
      [{ version: v, models: withModel(0, { model_id: undefined }) }, 'models[0].model_id'],
      [{ version: v, models: 'all' }, 'models'],
      [{ version: v }, 'models'],
      [{ version: v, config_id: 'other-config', models: ms }, 'config_id'],
      [{ models: ms }, 'version'],
      [{ version: 'one', models: ms }, 'version'],
    ];
    for (const [body, field] of cases) {
      const r = await putConfig(body);
      assert.notEqual(r.status, 200, `accepted: field ${field}`);
      assertError(r, 422, 'validation_failed', { field });
    }
    assertError(await p.api('PUT', '/api/admin/quota-config', { token: adminToken, rawBody: '{"version":', headers: { 'Content-Type': 'application/json' } }),
      400, 'bad_request');
    assert.deepEqual(await getConfig(), current);
  });

  test('concurrent PUTs with the same version: exactly one wins', async () => {
    const current = await getConfig();
    const puts = await Promise.all(Array.from({ length: 5 }, (_, i) => putConfig({
      version: current.version,
      models: current.models.map((m) => (m.model_id === 'claude-haiku-4.5' ? { ...m, display_name: `Haiku ${i}` } : m)),
    })));
    const won = puts.filter((r) => r.status === 200);
    assert.equal(won.length, 1, puts.map((r) => r.status).join(','));
    for (const r of puts.filter((x) => x.status !== 200)) assertError(r, 409, 'conflict');
    const after = await getConfig();
    assert.equal(after.version, current.version + 1);
    assert.deepEqual(after.models, won[0].json.models);
    config = after;
  });

  test('the quota read follows the account\'s regions', async () => {
    await p.createAccount(adminToken, { account_id: '565656565656', regions: ['us-east-1', 'us-west-2'], teams: ['team-a'] });
    assertStatus(await quota('565656565656', '?region=us-west-2'), 200);
    assertError(await quota('565656565656', '?region=eu-central-1'), 422, 'validation_failed', { field: 'region' });
    const r = await p.api('PATCH', '/api/accounts/565656565656', { token: adminToken, body: { regions: ['eu-central-1'] } });
    assertStatus(r, 200);
    assertError(await quota('565656565656', '?region=us-west-2'), 422, 'validation_failed', { field: 'region' });
    const now = await quota('565656565656', '?region=eu-central-1');
    assertStatus(now, 200);
    assert.equal(now.json.region, 'eu-central-1');
    assert.equal((await quota('565656565656')).json.region, 'eu-central-1', 'the default follows too');
    // Team changes apply to the quota read as well.
    assertStatus(await quota('565656565656', '', userA.token), 200);
    assertStatus(await p.api('PATCH', '/api/accounts/565656565656', { token: adminToken, body: { teams: ['team-b'] } }), 200);
    assertError(await quota('565656565656', '', userA.token), 403, 'forbidden');
    assertStatus(await quota('565656565656', '', userB.token), 200);
    assertStatus(await p.api('DELETE', '/api/accounts/565656565656', { token: adminToken }), 204);
  });

  test('cached values: value, state, source, read_at, stale with last good value and reason; totals count fresh only', async () => {
    const codes = Object.fromEntries(config.models.map((m) => [m.model_id, m]));
    const sonnet = codes['claude-sonnet-4.5-v1'];
    const opus = codes['claude-opus-4.5'];
    // An inactive account with a cached value: never counted.
    await p.createAccount(adminToken, { account_id: '333333333333', regions: ['us-east-1'], teams: ['team-a'] });
    assertStatus(await p.api('DELETE', '/api/accounts/333333333333', { token: adminToken }), 204);

    const now = Math.floor(Date.now() / 1000) * 1000;
    const T1 = now - 3600_000; // the stale value's last good read
    const T2 = now - 600_000; // the newest successful read
    const T3 = now - 60_000; // the last (failed) attempts
    const snap = (acct, region) => `INSERT INTO quota_snapshots (account_id, region, updated_at_ms) VALUES ('${acct}', '${region}', ${T3});`;
    const val = (acct, region, code, value, state, isDefault, reason, readAt, attemptedAt) =>
      `INSERT INTO quota_values (account_id, region, quota_code, value, state, is_default, reason, read_at_ms, attempted_at_ms) VALUES ('${acct}', '${region}', '${code}', ${value === null ? 'NULL' : value}, '${state}', ${isDefault},` +
      ` '${reason}', ${readAt}, ${attemptedAt});`;
    const sql = [
      'BEGIN;',
      CLEAR_CACHE, // what the refused first refreshes marked (333333333333's too)
      snap('111111111111', 'us-east-1'),
      val('111111111111', 'us-east-1', sonnet.quota_code_tpm, 4000000, 'ok', 0, '', T2, T2),
      val('111111111111', 'us-east-1', sonnet.quota_code_rpm, 2000, 'stale', 0, 'ThrottlingException: Rate exceeded', T1, T3),
      val('111111111111', 'us-east-1', sonnet.quota_code_tpm_1m, 1000000, 'ok', 1, '', T2 - 1000, T2 - 1000),
      val('111111111111', 'us-east-1', sonnet.quota_code_rpm_1m, null, 'error', 0, 'AccessDeniedException: not authorized', 0, T3),
      val('111111111111', 'us-east-1', opus.quota_code_tpm, 0, 'ok', 0, '', T1, T1), // a real zero stays zero
      snap('111111111111', 'us-west-2'),
      val('111111111111', 'us-west-2', sonnet.quota_code_tpm, 1000000, 'ok', 0, '', T1, T1),
      val('111111111111', 'us-west-2', sonnet.quota_code_rpm, 3000, 'ok', 1, '', T1, T1),
      snap('222222222222', 'us-east-1'),
      val('222222222222', 'us-east-1', sonnet.quota_code_tpm, 500000, 'stale', 0, 'RequestTimeout', T1, T3),
      val('222222222222', 'us-east-1', opus.quota_code_tpm, 7000, 'ok', 0, '', T2, T2),
      snap('333333333333', 'us-east-1'),
      val('333333333333', 'us-east-1', sonnet.quota_code_tpm, 99999999, 'ok', 0, '', T2, T2),
      // A snapshot of an account the platform does not know.
      snap('444444444444', 'us-east-1'),
      val('444444444444', 'us-east-1', sonnet.quota_code_tpm, 88888888, 'ok', 0, '', T2, T2),
      'COMMIT;',
    ].join('\n');
    // No refresh in flight at the restart (so that what follows does not depend on the timing of background refreshes).
    await p.waitNoRefresh(adminToken);
    // The dashboard and metrics totals are maintained by the server's own writes: after planting rows by hand, the
    // restart recomputes them (--rebuild-aggregates).
    p = await p.restart({ args: ['--rebuild-aggregates'] }, (dir) => sqlite(dir, sql));

    const r = await quota('111111111111', '?region=us-east-1');
    assertStatus(r, 200);
    const q = r.json;
    assert.equal(q.claude_sonnet_45_v1_tpm, 4000000);
    assert.equal(q.claude_sonnet_45_v1_rpm, 2000, 'a stale value keeps its last good value');
    assert.equal(q.claude_sonnet_45_v1_1m_tpm, 1000000);
    assert.strictEqual(q.claude_sonnet_45_v1_1m_rpm, null, 'an error without a value is null');
    assert.strictEqual(q.claude_opus_45_tpm, 0, 'a value read as zero is zero');
    assert.strictEqual(q.claude_opus_45_rpm, null, 'a value never read is null');
    assert.equal(q.last_updated, iso(T2), 'the newest read_at of the values shown');

    const s = q.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1');
    // Rows planted without AWS's default (as before migration 19) read it as null, never 0; names come from the
    // catalogue (issue 16 §2). The rest of each value is compared exactly.
    for (const d of ['tpm', 'rpm', 'tpm_1m', 'rpm_1m']) {
      assert.strictEqual(s[d].aws_default, null, `${d}.aws_default`);
      assert.strictEqual(s[d].aws_default_read_at, null, `${d}.aws_default_read_at`);
      assert.equal(s[d].quota_scope, 'global-cross-region', `${d}.quota_scope`);
    }
    // eslint-disable-next-line no-unused-vars
    const core = ({ quota_name, quota_scope, aws_default, aws_default_read_at, ...rest }) => rest;
    assert.deepEqual(core(s.tpm), { value: 4000000, quota_code: sonnet.quota_code_tpm, state: 'ok', source: 'applied', reason: null,
      reason_kind: null, read_at: iso(T2), attempted_at: iso(T2) });
    assert.deepEqual(core(s.rpm), { value: 2000, quota_code: sonnet.quota_code_rpm, state: 'stale', source: 'applied',
      reason: 'ThrottlingException: Rate exceeded', reason_kind: 'throttled', read_at: iso(T1), attempted_at: iso(T3) });
    assert.deepEqual(core(s.tpm_1m), { value: 1000000, quota_code: sonnet.quota_code_tpm_1m, state: 'ok', source: 'aws_default', reason: null,
      reason_kind: null, read_at: iso(T2 - 1000), attempted_at: iso(T2 - 1000) });
    assert.deepEqual(core(s.rpm_1m), { value: null, quota_code: sonnet.quota_code_rpm_1m, state: 'error', source: null,
      reason: 'AccessDeniedException: not authorized', reason_kind: 'access_denied', read_at: null, attempted_at: iso(T3) });
    assert.equal(s.status, 'error', 'the worst state wins');
    // The newest attempt (T3) read nothing of what it tried: stale rpm (first by code) and the error rpm_1m.
    assert.equal(q.last_refresh.at, iso(T3));
    assert.equal(q.last_refresh.state, 'failed');
    assert.equal(q.last_refresh.failed, 2);
    const o = q.models.find((m) => m.model_id === 'claude-opus-4.5');
    assert.equal(o.tpm.value, 0);
    assert.equal(o.tpm.state, 'ok');
    assert.equal(o.tpm.source, 'applied');
    assert.equal(o.rpm.state, 'never');
    assert.equal(o.status, 'never');

    const w = (await quota('111111111111', '?region=us-west-2')).json;
    assert.equal(w.claude_sonnet_45_v1_tpm, 1000000);
    assert.equal(w.claude_sonnet_45_v1_rpm, 3000);
    assert.equal(w.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1').rpm.source, 'aws_default');
    assert.equal(w.last_updated, iso(T1));

    // Dashboard over the admin's view: 111111111111 (2 regions) and 222222222222 (1 region).
    const d = await p.api('GET', '/api/dashboard/stats', { token: adminToken });
    assertStatus(d, 200);
    assert.equal(d.json.active_accounts, 2);
    assert.equal(d.json.account_regions, 3);
    const dm = Object.fromEntries(d.json.models.map((m) => [m.model_id, m]));
    assert.deepEqual(dm['claude-sonnet-4.5-v1'].tpm, { total: 5000000, fresh: 2, stale: 1, missing: 0 });
    assert.deepEqual(dm['claude-sonnet-4.5-v1'].rpm, { total: 3000, fresh: 1, stale: 1, missing: 1 });
    assert.deepEqual(dm['claude-sonnet-4.5-v1'].tpm_1m, { total: 1000000, fresh: 1, stale: 0, missing: 2 });
    assert.deepEqual(dm['claude-sonnet-4.5-v1'].rpm_1m, { total: null, fresh: 0, stale: 0, missing: 3 });
    assert.deepEqual(dm['claude-opus-4.5'].tpm, { total: 7000, fresh: 2, stale: 0, missing: 1 });
    assert.deepEqual(dm['claude-opus-4.5'].rpm, { total: null, fresh: 0, stale: 0, missing: 3 });

    // A user of team-a: only 111111111111.
    const a = await p.api('GET', '/api/dashboard/stats', { token: userA.token });
    assertStatus(a, 200);
    assert.equal(a.json.active_accounts, 1);
    assert.equal(a.json.account_regions, 2);
    const am = Object.fromEntries(a.json.models.map((m) => [m.model_id, m]));
    assert.deepEqual(am['claude-sonnet-4.5-v1'].tpm, { total: 5000000, fresh: 2, stale: 0, missing: 0 });
    assert.deepEqual(am['claude-opus-4.5'].tpm, { total: 0, fresh: 1, stale: 0, missing: 1 }, 'a sum of real zeros is 0');
    // The only fresh value of team-b's account is not in team-a's totals.
    const b = await p.api('GET', '/api/dashboard/stats', { token: userB.token });
    const bm = Object.fromEntries(b.json.models.map((m) => [m.model_id, m]));
    assert.deepEqual(bm['claude-sonnet-4.5-v1'].tpm, { total: null, fresh: 0, stale: 1, missing: 0 });

    // The grid pages by cursor in account-name order, then region; `total` is the number of rows.
    const rows = [];
    let cursor = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await p.api('GET', `/api/dashboard/stats?page_size=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: adminToken });
      assertStatus(page, 200);
      assert.equal(page.json.total, 3);
      assert.ok(!('page' in page.json));
      assert.ok(page.json.accounts.length <= 2);
      rows.push(...page.json.accounts.map((r) => `${r.account_id}/${r.region}`));
      cursor = page.json.next;
      if (cursor === null) break;
    }
    assert.deepEqual(rows, ['111111111111/us-east-1', '111111111111/us-west-2', '222222222222/us-east-1']);
    const row = d.json.accounts.find((r) => r.account_id === '111111111111' && r.region === 'us-east-1');
    assert.deepEqual(row.values['claude-sonnet-4.5-v1'].tpm,
      { value: 4000000, state: 'ok', source: 'applied', read_at: iso(T2), attempted_at: iso(T2), reason: null, reason_kind: null });
    assert.equal(row.last_refresh.state, 'failed', 'the row says its newest attempt (T3) read nothing');
    const stale = d.json.accounts.find((r) => r.account_id === '222222222222');
    assert.deepEqual(stale.values['claude-sonnet-4.5-v1'].tpm, { value: 500000, state: 'stale', source: 'applied', read_at: iso(T1),
      attempted_at: iso(T3), reason: 'RequestTimeout', reason_kind: 'other' });
    assertError(await p.api('GET', '/api/dashboard/stats?cursor=bogus', { token: adminToken }), 422, 'validation_failed',
      { field: 'cursor' });

    // /metrics: fleet gauges from the same totals; no per-value series unless --metrics-per-value.
    const metrics = (await p.api('GET', '/metrics', { token: adminToken })).text;
    assert.match(metrics, /^ap_fleet_active_accounts 2$/m);
    assert.match(metrics, /^ap_fleet_account_regions 3$/m);
    assert.match(metrics, /^ap_quota_fleet_sum\{model_id="claude-sonnet-4.5-v1",dimension="tpm"\} 5000000$/m);
    assert.match(metrics, /^ap_quota_fleet_fresh\{model_id="claude-sonnet-4.5-v1",dimension="tpm"\} 2$/m);
    assert.match(metrics, /^ap_quota_fleet_stale\{model_id="claude-sonnet-4.5-v1",dimension="tpm"\} 1$/m);
    assert.match(metrics, /^ap_quota_fleet_missing\{model_id="claude-sonnet-4.5-v1",dimension="rpm"\} 1$/m);
    assert.match(metrics, /^ap_quota_fleet_missing\{model_id="claude-opus-4.5",dimension="rpm"\} 3$/m);
    assert.doesNotMatch(metrics, /ap_quota_fleet_sum\{model_id="claude-opus-4.5",dimension="rpm"\}/, 'no sum without a fresh value');
    assert.doesNotMatch(metrics, /ap_quota_value\{/);

    // Disabling a model in the config removes it from the read and the dashboard; its cached values stay.
    const current = await getConfig();
    // Disabling also hides it: a disabled model cannot be shown (issue 16 §3).
    const off = current.models.map((m) =>
      m.model_id === 'claude-opus-4.5' ? { ...m, enabled: false, show_in_dashboard: false } : m,
    );
    assertStatus(await putConfig({ version: current.version, models: off }), 200);
    const q2 = (await quota('111111111111', '?region=us-east-1')).json;
    assert.ok(!('claude_opus_45_tpm' in q2));
    const d2 = await p.api('GET', '/api/dashboard/stats', { token: adminToken });
    assert.deepEqual(d2.json.models.map((m) => m.model_id), ['claude-sonnet-4.5-v1']);
    assertStatus(await putConfig({ version: current.version + 1, models: current.models }), 200);
    assert.equal((await quota('111111111111', '?region=us-east-1')).json.claude_opus_45_tpm, 0);
  });

  test('--metrics-per-value adds one ap_quota_value series per cached value (a value never read has none)', async () => {
    await p.waitNoRefresh(adminToken);
    p = await p.restart({ args: ['--metrics-per-value'] });
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    const text = (await p.api('GET', '/metrics', { token: adminToken })).text;
    assert.match(text, /^ap_quota_value\{account_id="111111111111",region="us-east-1",model_id="claude-sonnet-4.5-v1",dimension="tpm",state="ok"\} 4000000$/m);
    assert.match(text, /^ap_quota_value\{account_id="222222222222",region="us-east-1",model_id="claude-sonnet-4.5-v1",dimension="tpm",state="stale"\} 500000$/m);
    assert.doesNotMatch(text, /ap_quota_value\{[^}]*dimension="rpm_1m"/, 'an error without a value has no series');
    assert.match(text, /^ap_quota_fleet_sum\{model_id="claude-sonnet-4.5-v1",dimension="tpm"\} 5000000$/m);
  });
});
