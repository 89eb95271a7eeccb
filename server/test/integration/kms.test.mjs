// Credentials sealed with KMS (`serve --secrets kms --kms-key-id K`) against the simulator's KMS: accounts are
// sealed with a data key bound to their account id, read back after a restart through KMS Decrypt (a quota
// refresh, an export); `secrets rewrap` moves a store made in local mode to KMS and back; a key that cannot be used
// stops the start with a clear line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ADMIN, HASH_ARGS, Platform, assertStatus, makeTempDir, runBinary, sqlite } from './lib/platform.mjs';
import { AwsSim } from './lib/aws-sim.mjs';
import { newMasterKey } from './lib/instances.mjs';
import { startWebhookReceiver } from './lib/alerts.mjs';
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REGION = 'us-east-1';
const ENVELOPE_HEX = '41504B01'; // "APK" 0x01: the KMS envelope's marker (service/secret_sealer.h)

async function newKey(sim, body = {}) {
  return sim.control('POST', '/_sim/kms/keys', body);
}

async function sealedHex(dataDir, accountId) {
  return (await sqlite(dataDir, `SELECT hex(sealed_credentials) FROM accounts WHERE account_id = '${accountId}';`)).trim();
}

async function exportSecret(p, token, accountId) {
  const r = await p.api('GET', `/api/accounts/${accountId}/credentials`, { token });
  assertStatus(r, 200);
  return r.json.secret_access_key;
}

