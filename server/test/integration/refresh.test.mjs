// POST /api/accounts/{id}/quota/refresh and GET /api/accounts/{id}/quota/history against the AWS simulator: values
// equal what AWS has (applied or AWS's default), partial failures keep the last good value as stale (never 0),
// nothing readable → 502 with every value marked stale (its last good value kept), throttling absorbed by retries, single flight for concurrent
// requests, history and audit of changes, and who may refresh.
//
// Expected values always come from the simulator's control API (GET /_sim/accounts/{id}/quotas/{region}), and
// "how many AWS calls" from its counters (by account, so that other accounts' background work does not count).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, Platform, assertError, assertStatus, sqlite, waitFor } from './lib/platform.mjs';
import { callsOf } from './lib/aws-sim.mjs';

const DIMENSIONS = [['tpm', '_tpm'], ['rpm', '_rpm'], ['tpm_1m', '_1m_tpm'], ['rpm_1m', '_1m_rpm']];
const VALUE_KEYS = ['model_id', 'dimension', 'quota_code', 'ok', 'value', 'source', 'error'];
const REPORT_KEYS = ['started_at', 'finished_at', 'duration_ms', 'ok', 'failed', 'cache_written', 'values'];

// "claude-sonnet-4.5-v1" → "claude_sonnet_45_v1"
const prefixOf = (modelId) => modelId.replaceAll('.', '').replaceAll('-', '_');

// The (model, dimension, code) triples a refresh reads for a quota config, in config order.
function configured(config) {
  const out = [];
  for (const m of config.models.filter((x) => x.enabled)) {
    for (const [dim, suffix] of DIMENSIONS) {
      if (dim.endsWith('_1m') && !m.has_1m_context) continue;
      const code = m[`quota_code_${dim}`];
      if (code) out.push({ model_id: m.model_id, dimension: dim, code, field: prefixOf(m.model_id) + suffix });
    }
  }
  return out;
}

