// The LiteLLM routing export (issue 14 §4): GET /api/exports/litellm and the admin-only, audited
// POST /api/admin/exports/litellm-with-secrets, against accounts seeded in the AWS simulator and refreshed.
// The YAML is parsed with a real YAML parser (`yaml`, YAML 1.2, and strict: duplicate keys and bad escapes fail), and
// every tpm / rpm is checked against the cached quota read (GET /api/accounts/{id}/quota).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parse, parseDocument } from 'yaml';
import { ADMIN, Platform, assertError, assertStatus } from './lib/platform.mjs';

const SONNET = 'claude-sonnet-4.5-v1';
const OPUS = 'claude-opus-4.5';
// A name a user could type that breaks naive YAML: quotes, a colon, a hash, flow and anchor indicators, non-ASCII.
const HOSTILE = 'Prod "EU" #1: - [x] & *y {z} Zürich';

// "claude-sonnet-4.5-v1" → "claude_sonnet_45_v1"
const prefixOf = (modelId) => modelId.replaceAll('.', '').replaceAll('-', '_');

function parseYaml(text) {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true });
  assert.deepEqual(doc.errors.map(String), [], 'the export is valid YAML');
  return doc.toJS();
}

describe('gateway routing export (LiteLLM)', () => {
  let p;
  let adminToken;
  let userA;
  let keyAccount; // access key, team-a, two regions, hostile name
  let roleAccount; // assume role, team-b
  let config;
  before(async () => {
    p = await Platform.start();
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userA = (await p.createUser(adminToken, { email: 'gx-a@example.com', teams: ['team-a'] })).token;
    keyAccount = await p.createAccount(adminToken, { account_name: HOSTILE, regions: ['us-east-1', 'us-west-2'], teams: ['team-a'] });
    const role = await p.awsAccount({ role: true });
    roleAccount = await p.createAccount(adminToken, { account_id: role.account_id, account_name: 'Role account', teams: ['team-b'],
      credentials: role.credentials });
    roleAccount.external_id = role.role.external_id;
    for (const id of [keyAccount.account_id, roleAccount.account_id]) {
      await p.waitNotRefreshing(adminToken, id);
      const r = await p.api('POST', `/api/accounts/${id}/quota/refresh`, { token: adminToken });
      assertStatus(r, 200);
    }
    config = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
  });
  after(async () => {
    if (p) await p.stop();
  });

  const exportYaml = (query, token = adminToken) => p.api('GET', `/api/exports/litellm?${query}`, { token });
  const quotaOf = async (id, region) => {
    const r = await p.api('GET', `/api/accounts/${id}/quota?region=${region}`, { token: adminToken });
    assertStatus(r, 200);
    return r.json;
  };

  test('every deployment\'s tpm / rpm is floor(cached quota × safety_factor), per account × region × model', async () => {
    const r = await exportYaml(`model_id=${SONNET},${OPUS}&safety_factor=0.8`);
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type'), /^application\/yaml/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="litellm-config.yaml"/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const doc = parseYaml(r.text);
    assert.ok(Array.isArray(doc.model_list));
    // LiteLLM reads its config with PyYAML (YAML 1.1): it must read the same document.
    const py = execFileSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
      { input: r.text, encoding: 'utf-8' });
    assert.deepEqual(JSON.parse(py), doc);
    const pairs = [[keyAccount.account_id, 'us-east-1'], [keyAccount.account_id, 'us-west-2'], [roleAccount.account_id, 'us-east-1']];
    let checked = 0;
    for (const [id, region] of pairs) {
      const q = await quotaOf(id, region);
      for (const modelId of [SONNET, OPUS]) {
        const m = config.models.find((x) => x.model_id === modelId);
        const groups = [['', '_tpm', '_rpm']];
        if (m.has_1m_context) groups.push(['-1m', '_1m_tpm', '_1m_rpm']);
        for (const [suffix, tpmField, rpmField] of groups) {
          const tpm = q[prefixOf(modelId) + tpmField];
          const rpm = q[prefixOf(modelId) + rpmField];
          const dep = doc.model_list.find((d) => d.model_info.id === `ap-${id}-${region}-${modelId}${suffix}`);
          if (tpm == null || rpm == null) {
            assert.equal(dep, undefined, `${id} ${region} ${modelId}${suffix}: a value never read leaves it out`);
            continue;
          }
          assert.ok(dep, `${id} ${region} ${modelId}${suffix} exported`);
          assert.equal(dep.model_name, modelId + suffix);
          assert.equal(dep.litellm_params.aws_region_name, region);
          assert.match(dep.litellm_params.model, /^bedrock\/global\.anthropic\.claude-/);
          assert.equal(dep.litellm_params.tpm, Math.floor(tpm * 0.8), `${id} ${region} ${modelId}${suffix} tpm`);
          assert.equal(dep.litellm_params.rpm, Math.floor(rpm * 0.8), `${id} ${region} ${modelId}${suffix} rpm`);
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 6, `checked ${checked} deployments`);
    for (const d of doc.model_list) {
      assert.ok(d.litellm_params.tpm > 0 && d.litellm_params.rpm > 0, 'never tpm: 0');
      assert.equal(new Set(doc.model_list.map((x) => x.model_info.id)).size, doc.model_list.length, 'ids are unique');
    }
    assert.match(r.text, /# end of export\n$/);
  });

  test('credentials are referenced: env names for key accounts, the role for assume-role accounts', async () => {
    const r = await exportYaml(`model_id=${OPUS}`);
    assertStatus(r, 200);
    const doc = parseYaml(r.text);
    const key = doc.model_list.find((d) => d.model_info.ap_account_id === keyAccount.account_id);
    assert.equal(key.litellm_params.aws_access_key_id, `os.environ/AP_${keyAccount.account_id}_ACCESS_KEY_ID`);
    assert.equal(key.litellm_params.aws_secret_access_key, `os.environ/AP_${keyAccount.account_id}_SECRET_ACCESS_KEY`);
    const role = doc.model_list.find((d) => d.model_info.ap_account_id === roleAccount.account_id);
    assert.equal(role.litellm_params.aws_role_name, roleAccount.credentials.role_arn);
    assert.equal(role.litellm_params.aws_session_name, `ap-${roleAccount.account_id}`);
    assert.equal(role.litellm_params.aws_external_id, undefined, 'external ids stay sealed');
    assert.ok(!r.text.includes(roleAccount.external_id));
    // The hostile account name is in a comment only, intact once unquoted.
    assert.ok(r.text.includes(HOSTILE.replaceAll('"', '\\"')), 'the account name is quoted in its comment');

    const env = await exportYaml(`model_id=${OPUS}&format=env`);
    assertStatus(env, 200);
    assert.match(env.headers.get('content-type'), /^text\/plain/);
    const names = env.text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(names, [`AP_${keyAccount.account_id}_ACCESS_KEY_ID=`, `AP_${keyAccount.account_id}_SECRET_ACCESS_KEY=`]);
  });

  test('safety_factor 1 with use_headroom and no usage data is the quota itself; names can be overridden', async () => {
    const r = await exportYaml(`model_id=${OPUS}&safety_factor=1&use_headroom=true&model_name.${OPUS}=${encodeURIComponent('opus "prod": x')}`);
    assertStatus(r, 200);
    const doc = parseYaml(r.text);
    const q = await quotaOf(keyAccount.account_id, 'us-east-1');
    const dep = doc.model_list.find((d) => d.model_info.id === `ap-${keyAccount.account_id}-us-east-1-${OPUS}`);
    assert.equal(dep.model_name, 'opus "prod": x');
    assert.equal(dep.litellm_params.tpm, q[prefixOf(OPUS) + '_tpm']);
  });

  test('users export their teams\' accounts only; bad input names the field', async () => {
    const r = await exportYaml(`model_id=${OPUS}`, userA);
    assertStatus(r, 200);
    const ids = new Set(parseYaml(r.text).model_list.map((d) => d.model_info.ap_account_id));
    assert.deepEqual([...ids], [keyAccount.account_id]);
    assertError(await exportYaml(`model_id=${OPUS}&team=team-b`, userA), 403, 'forbidden');
    assertError(await exportYaml('model_id=', adminToken), 422, 'validation_failed', 'model_id');
    assertError(await exportYaml('model_id=claude-nope'), 422, 'validation_failed', 'model_id');
    assertError(await exportYaml(`model_id=${OPUS}&safety_factor=0`), 422, 'validation_failed', 'safety_factor');
    assertError(await exportYaml(`model_id=${OPUS}&safety_factor=1.5`), 422, 'validation_failed', 'safety_factor');
    assertError(await exportYaml(`model_id=${OPUS}&safety_factor=abc`), 422, 'validation_failed', 'safety_factor');
    assertError(await exportYaml(`model_id=${OPUS}&format=xml`), 422, 'validation_failed', 'format');
    assertError(await exportYaml(`model_id=${OPUS}&region=mars-1`), 422, 'validation_failed', 'region');
  });

  test('the secrets export: 403 for users, audited, keys and external ids embedded', async () => {
    const body = { model_ids: [OPUS], format: 'yaml' };
    const denied = await p.api('POST', '/api/admin/exports/litellm-with-secrets', { token: userA, body });
    assertError(denied, 403, 'forbidden');
    const r = await p.api('POST', '/api/admin/exports/litellm-with-secrets', { token: adminToken, body });
    assertStatus(r, 200);
    assert.match(r.text, /^# WARNING: this file contains AWS credentials/);
    const doc = parse(r.text);
    const key = doc.model_list.find((d) => d.model_info.ap_account_id === keyAccount.account_id);
    assert.match(key.litellm_params.aws_access_key_id, /^AKIA/);
    assert.ok(!key.litellm_params.aws_secret_access_key.startsWith('os.environ/'));
    const role = doc.model_list.find((d) => d.model_info.ap_account_id === roleAccount.account_id);
    assert.equal(role.litellm_params.aws_external_id, roleAccount.external_id);
    const entries = await p.audit(adminToken, 'action=export.litellm_secrets');
    assert.ok(entries.some((e) => e.outcome === 'success' && e.actor_email === ADMIN.email), JSON.stringify(entries));
    assert.ok(entries.some((e) => e.outcome === 'denied'), 'the users\' attempt is audited as denied');
    const env = await p.api('POST', '/api/admin/exports/litellm-with-secrets', { token: adminToken, body: { ...body, format: 'env' } });
    assertStatus(env, 200);
    assert.match(env.text, new RegExp(`AP_${keyAccount.account_id}_SECRET_ACCESS_KEY=\\S+`));
    assertError(await p.api('POST', '/api/admin/exports/litellm-with-secrets', { token: adminToken, body: { model_ids: [OPUS], safety_factor: 2 } }),
      422, 'validation_failed', 'safety_factor');
  });
});