describe('credentials sealed with KMS', () => {
  let sim;
  before(async () => {
    sim = await AwsSim.start({ rateLimits: false });
  });
  after(async () => {
    if (sim) await sim.stop();
  });

  test('serve --secrets kms seals with a data key per account and opens through Decrypt after a restart', async () => {
    const key = await newKey(sim, { alias: 'alias/ap-it-serve' });
    const kmsArgs = ['--secrets', 'kms', '--kms-key-id', 'alias/ap-it-serve'];
    let p = await Platform.start({ sim, args: kmsArgs, env: { AWS_REGION: REGION } });
    try {
      const startup = (await sim.control('GET', '/_sim/kms/stats')).recent;
      assert.deepEqual(startup.slice(0, 2).map((r) => [r.operation, r.encryption_context.account_id]),
        [['GenerateDataKey', 'startup-check'], ['Decrypt', 'startup-check']]);
      assert.ok(!existsSync(join(p.dataDir, 'master.key')), 'kms mode makes no master key');

      const token = await p.login(ADMIN.email, ADMIN.password);
      const acct = await p.awsAccount();
      await p.createAccount(token, { credentials: acct.credentials, account_id: acct.account_id });
      await p.waitNotRefreshing(token, acct.account_id);
      assert.ok((await sealedHex(p.dataDir, acct.account_id)).startsWith(ENVELOPE_HEX));
      const generated = (await sim.control('GET', '/_sim/kms/stats')).recent
        .filter((r) => r.operation === 'GenerateDataKey' && r.encryption_context.account_id === acct.account_id);
      assert.equal(generated.length, 1);
      assert.equal(generated[0].key_id, key.key_id);

      p = await p.restart({ args: kmsArgs, env: { AWS_REGION: REGION } });
      await sim.control('POST', '/_sim/kms/stats/reset');
      const token2 = await p.login(ADMIN.email, ADMIN.password);
      assertStatus(await p.api('POST', `/api/accounts/${acct.account_id}/quota/refresh`, { token: token2 }), 200);
      assert.equal(await exportSecret(p, token2, acct.account_id), acct.access_key.secret_access_key);
      const stats = await sim.control('GET', '/_sim/kms/stats');
      const decrypts = stats.recent.filter((r) => r.operation === 'Decrypt');
      assert.equal(decrypts.length, 1, 'the decrypted data key is cached: one Decrypt for the refresh and the export');
      assert.deepEqual(decrypts[0].encryption_context, { account_id: acct.account_id });
      assert.equal(stats.by_operation.Decrypt.outcomes.ok, 1);

      // KMS failing: a new account cannot be sealed → 503, and nothing is stored.
      await sim.control('POST', '/_sim/faults', { service: 'kms', operation: 'GenerateDataKey', error: '5xx', status: 500, count: 10 });
      const other = await p.awsAccount();
      const refused = await p.api('POST', '/api/accounts', { token: token2, body: {
        account_id: other.account_id, account_name: 'Not stored', regions: [REGION], teams: [], credentials: other.credentials } });
      assert.equal(refused.status, 503, refused.text);
      assert.doesNotMatch(refused.text, new RegExp(other.access_key.secret_access_key.replace(/[+/]/g, '.')));
      assert.equal((await p.api('GET', `/api/accounts/${other.account_id}`, { token: token2 })).status, 404);
      await sim.control('DELETE', '/_sim/faults');
    } finally {
      await p.stop({ keepSim: true });
    }
  });

  test('secrets rewrap moves a local store to KMS and back; each side serves the same credentials', async (t) => {
    const masterKey = newMasterKey();
    const key = await newKey(sim);
    const local = await Platform.start({ sim, env: { AP_MASTER_KEY: masterKey } });
    const dataDir = local.dataDir;
    const secrets = {};
    // An alert channel's URL and signing secret are sealed like credentials and move with them.
    const HOOK_SECRET = 'kms-rewrap-hook-secret-0123456789';
    const receiver = await startWebhookReceiver({ secret: HOOK_SECRET });
    t.after(() => receiver.stop());
    let channelId;
    try {
      const token = await local.login(ADMIN.email, ADMIN.password);
      const ch = await local.api('POST', '/api/admin/alert-channels',
        { token, body: { kind: 'webhook', name: 'rewrap hook', url: `${receiver.url}/rewrap`, secret: HOOK_SECRET } });
      assertStatus(ch, 201);
      channelId = ch.json.id;
      for (let i = 0; i < 2; i++) {
        const acct = await local.awsAccount();
        await local.createAccount(token, { credentials: acct.credentials, account_id: acct.account_id });
        secrets[acct.account_id] = acct.access_key.secret_access_key;
      }
      const deleted = Object.keys(secrets)[1];
      assertStatus(await local.api('DELETE', `/api/accounts/${deleted}`, { token }), 204); // inactive ones too
      await local.waitNoRefresh(token);
    } finally {
      await local.stop({ keepDataDir: true, keepSim: true });
    }
    try {
      const rewrap = (to, env) => runBinary(['secrets', 'rewrap', '--to', to, '--data-dir', dataDir, ...HASH_ARGS,
        '--kms-key-id', key.key_id], { env: { ...sim.serverEnv(), AWS_REGION: REGION, ...env }, timeoutMs: 60000 });

      const toKms = await rewrap('kms', { AP_MASTER_KEY: masterKey });
      assert.equal(toKms.code, 0, `${toKms.stdout}\n${toKms.stderr}`);
      assert.match(toKms.stdout, /^rewrapped 2, already 0, failed 0$/m);
      assert.match(toKms.stdout, /^alert channels: rewrapped 1, already 0, failed 0$/m);
      for (const id of Object.keys(secrets)) assert.ok((await sealedHex(dataDir, id)).startsWith(ENVELOPE_HEX), id);
      const again = await rewrap('kms', { AP_MASTER_KEY: masterKey });
      assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
      assert.match(again.stdout, /^rewrapped 0, already 2, failed 0$/m);
      assert.match(again.stdout, /^alert channels: rewrapped 0, already 1, failed 0$/m);

      // KMS only: no master key at all.
      let p = await Platform.start({ sim, dataDir, admin: null, args: ['--secrets', 'kms', '--kms-key-id', key.arn],
        env: { AWS_REGION: REGION } });
      try {
        const token = await p.login(ADMIN.email, ADMIN.password);
        for (const [id, secret] of Object.entries(secrets)) assert.equal(await exportSecret(p, token, id), secret);
        // The channel opens under KMS alone: the test delivery reaches the receiver, signed with the same secret.
        const sent = await p.api('POST', `/api/admin/alert-channels/${channelId}/test`, { token });
        assertStatus(sent, 200);
        assert.equal(sent.json.delivered, true, sent.text);
        const got = (await receiver.deliveries()).filter((d) => d.path === '/rewrap');
        assert.equal(got.length, 1);
        assert.equal(got[0].signature_valid, true);
        const rewraps = (await p.audit(token, 'page_size=200')).filter((e) => e.action === 'secrets.rewrap');
        assert.equal(rewraps.length, 2, JSON.stringify(rewraps));
        assert.match(JSON.stringify(rewraps[0]), /\\"to\\":\\"kms\\"/);
      } finally {
        await p.stop({ keepDataDir: true, keepSim: true });
      }

      const toLocal = await rewrap('local', { AP_MASTER_KEY: masterKey });
      assert.equal(toLocal.code, 0, `${toLocal.stdout}\n${toLocal.stderr}`);
      assert.match(toLocal.stdout, /^rewrapped 2, already 0, failed 0$/m);
      assert.match(toLocal.stdout, /^alert channels: rewrapped 1, already 0, failed 0$/m);
      for (const id of Object.keys(secrets)) assert.ok(!(await sealedHex(dataDir, id)).startsWith(ENVELOPE_HEX), id);
      p = await Platform.start({ sim, dataDir, admin: null, env: { AP_MASTER_KEY: masterKey } });
      try {
        const token = await p.login(ADMIN.email, ADMIN.password);
        for (const [id, secret] of Object.entries(secrets)) assert.equal(await exportSecret(p, token, id), secret);
      } finally {
        await p.stop({ keepDataDir: true, keepSim: true });
      }

      // Without the master key, local blobs cannot be moved to KMS: each is named, the exit code says so.
      await rm(join(dataDir, 'master.key'), { force: true });
      const blind = await rewrap('kms', {});
      assert.notEqual(blind.code, 0);
      assert.match(blind.stdout, /^rewrapped 0, already 0, failed 2$/m);
      assert.match(blind.stdout, /failed \d{12}: credentials cannot be decrypted/);
      assert.match(blind.stdout, /^alert channels: rewrapped 0, already 0, failed 1$/m);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a key that cannot be used stops the start with one line naming the key and the AWS error', async () => {
    const dir = await makeTempDir();
    try {
      const key = await newKey(sim);
      await sim.control('POST', `/_sim/kms/keys/${key.key_id}/disable`);
      const serve = (args) => runBinary(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, ...HASH_ARGS, ...args],
        { env: { ...sim.serverEnv(), AWS_REGION: REGION } });
      const disabled = await serve(['--secrets', 'kms', '--kms-key-id', key.key_id]);
      assert.notEqual(disabled.code, 0);
      assert.match(disabled.stderr, new RegExp(`KMS key ${key.key_id} cannot seal credentials: DisabledException`));
      const plain = disabled.stderr.trim().split('\n').filter((l) => !l.startsWith('{')); // JSON lines are logs
      assert.equal(plain.length, 1, disabled.stderr);

      const unknown = await serve(['--secrets', 'kms', '--kms-key-id', 'alias/none']);
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.stderr, /KMS key alias\/none cannot seal credentials: NotFoundException/);

      const missing = await serve(['--secrets', 'kms']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /--kms-key-id: is required with --secrets kms/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