describe('quota refresh', () => {
  let p;
  let adminToken;
  let userA; // team-a
  let userB; // team-b
  let values; // configured(config)
  let codes; // distinct codes
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userA = await p.createUser(adminToken, { email: 'rf-a@example.com', teams: ['team-a'] });
    userB = await p.createUser(adminToken, { email: 'rf-b@example.com', teams: ['team-b'] });
    const config = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    values = configured(config);
    codes = [...new Set(values.map((v) => v.code))];
    assert.ok(values.some((v) => v.dimension === 'rpm') && values.some((v) => v.dimension === 'tpm_1m'),
      'the default config has RPM and 1M codes');
  });
  after(async () => {
    // No refresh in flight at the stop (so that what follows does not depend on the timing of background refreshes).
    if (p) await p.waitNoRefresh(adminToken).catch(() => {});
    if (p) await p.stop();
  });

  const refresh = (id, query = '', token = adminToken) => p.api('POST', `/api/accounts/${id}/quota/refresh${query}`, { token });
  const quota = (id, query = '') => p.api('GET', `/api/accounts/${id}/quota${query}`, { token: adminToken });
  const history = async (id, query = '') => {
    const r = await p.api('GET', `/api/accounts/${id}/quota/history${query}`, { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };
  const dimOf = (q, v) => q.models.find((m) => m.model_id === v.model_id)[v.dimension];
  // Registers a simulated account and waits for the first refresh that creation starts.
  async function account(options = {}, { regions, teams = [] } = {}) {
    const aws = await p.awsAccount(options);
    const r = await p.api('POST', '/api/accounts', { token: adminToken,
      body: { account_name: `Refresh ${aws.account_id}`, regions, teams, credentials: aws.credentials } });
    assertStatus(r, 201);
    await p.waitNotRefreshing(adminToken, aws.account_id);
    return aws.account_id;
  }
  // What the platform should read for every configured value: { value, source } by code.
  async function expected(id, region = 'us-east-1') {
    const sim = await p.sim.quotas(id, region);
    const out = new Map();
    for (const code of codes) {
      const q = sim.get(code);
      out.set(code, q.unapplied ? { value: q.default_value, source: 'aws_default' } : { value: q.applied_value, source: 'applied' });
    }
    return out;
  }
  const accountCalls = async (id) => (await p.sim.counters()).by_account[id]?.operations ?? {};
  const diffCalls = (after, before, op) => {
    const a = after[op] ?? {};
    const b = before[op] ?? {};
    const out = { total: 0 };
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      out[k] = (a[k] ?? 0) - (b[k] ?? 0);
      out.total += out[k];
    }
    return out;
  };

  test('the values are AWS\'s: flat field names, TPM, RPM and 1M values; applied vs AWS default; per region', async () => {
    // Distinct values for every code (so that no value can be right by accident), one code without an applied value.
    const unappliedCode = values.find((v) => v.dimension === 'rpm').code;
    const quotas = [];
    codes.forEach((code, i) => {
      if (code !== unappliedCode) quotas.push({ code, value: 1000 * (i + 3) + 7 });
    });
    quotas.push({ region: 'us-west-2', code: codes[0], value: 424242 });
    const id = await account({ quotas, unapplied: [unappliedCode] }, { regions: ['us-east-1', 'us-west-2'] });
    const want = await expected(id);
    assert.equal(want.get(unappliedCode).source, 'aws_default');

    const before = await accountCalls(id);
    const r = await refresh(id);
    assertStatus(r, 200);
    const after = await accountCalls(id);
    const body = r.json;
    assert.equal(body.account_id, id);
    assert.equal(body.region, 'us-east-1', 'the first region by default');
    assert.deepEqual(Object.keys(body.refresh).sort(), [...REPORT_KEYS].sort());
    assert.equal(body.refresh.ok, values.length);
    assert.equal(body.refresh.failed, 0);
    assert.equal(body.refresh.cache_written, true);
    assert.ok(body.refresh.duration_ms >= 0);
    assert.deepEqual(body.refresh.values.map((v) => [v.model_id, v.dimension, v.quota_code]),
      values.map((v) => [v.model_id, v.dimension, v.code]), 'one outcome per configured value, in config order');
    for (const v of values) {
      const out = body.refresh.values.find((x) => x.model_id === v.model_id && x.dimension === v.dimension);
      assert.deepEqual(Object.keys(out).sort(), [...VALUE_KEYS].sort());
      assert.deepEqual(out, { model_id: v.model_id, dimension: v.dimension, quota_code: v.code, ok: true,
        value: want.get(v.code).value, source: want.get(v.code).source, error: null }, `${v.model_id}.${v.dimension}`);
      // The flat field of the original product's contract and the per-model detail.
      assert.strictEqual(body[v.field], want.get(v.code).value, v.field);
      const d = dimOf(body, v);
      assert.equal(d.value, want.get(v.code).value);
      assert.equal(d.state, 'ok');
      assert.equal(d.source, want.get(v.code).source);
      assert.equal(d.reason, null);
      assert.match(d.read_at, /Z$/);
    }
    assert.ok(values.filter((v) => v.dimension === 'rpm').every((v) => typeof body[v.field] === 'number'), 'RPM values read');
    assert.ok(values.filter((v) => v.dimension.endsWith('_1m')).every((v) => typeof body[v.field] === 'number'), '1M values read');
    // AWS calls: one GetServiceQuota per code, one GetAWSDefaultServiceQuota for the code without an applied value.
    // AWS's default beside each applied value (issue 16 §2) was read by the registration refresh and is kept for a
    // day, so this refresh does not read it again.
    assert.equal(diffCalls(after, before, 'GetServiceQuota').total, codes.length);
    assert.equal(diffCalls(after, before, 'GetServiceQuota').NoSuchResourceException, 1);
    assert.equal(diffCalls(after, before, 'GetAWSDefaultServiceQuota').total, 1);
    for (const v of values) {
      const d = dimOf(body, v);
      assert.equal(typeof d.aws_default, 'number', `${v.model_id}.${v.dimension}: AWS's default read`);
      if (d.source === 'aws_default') assert.equal(d.aws_default, d.value, 'the default is the value itself');
    }

    // The cached read afterwards is the refresh's view without the report.
    const g = await quota(id);
    assertStatus(g, 200);
    const { refresh: report, ...view } = body;
    assert.deepEqual(g.json, view);

    // Another region reads that region's values; the first region's cache is untouched.
    const west = await refresh(id, '?region=us-west-2');
    assertStatus(west, 200);
    assert.equal(west.json.region, 'us-west-2');
    const wantWest = await expected(id, 'us-west-2');
    assert.equal(wantWest.get(codes[0]).value, 424242);
    for (const v of values) assert.strictEqual(west.json[v.field], wantWest.get(v.code).value, `us-west-2 ${v.field}`);
    assert.deepEqual((await quota(id, '?region=us-east-1')).json, view);
    assertError(await refresh(id, '?region=eu-west-1'), 422, 'validation_failed', { field: 'region' });
    assertError(await refresh('999999999999'), 404, 'not_found');
  });

  test('the refresh follows the quota config: only enabled models are read (the rest of this file reads one model)', async () => {
    const id = await account({ quota_profile: 'defaults' });
    const current = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    const sonnet = current.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1');
    assert.ok(sonnet.enabled && sonnet.has_1m_context);
    // A disabled model cannot be shown (issue 16 §3: 422 models[i].show_in_dashboard).
    const models = current.models.map((m) => {
      const enabled = m.model_id === sonnet.model_id;
      return { ...m, enabled, show_in_dashboard: m.show_in_dashboard && enabled };
    });
    assertStatus(await p.api('PUT', '/api/admin/quota-config', { token: adminToken, body: { version: current.version, models } }), 200);
    const config = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    values = configured(config);
    codes = [...new Set(values.map((v) => v.code))];
    assert.deepEqual(values.map((v) => v.dimension), ['tpm', 'rpm', 'tpm_1m', 'rpm_1m']);

    const before = await accountCalls(id);
    const r = await refresh(id);
    assertStatus(r, 200);
    const after = await accountCalls(id);
    assert.equal(diffCalls(after, before, 'GetServiceQuota').total, codes.length, 'one call per enabled code');
    assert.deepEqual(r.json.refresh.values.map((v) => v.quota_code), values.map((v) => v.code));
    assert.deepEqual(r.json.models.map((m) => m.model_id), [sonnet.model_id]);
    assert.ok(!Object.keys(r.json).some((k) => k.startsWith('claude_opus')), 'disabled models have no fields');
    const want = await expected(id);
    for (const v of values) assert.strictEqual(r.json[v.field], want.get(v.code).value);
  });

  test('a value AWS stops applying falls back to AWS\'s default (source aws_default)', async () => {
    const id = await account({ quota_profile: 'defaults' });
    const v = values.find((x) => x.dimension === 'tpm');
    await p.sim.setQuota(id, 'us-east-1', v.code, { value: 9876543 });
    let r = await refresh(id);
    assertStatus(r, 200);
    assert.equal(r.json[v.field], 9876543);
    assert.equal(dimOf(r.json, v).source, 'applied');
    await p.sim.setQuota(id, 'us-east-1', v.code, { unapplied: true });
    const def = (await p.sim.quotas(id)).get(v.code).default_value;
    r = await refresh(id);
    assertStatus(r, 200);
    assert.equal(r.json[v.field], def);
    assert.equal(dimOf(r.json, v).source, 'aws_default');
    assert.equal(dimOf(r.json, v).state, 'ok');
    assert.equal(r.json.refresh.values.find((x) => x.quota_code === v.code).source, 'aws_default');
  });

  test('partial failure: the last good value is kept, stale with the reason (never 0); throttling beyond retries too', async () => {
    const id = await account();
    const good = (await quota(id)).json;
    const denied = values[0];
    const throttled = values.find((v) => v.code !== denied.code && v.dimension === 'rpm');
    const f1 = await p.sim.fault({ operation: 'GetServiceQuota', account_id: id, code: denied.code, error: 'access_denied' });
    const f2 = await p.sim.fault({ operation: 'GetServiceQuota', account_id: id, code: throttled.code, error: 'throttle' });
    const before = await accountCalls(id);
    const r = await refresh(id);
    const after = await accountCalls(id);
    await p.sim.removeFault(f1.id);
    await p.sim.removeFault(f2.id);
    assertStatus(r, 200);
    const failing = values.filter((v) => v.code === denied.code || v.code === throttled.code);
    assert.equal(r.json.refresh.failed, failing.length);
    assert.equal(r.json.refresh.ok, values.length - failing.length);
    assert.equal(r.json.refresh.cache_written, true);
    const outcome = (v) => r.json.refresh.values.find((x) => x.model_id === v.model_id && x.dimension === v.dimension);
    assert.deepEqual(outcome(denied), { model_id: denied.model_id, dimension: denied.dimension, quota_code: denied.code, ok: false,
      value: null, source: null, error: outcome(denied).error });
    assert.match(outcome(denied).error, /AccessDeniedException/);
    assert.equal(outcome(throttled).ok, false);
    assert.match(outcome(throttled).error, /ThrottlingException/);
    // AWS standard retry mode: 3 attempts for the throttled code, 1 for the denied one (not retryable).
    const calls = diffCalls(after, before, 'GetServiceQuota');
    assert.equal(calls.ThrottlingException, 3, JSON.stringify(calls));
    assert.equal(calls.AccessDeniedException, 1, JSON.stringify(calls));

    for (const v of failing) {
      const was = dimOf(good, v);
      const now = dimOf(r.json, v);
      assert.ok(typeof was.value === 'number' && was.value > 0, `a good value was read first: ${JSON.stringify(was)}`);
      assert.strictEqual(r.json[v.field], was.value, `${v.field} keeps the last good value`);
      assert.equal(now.value, was.value);
      assert.equal(now.state, 'stale');
      assert.equal(now.source, was.source);
      assert.equal(now.read_at, was.read_at, 'read_at is the last good read');
      assert.match(now.reason, v.code === denied.code ? /AccessDeniedException/ : /ThrottlingException/);
      assert.ok(now.attempted_at >= was.attempted_at);
    }
    assert.equal(r.json.models.find((m) => m.model_id === denied.model_id).status, 'stale');
    for (const v of values.filter((x) => !failing.includes(x))) assert.equal(dimOf(r.json, v).state, 'ok');
    // The cached read says the same.
    const g = (await quota(id)).json;
    for (const v of failing) assert.strictEqual(g[v.field], dimOf(good, v).value);

    // History: became_stale with the reason; a later good read → recovered.
    const h = await history(id);
    const staled = h.items.filter((e) => e.event === 'became_stale');
    assert.deepEqual(staled.map((e) => e.quota_code).sort(), [denied.code, throttled.code].sort());
    for (const e of staled) {
      assert.equal(e.value, dimOf(good, values.find((v) => v.code === e.quota_code)).value, 'the kept value');
      assert.ok(e.reason);
    }
    const again = await refresh(id);
    assertStatus(again, 200);
    assert.equal(again.json.refresh.failed, 0);
    for (const v of failing) assert.equal(dimOf(again.json, v).state, 'ok');
    const h2 = await history(id);
    assert.deepEqual(h2.items.filter((e) => e.event === 'recovered').map((e) => e.quota_code).sort(), [denied.code, throttled.code].sort());
    const audit = await p.audit(adminToken, `action=quota.refresh&target_id=${id}`);
    assert.deepEqual(audit.map((e) => e.outcome).slice(0, 2), ['success', 'partial'], 'newest first');
  });

  test('nothing readable (AccessDenied on every GetServiceQuota) → 502 aws_error; every value stale with its last good value', async () => {
    const id = await account();
    const before = (await quota(id)).json;
    const fault = await p.sim.fault({ operation: 'GetServiceQuota', account_id: id, error: 'access_denied' });
    let r;
    try {
      r = await refresh(id, '', adminToken);
    } finally {
      await p.sim.removeFault(fault.id);
    }
    assertError(r, 502, 'aws_error', { message: /AccessDeniedException/ });
    assert.match(r.json.error.message, /marked stale/);
    const after = (await quota(id)).json;
    // Issue 16 §1: never shown as healthy. The values keep their last good figures (never 0), marked stale.
    assert.equal(after.last_refresh.state, 'failed');
    assert.equal(after.last_refresh.read, 0);
    assert.equal(after.last_refresh.failed, codes.length);
    assert.match(after.last_refresh.reason, /^AccessDeniedException: /);
    assert.equal(after.last_refresh.reason_kind, 'access_denied');
    assert.equal(after.last_updated, before.last_updated, 'when the values shown were read');
    for (const v of values) {
      const was = dimOf(before, v);
      const now = dimOf(after, v);
      assert.equal(now.value, was.value, `${v.code}: the last good value`);
      assert.equal(now.read_at, was.read_at);
      assert.equal(now.state, was.value === null ? 'error' : 'stale', v.code);
      assert.match(now.reason, /^AccessDeniedException: /);
      assert.equal(now.reason_kind, 'access_denied');
      assert.equal(now.attempted_at, after.last_refresh.at);
      assert.equal(after[v.field], was.value, 'the flat field keeps the value');
    }
    const h = await history(id);
    assert.ok(h.items.some((e) => e.event === 'became_stale'), 'the failure is in the history');
    const audit = await p.audit(adminToken, `action=quota.refresh&target_id=${id}`);
    assert.equal(audit[0].outcome, 'failure');
    // A later successful refresh clears it.
    const again = await refresh(id);
    assertStatus(again, 200);
    const cleared = (await quota(id)).json;
    assert.equal(cleared.last_refresh.state, 'ok');
    assert.equal(cleared.last_refresh.reason, null);
    for (const v of values) assert.equal(dimOf(cleared, v).reason, null);
  });

  test('a throttling storm is absorbed by retries: 200, every value read', async () => {
    // Deterministic storm: every code's first call is throttled, two codes' second calls too. (A random 50 % storm
    // is not a fair test of 3 attempts: a code then fails with probability 1/8.)
    const id = await account({ quota_profile: 'defaults' });
    const faults = [];
    for (const [i, code] of codes.entries()) {
      faults.push(await p.sim.fault({ operation: 'GetServiceQuota', account_id: id, code, error: 'throttle', count: i < 2 ? 2 : 1 }));
    }
    const before = await accountCalls(id);
    const r = await refresh(id);
    const after = await accountCalls(id);
    for (const f of faults) await p.sim.removeFault(f.id);
    assertStatus(r, 200);
    assert.equal(r.json.refresh.failed, 0, JSON.stringify(r.json.refresh.values.filter((v) => !v.ok)));
    assert.equal(r.json.refresh.ok, values.length);
    const want = await expected(id);
    for (const v of values) assert.strictEqual(r.json[v.field], want.get(v.code).value);
    const calls = diffCalls(after, before, 'GetServiceQuota');
    assert.equal(calls.ThrottlingException, codes.length + 2, JSON.stringify(calls));
    assert.equal(calls.ok, codes.length, JSON.stringify(calls));
  });

  test('a value never read is null with state error, never 0 — in the API and in the SQLite file', async () => {
    const aws = await p.awsAccount();
    const never = values.find((v) => v.dimension === 'tpm');
    // Denied from the very first refresh on.
    const fault = await p.sim.fault({ operation: 'GetServiceQuota', account_id: aws.account_id, code: never.code, error: 'access_denied' });
    try {
      assertStatus(await p.api('POST', '/api/accounts', { token: adminToken,
        body: { account_name: 'Never read', credentials: aws.credentials } }), 201);
      await p.waitNotRefreshing(adminToken, aws.account_id);
      const r = await refresh(aws.account_id);
      assertStatus(r, 200);
      for (const q of [r.json, (await quota(aws.account_id)).json]) {
        assert.strictEqual(q[never.field], null, `${never.field} is null, not ${q[never.field]}`);
        const d = dimOf(q, never);
        assert.equal(d.value, null);
        assert.equal(d.state, 'error');
        assert.equal(d.source, null);
        assert.equal(d.read_at, null);
        assert.match(d.reason, /AccessDeniedException/);
      }
      const out = r.json.refresh.values.find((x) => x.quota_code === never.code);
      assert.equal(out.ok, false);
      assert.strictEqual(out.value, null);
    } finally {
      await p.sim.removeFault(fault.id);
    }
    const rows = await sqlite(p.dataDir,
      `SELECT typeof(value) FROM quota_values WHERE account_id = '${aws.account_id}' AND quota_code = '${never.code}';`);
    assert.equal(rows.trim(), 'null', 'quota_values.value is NULL');
    const zeros = await sqlite(p.dataDir, 'SELECT count(*) FROM quota_values WHERE value = 0;');
    assert.equal(zeros.trim(), '0', 'no 0 stored anywhere (the simulator has no zero quota in this file)');
    const failed = (await history(aws.account_id)).items.filter((e) => e.quota_code === never.code);
    assert.deepEqual(failed.map((e) => [e.event, e.value]), [['failed', null]], 'one "failed" entry, no value');
  });

  test('10 concurrent refresh requests make one set of AWS calls (single flight) and get the same report', async () => {
    const id = await account({ quota_profile: 'defaults' });
    // Slow answers keep the first refresh in flight while the others arrive.
    const slow = await p.sim.fault({ operation: 'GetServiceQuota', account_id: id, latency_ms: 300 });
    const before = await accountCalls(id);
    const auditBefore = (await p.audit(adminToken, `action=quota.refresh&target_id=${id}`)).length;
    let rs;
    try {
      rs = await Promise.all(Array.from({ length: 10 }, () => refresh(id)));
    } finally {
      await p.sim.removeFault(slow.id);
    }
    const after = await accountCalls(id);
    for (const r of rs) assertStatus(r, 200);
    const reports = rs.map((r) => JSON.stringify(r.json.refresh));
    assert.equal(new Set(reports).size, 1, 'one refresh, one report');
    assert.equal(rs[0].json.refresh.ok, values.length);
    const calls = diffCalls(after, before, 'GetServiceQuota');
    assert.equal(calls.total, codes.length, `GetServiceQuota calls == configured codes: ${JSON.stringify(calls)}`);
    // AWS's defaults beside the applied values were read at registration (kept for a day): none read again.
    assert.equal(diffCalls(after, before, 'GetAWSDefaultServiceQuota').total, 0);
    const audited = await p.audit(adminToken, `action=quota.refresh&target_id=${id}`);
    assert.equal(audited.length, auditBefore + 1, 'one audited refresh');
  });

  test('a value changed at AWS: history shows "changed" with previous and new value; the audit log has quota.changed', async () => {
    const id = await account({ quota_profile: 'defaults' });
    const v = values.find((x) => x.dimension === 'tpm_1m');
    const old = (await quota(id)).json[v.field];
    assert.equal(typeof old, 'number');
    const raised = old * 4;
    await p.sim.setQuota(id, 'us-east-1', v.code, { value: raised });
    const r = await refresh(id);
    assertStatus(r, 200);
    assert.equal(r.json[v.field], raised);

    const h = await history(id, `?model_id=${encodeURIComponent(v.model_id)}`);
    assert.equal(h.account_id, id);
    assert.equal(h.region, 'us-east-1');
    assert.equal(h.model_id, v.model_id);
    const changed = h.items.filter((e) => e.event === 'changed');
    assert.equal(changed.length, 1, JSON.stringify(h.items));
    assert.deepEqual(Object.keys(changed[0]).sort(), ['at', 'dimension', 'event', 'history_id', 'model_id', 'previous_value', 'quota_code',
      'reason', 'source', 'state', 'value'].sort());
    assert.match(changed[0].history_id, /^h_[0-9a-f]{13}/);
    assert.deepEqual({ ...changed[0], at: undefined, history_id: undefined }, { at: undefined, history_id: undefined, model_id: v.model_id, dimension: v.dimension, quota_code: v.code,
      event: 'changed', value: raised, previous_value: old, state: 'ok', source: 'applied', reason: null });
    // Every item of the filtered history belongs to the model; the first reads are there too.
    assert.ok(h.items.every((e) => e.model_id === v.model_id), JSON.stringify(h.items));
    assert.ok(h.items.some((e) => e.event === 'first_read' && e.quota_code === v.code && e.value === old));
    // The newest `limit`, oldest first; `next` pages backwards to older entries until it is null.
    const newest = await history(id, '?limit=1');
    assert.equal(newest.items.length, 1);
    const walked = [];
    for (let page = newest; ; ) {
      walked.unshift(...page.items);
      if (page.next === null) break;
      page = await history(id, `?limit=1&cursor=${encodeURIComponent(page.next)}`);
    }
    const whole = await history(id);
    assert.equal(whole.next, null);
    assert.deepEqual(walked.map((e) => e.history_id), whole.items.map((e) => e.history_id));
    assertError(await p.api('GET', `/api/accounts/${id}/quota/history?cursor=garbage`, { token: adminToken }),
      422, 'validation_failed', { field: 'cursor' });
    assertError(await p.api('GET', `/api/accounts/${id}/quota/history?model_id=no-such-model`, { token: adminToken }),
      422, 'validation_failed', { field: 'model_id' });
    assertError(await p.api('GET', `/api/accounts/${id}/quota/history?limit=0`, { token: adminToken }),
      422, 'validation_failed', { field: 'limit' });

    const audit = await p.audit(adminToken, `action=quota.changed&target_id=${id}`);
    assert.equal(audit.length, 1, JSON.stringify(audit));
    assert.equal(audit[0].actor_id, 'system');
    assert.equal(audit[0].outcome, 'success');
    const detail = JSON.parse(audit[0].detail);
    // target_name: the account's name when recorded (issue 16 §5).
    assert.deepEqual(detail, { target_name: detail.target_name, region: 'us-east-1', quota_code: v.code, previous: old, value: raised });
    assert.equal(typeof detail.target_name, 'string');
    // A refresh without changes adds no history entry and no audit entry.
    assertStatus(await refresh(id), 200);
    assert.equal((await history(id, `?model_id=${encodeURIComponent(v.model_id)}`)).items.length, h.items.length);
    assert.equal((await p.audit(adminToken, `action=quota.changed&target_id=${id}`)).length, 1);
  });

  test('quota.changed audit entries carry the exact previous and new values (fractional too)', async () => {
    const id = await account({ quota_profile: 'defaults' });
    const v = values.find((x) => x.dimension === 'rpm');
    const old = (await quota(id)).json[v.field];
    await p.sim.setQuota(id, 'us-east-1', v.code, { value: 2.5 });
    const r = await refresh(id);
    assertStatus(r, 200);
    assert.strictEqual(r.json[v.field], 2.5, 'the API has the exact value');
    const changed = (await history(id)).items.find((e) => e.event === 'changed' && e.quota_code === v.code);
    assert.strictEqual(changed.value, 2.5, 'so has the history');
    const audit = await p.audit(adminToken, `action=quota.changed&target_id=${id}`);
    assert.equal(audit.length, 1);
    const { target_name: targetName, ...detail } = JSON.parse(audit[0].detail);
    assert.equal(typeof targetName, 'string');
    assert.deepEqual(detail, { region: 'us-east-1', quota_code: v.code, previous: old, value: 2.5 });
  });

  test('who may refresh: admins, users of the account\'s teams (not of other teams); inactive accounts → 409', async () => {
    const id = await account({ quota_profile: 'defaults' }, { teams: ['team-a'] });
    const asA = await refresh(id, '', userA.token);
    assertStatus(asA, 200);
    assert.equal(asA.json.refresh.failed, 0);
    assertError(await refresh(id, '', userB.token), 403, 'forbidden');
    assertError(await refresh(id, '', null), 401, 'unauthenticated');
    const audit = await p.audit(adminToken, `action=quota.refresh&target_id=${id}&outcome=success`);
    assert.equal(audit[0].actor_id, userA.user.user_id, 'the refresh is audited under the user who asked');
    const denied = await p.audit(adminToken, `action=quota.refresh&target_id=${id}&outcome=denied`);
    assert.deepEqual(denied.map((e) => e.actor_id), [userB.user.user_id], 'and so is the refusal');

    assertStatus(await p.api('DELETE', `/api/accounts/${id}`, { token: adminToken }), 204);
    const before = await accountCalls(id);
    assertError(await refresh(id), 409, 'conflict');
    assert.deepEqual(await accountCalls(id), before, 'no AWS call for an inactive account');
  });

  test('SIGTERM just after a refresh was started: the server still stops cleanly (exit 0, promptly)', async () => {
    // One AWS worker (it also runs the blocking HTTP handlers). A's first refresh occupies it with slow reads, so
    // that B's first refresh (8 codes: 5 at once, 3 paced on the timer queue) is still queued on the pool when the
    // SIGTERM comes right after B's 201 — no HTTP request is then in flight for the server to wait for.
    const q = await Platform.start({ sim: p.sim, args: ['--aws-workers', '1'] });
    try {
      const token = await q.login(ADMIN.email, ADMIN.password);
      const a = await q.awsAccount({ quota_profile: 'defaults' });
      const b = await q.awsAccount({ quota_profile: 'defaults' });
      const slow = await p.sim.fault({ operation: 'GetServiceQuota', account_id: a.account_id, latency_ms: 250 });
      try {
        assertStatus(await q.api('POST', '/api/accounts', { token, body: { account_name: 'A', credentials: a.credentials } }), 201);
        assertStatus(await q.api('POST', '/api/accounts', { token, body: { account_name: 'B', credentials: b.credentials } }), 201);
        q.child.kill('SIGTERM');
        const exit = await Promise.race([q.exited, new Promise((r) => setTimeout(() => r(null), 6000).unref())]);
        assert.ok(exit, `no exit within 6 s of SIGTERM (log tail: ${q.stderrLines.slice(-2).join(' | ')})`);
        assert.deepEqual(exit, { code: 0, signal: null });
      } finally {
        await p.sim.removeFault(slow.id);
      }
    } finally {
      await q.kill();
    }
  });

  test('SIGTERM while a refresh request is in flight: the request completes (200) and the server exits 0', async () => {
    // What ECS does at a scale-in or a deployment: SIGTERM, then SIGKILL after stopTimeout (30 s). The request is
    // known to be in flight once the simulator has counted its first AWS read (counted on arrival, answered 1 s
    // later), so that the signal lands while the server is waiting on AWS for it.
    const q = await Platform.start({ sim: p.sim });
    try {
      const token = await q.login(ADMIN.email, ADMIN.password);
      const acct = await q.createAccount(token, { aws: { quota_profile: 'defaults' } });
      await q.waitNotRefreshing(token, acct.account_id);
      const reads = async () => callsOf(await p.sim.counters(), 'GetServiceQuota', acct.account_id).total;
      const before = await reads();
      const slow = await p.sim.fault({ operation: 'GetServiceQuota', account_id: acct.account_id, latency_ms: 1000 });
      try {
        const inFlight = q.api('POST', `/api/accounts/${acct.account_id}/quota/refresh`, { token });
        await waitFor(async () => (await reads()) > before, { timeoutMs: 10000, what: 'the refresh reaching AWS' });
        q.child.kill('SIGTERM');
        const r = await inFlight;
        assertStatus(r, 200);
        assert.ok(r.json.refresh.ok > 0, 'the refresh read values');
        const exit = await Promise.race([q.exited, new Promise((res) => setTimeout(() => res(null), 20000).unref())]);
        assert.ok(exit, 'no exit within 20 s of SIGTERM');
        assert.deepEqual(exit, { code: 0, signal: null });
        assert.ok(q.logs().some((e) => e.msg === 'http_shutdown'), 'the shutdown was logged');
        assert.ok(!q.logs().some((e) => e.msg === 'http_shutdown_grace_elapsed'), 'no connection was dropped');
      } finally {
        await p.sim.removeFault(slow.id);
      }
    } finally {
      await q.kill();
    }
  });

  test('with --users-may-refresh false only admins may refresh', async () => {
    const q = await Platform.start({ sim: p.sim, args: ['--users-may-refresh', 'false'] });
    try {
      const admin = await q.login(ADMIN.email, ADMIN.password);
      const user = await q.createUser(admin, { email: 'no-refresh@example.com', teams: ['team-a'] });
      const acct = await q.createAccount(admin, { teams: ['team-a'], aws: { quota_profile: 'defaults' } });
      await q.waitNotRefreshing(admin, acct.account_id);
      assertStatus(await q.api('GET', `/api/accounts/${acct.account_id}/quota`, { token: user.token }), 200);
      assertError(await q.api('POST', `/api/accounts/${acct.account_id}/quota/refresh`, { token: user.token }), 403, 'forbidden');
      assertStatus(await q.api('POST', `/api/accounts/${acct.account_id}/quota/refresh`, { token: admin }), 200);
    } finally {
      await q.stop();
    }
  });
});
