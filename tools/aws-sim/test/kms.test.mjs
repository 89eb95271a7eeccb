// KMS: the official JavaScript client against the simulator (in process): data keys, Encrypt/Decrypt with
// encryption-context checks, key references (id, ARN, alias), disabled and unknown keys, per-region keys, the
// control API and the counters.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  KMSClient,
  GenerateDataKeyCommand,
  EncryptCommand,
  DecryptCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  InvalidCiphertextException,
  IncorrectKeyException,
  NotFoundException,
  DisabledException,
} from '@aws-sdk/client-kms';
import { startSim, control } from './helpers.mjs';
import { PLATFORM_ACCESS_KEY_ID, PLATFORM_SECRET_ACCESS_KEY } from '../services/dynamodb.mjs';

const platform = { accessKeyId: PLATFORM_ACCESS_KEY_ID, secretAccessKey: PLATFORM_SECRET_ACCESS_KEY };

describe('KMS', () => {
  let s;
  let kms;
  let key;
  const client = (region = 'us-east-1', credentials = platform) =>
    new KMSClient({ endpoint: s.url, region, credentials, maxAttempts: 1 });

  before(async () => {
    s = await startSim({ dynamodb: false, seedAccounts: 1 });
    kms = client();
  });
  after(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    key = (await control(s.url, 'POST', '/_sim/kms/keys', { alias: `alias/k-${Math.random().toString(36).slice(2)}` })).body;
    await control(s.url, 'POST', '/_sim/kms/stats/reset');
  });

  test('control API creates a key with an ARN and an alias', async () => {
    assert.match(key.key_id, /^[0-9a-f-]{36}$/);
    assert.equal(key.arn, `arn:aws:kms:us-east-1:000000000000:key/${key.key_id}`);
    assert.equal(key.enabled, true);
    assert.equal(key.aliases.length, 1);
    const listed = (await control(s.url, 'GET', '/_sim/kms/keys')).body.keys;
    assert.ok(listed.some((k) => k.key_id === key.key_id));
  });

  test('GenerateDataKey then Decrypt with the same context returns the data key', async () => {
    const context = { account_id: '123456789012' };
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256', EncryptionContext: context }));
    assert.equal(dk.Plaintext.length, 32);
    assert.equal(dk.KeyId, key.arn);
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: context, KeyId: key.arn }));
    assert.deepEqual(Buffer.from(out.Plaintext), Buffer.from(dk.Plaintext));
    assert.equal(out.KeyId, key.arn);
  });

  test('Decrypt with another context, or none, is InvalidCiphertextException', async () => {
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256', EncryptionContext: { account_id: 'A' } }));
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { account_id: 'B' } })), InvalidCiphertextException);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob })), InvalidCiphertextException);
    const tampered = Buffer.from(dk.CiphertextBlob);
    tampered[tampered.length - 1] ^= 1;
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: { account_id: 'A' } })), InvalidCiphertextException);
  });

  test('the context is canonical: member order does not matter', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from('secret'), EncryptionContext: { a: '1', b: '2' } }));
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { b: '2', a: '1' } }));
    assert.equal(Buffer.from(out.Plaintext).toString(), 'secret');
    assert.equal(out.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  });

  test('Decrypt naming another key is IncorrectKeyException; an unknown key is NotFoundException', async () => {
    const other = (await control(s.url, 'POST', '/_sim/kms/keys', {})).body;
    const enc = await kms.send(new EncryptCommand({ KeyId: key.key_id, Plaintext: Buffer.from('x') }));
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: other.key_id })), IncorrectKeyException);
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: 'no-such-key', KeySpec: 'AES_256' })), NotFoundException);
  });

  test('keys are referenced by id, key ARN, alias and alias ARN', async () => {
    const alias = key.aliases[0];
    for (const ref of [key.key_id, key.arn, alias, `arn:aws:kms:us-east-1:000000000000:${alias}`]) {
      const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: ref, KeySpec: 'AES_128' }));
      assert.equal(dk.Plaintext.length, 16, ref);
      assert.equal(dk.KeyId, key.arn, ref);
    }
  });

  test('a disabled key refuses GenerateDataKey and Decrypt with DisabledException', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: key.key_id, Plaintext: Buffer.from('x'), EncryptionContext: { account_id: 'A' } }));
    const disabled = (await control(s.url, 'POST', `/_sim/kms/keys/${key.key_id}/disable`)).body;
    assert.equal(disabled.enabled, false);
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256' })), DisabledException);
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { account_id: 'A' } })), DisabledException);
    await control(s.url, 'POST', `/_sim/kms/keys/${key.key_id}/enable`);
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { account_id: 'A' } }));
    assert.equal(Buffer.from(out.Plaintext).toString(), 'x');
  });

  test('keys are per region', async () => {
    await assert.rejects(client('eu-west-1').send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256' })), NotFoundException);
    const created = await client('eu-west-1').send(new CreateKeyCommand({ Description: 'eu key' }));
    assert.match(created.KeyMetadata.Arn, /^arn:aws:kms:eu-west-1:000000000000:key\//);
    const described = await client('eu-west-1').send(new DescribeKeyCommand({ KeyId: created.KeyMetadata.KeyId }));
    assert.equal(described.KeyMetadata.KeyState, 'Enabled');
    await client('eu-west-1').send(new DisableKeyCommand({ KeyId: created.KeyMetadata.KeyId }));
    const after = await client('eu-west-1').send(new DescribeKeyCommand({ KeyId: created.KeyMetadata.KeyId }));
    assert.equal(after.KeyMetadata.Enabled, false);
  });

  test('account credentials known to the simulator may call KMS too; a bad signature may not', async () => {
    const acct = (await control(s.url, 'GET', '/_sim/accounts/100000000001')).body;
    const creds = { accessKeyId: acct.access_keys[0].access_key_id, secretAccessKey: acct.access_keys[0].secret_access_key };
    await client('us-east-1', creds).send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256' }));
    await assert.rejects(
      client('us-east-1', { ...platform, secretAccessKey: 'wrong' }).send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256' })),
      (e) => e.name === 'InvalidSignatureException',
    );
  });

  test('stats count calls per operation, apart from the account API counters, with the contexts used', async () => {
    const before = (await control(s.url, 'GET', '/_sim/counters')).body.total;
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256', EncryptionContext: { account_id: '1' } }));
    await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { account_id: '1' } }));
    await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { account_id: '1' } }));
    const stats = (await control(s.url, 'GET', '/_sim/kms/stats')).body;
    assert.equal(stats.by_operation.GenerateDataKey.total, 1);
    assert.equal(stats.by_operation.Decrypt.total, 2);
    assert.deepEqual(stats.recent.map((r) => [r.operation, r.encryption_context.account_id]),
      [['GenerateDataKey', '1'], ['Decrypt', '1'], ['Decrypt', '1']]);
    assert.equal((await control(s.url, 'GET', '/_sim/counters')).body.total, before);
  });

  test('fault rules naming service kms apply to it', async () => {
    await control(s.url, 'POST', '/_sim/faults', { service: 'kms', operation: 'GenerateDataKey', error: 'throttle', count: 1 });
    await assert.rejects(kms.send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256' })), (e) => e.name === 'ThrottlingException');
    await kms.send(new GenerateDataKeyCommand({ KeyId: key.key_id, KeySpec: 'AES_256' }));
  });
});
