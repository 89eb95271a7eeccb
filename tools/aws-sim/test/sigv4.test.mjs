// SigV4 verification: AWS's published test vectors, and signed requests over HTTP that must be
// accepted or rejected exactly as AWS answers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { verifyRequest, AuthError } from '../sigv4-verify.mjs';
import { SIM_DIR, UUID_RE, startSim, createAccount, sqCall, stsCall, signedRequest, xmlValue, control, rawRequest } from './helpers.mjs';

const VECTORS = path.join(SIM_DIR, 'test', 'vectors');

function loadVector(name) {
  const dir = path.join(VECTORS, name);
  const ctx = JSON.parse(fs.readFileSync(path.join(dir, 'context.json'), 'utf8'));
  const raw = fs.readFileSync(path.join(dir, 'header-signed-request.txt'), 'utf8');
  const sep = raw.indexOf('\n\n');
  const head = sep < 0 ? raw : raw.slice(0, sep);
  const body = sep < 0 ? Buffer.alloc(0) : Buffer.from(raw.slice(sep + 2));
  const lines = head.split('\n');
  const first = lines[0];
  const method = first.slice(0, first.indexOf(' '));
  const target = first.slice(first.indexOf(' ') + 1, first.lastIndexOf(' HTTP/'));
  const headers = {};
  let last = null;
  for (const line of lines.slice(1)) {
    if (/^\s/.test(line) && last) {
      headers[last][headers[last].length - 1] += line;
      continue;
    }
    const i = line.indexOf(':');
    last = line.slice(0, i).toLowerCase();
    (headers[last] ??= []).push(line.slice(i + 1));
  }
  // Request lines of the suite hold unencoded paths; on the wire they would be percent-encoded.
  const q = target.indexOf('?');
  const rawPath = encodeURI(q < 0 ? target : target.slice(0, q));
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const lookup = (id) =>
    id === ctx.credentials.access_key_id
      ? { secretAccessKey: ctx.credentials.secret_access_key, sessionToken: ctx.credentials.token }
      : null;
  return { ctx, request: { method, path: rawPath, rawQuery, headers, body }, lookup, now: Date.parse(ctx.timestamp) };
}

describe('AWS SigV4 test vectors', () => {
  const names = fs.readdirSync(VECTORS).filter((n) => fs.statSync(path.join(VECTORS, n)).isDirectory());

  test('the suite is present', () => assert.ok(names.length >= 30, `found ${names.length} vectors`));

  for (const name of names) {
    test(`${name} verifies`, async () => {
      const v = loadVector(name);
      const result = await verifyRequest(v.request, v.lookup, { now: v.now });
      assert.equal(result.accessKeyId, v.ctx.credentials.access_key_id);
      assert.equal(result.region, v.ctx.region);
      assert.equal(result.service, v.ctx.service);
    });
  }

  test('a vector fails with a wrong secret, a changed body, or outside the 5 minute window', async () => {
    const v = loadVector('post-x-www-form-urlencoded');
    await assert.rejects(
      verifyRequest(v.request, () => ({ secretAccessKey: 'wrong' }), { now: v.now }),
      (e) => e instanceof AuthError && e.kind === 'signature',
    );
    // The vector signs x-amz-content-sha256; its claimed hash must not be trusted.
    await assert.rejects(
      verifyRequest({ ...v.request, body: Buffer.from('Param1=value2') }, v.lookup, { now: v.now }),
      (e) => e instanceof AuthError && e.kind === 'signature',
    );
    await assert.rejects(
      verifyRequest(v.request, v.lookup, { now: v.now + 5 * 60 * 1000 + 1000 }),
      (e) => e instanceof AuthError && e.kind === 'skew',
    );
    await verifyRequest(v.request, v.lookup, { now: v.now + 4 * 60 * 1000 });
    await assert.rejects(verifyRequest(v.request, () => null, { now: v.now }), (e) => e.kind === 'unknown_key');
  });
});

describe('signature verification over HTTP', () => {
  let s;
  let acct;
  before(async () => {
    s = await startSim({ rateLimits: false });
    acct = await createAccount(s.url, { quota_profile: 'defaults' });
  });
  after(() => s.close());

  const quotaInput = { ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' };

  test('a correctly signed Service Quotas request is accepted', async () => {
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers['x-amzn-requestid'], UUID_RE);
    assert.equal(r.json().Quota.QuotaCode, 'L-FF8E7864');
    assert.match(r.text, /"Value":2000\.0/);
  });

  test('a correctly signed request that signs x-amz-content-sha256 is accepted', async () => {
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, { signContentSha: true });
    assert.equal(r.status, 200, r.text);
  });

  test('a tampered body with a correct-looking x-amz-content-sha256 is rejected', async () => {
    const signedBody = JSON.stringify(quotaInput);
    const tampered = JSON.stringify({ ServiceCode: 'bedrock', QuotaCode: 'L-01F3CD81' });
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, {
      signContentSha: true,
      sendBody: tampered,
      mutate: (h) => {
        // The attacker even presents the hash of the new body: still not signed by the secret holder.
        h['x-amz-content-sha256'] = createHash('sha256').update(tampered).digest('hex');
      },
    });
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'InvalidSignatureException');
    assert.match(r.json().message, /signature we calculated does not match/);
    assert.match(r.headers['x-amzn-requestid'], UUID_RE);
    // ... and keeping the original (signed) hash header while changing the body fails as well.
    const r2 = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, {
      signContentSha: true,
      sendBody: tampered,
    });
    assert.equal(r2.status, 400);
    assert.equal(r2.json().__type, 'InvalidSignatureException');
    assert.notEqual(signedBody, tampered);
  });

  test('a tampered body without x-amz-content-sha256 is rejected', async () => {
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, {
      sendBody: JSON.stringify({ ServiceCode: 'bedrock', QuotaCode: 'L-01F3CD81' }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'InvalidSignatureException');
  });

  test('a changed signed header is rejected', async () => {
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, {
      mutate: (h) => {
        h['x-amz-target'] = 'ServiceQuotasV20190624.GetAWSDefaultServiceQuota';
      },
    });
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'InvalidSignatureException');
  });

  test('a wrong secret is rejected (JSON and STS XML)', async () => {
    const wrong = { ...acct.credentials, secretAccessKey: acct.credentials.secretAccessKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    const r = await sqCall(s.url, wrong, 'GetServiceQuota', quotaInput);
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'InvalidSignatureException');

    const x = await stsCall(s.url, wrong, 'GetCallerIdentity');
    assert.equal(x.status, 403);
    assert.match(x.text, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    assert.equal(xmlValue(x.text, 'Type'), 'Sender');
    assert.equal(xmlValue(x.text, 'Code'), 'SignatureDoesNotMatch');
    assert.match(xmlValue(x.text, 'RequestId'), UUID_RE);
    assert.equal(xmlValue(x.text, 'RequestId'), x.headers['x-amzn-requestid']);
  });

  test('an unknown access key is rejected', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) };
    const r = await sqCall(s.url, unknown, 'GetServiceQuota', quotaInput);
    assert.equal(r.status, 403);
    assert.equal(r.json().__type, 'UnrecognizedClientException');
    assert.equal(r.json().message, 'The security token included in the request is invalid.');

    const x = await stsCall(s.url, unknown, 'GetCallerIdentity');
    assert.equal(x.status, 403);
    assert.equal(xmlValue(x.text, 'Code'), 'InvalidClientTokenId');
  });

  test('clock skew over 5 minutes is rejected, under 5 minutes accepted', async () => {
    const old = new Date(Date.now() - 6 * 60 * 1000);
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, { signingDate: old });
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'InvalidSignatureException');
    assert.match(r.json().message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);

    const future = new Date(Date.now() + 6 * 60 * 1000);
    const x = await stsCall(s.url, acct.credentials, 'GetCallerIdentity', {}, { signingDate: future });
    assert.equal(x.status, 403);
    assert.equal(xmlValue(x.text, 'Code'), 'SignatureDoesNotMatch');
    assert.match(xmlValue(x.text, 'Message'), /Signature expired/);

    const near = new Date(Date.now() - 4 * 60 * 1000);
    const ok = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, { signingDate: near });
    assert.equal(ok.status, 200);
  });

  test('a request signed for another service is rejected', async () => {
    const r = await sqCall(s.url, acct.credentials, 'GetServiceQuota', quotaInput, { service: 'iam' });
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'InvalidSignatureException');
    assert.match(r.json().message, /scoped to correct service: 'servicequotas'/);
  });

  test('an unsigned request is rejected', async () => {
    const r = await rawRequest(s.url, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'ServiceQuotasV20190624.GetServiceQuota' },
      body: JSON.stringify(quotaInput),
    });
    assert.equal(r.status, 403);
    assert.equal(r.json().__type, 'MissingAuthenticationTokenException');
    assert.match(r.headers['x-amzn-requestid'], UUID_RE);
  });

  test('temporary credentials need their session token and expire', async () => {
    const role = `arn:aws:iam::${acct.account_id}:role/Reader`;
    await control(s.url, 'POST', `/_sim/accounts/${acct.account_id}/roles`, { role_arn: role });
    const x = await stsCall(s.url, acct.credentials, 'AssumeRole', { RoleArn: role, RoleSessionName: 'sig-test' });
    assert.equal(x.status, 200, x.text);
    const temp = {
      accessKeyId: xmlValue(x.text, 'AccessKeyId'),
      secretAccessKey: xmlValue(x.text, 'SecretAccessKey'),
      sessionToken: xmlValue(x.text, 'SessionToken'),
    };
    assert.match(temp.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
    const ok = await sqCall(s.url, temp, 'GetServiceQuota', quotaInput);
    assert.equal(ok.status, 200, ok.text);

    const noToken = await sqCall(s.url, { ...temp, sessionToken: undefined }, 'GetServiceQuota', quotaInput);
    assert.equal(noToken.status, 403);
    assert.equal(noToken.json().__type, 'UnrecognizedClientException');

    const badToken = await sqCall(s.url, { ...temp, sessionToken: temp.sessionToken.slice(0, -4) + 'AAAA' }, 'GetServiceQuota', quotaInput);
    assert.equal(badToken.json().__type, 'UnrecognizedClientException');

    await control(s.url, 'POST', '/_sim/sessions/expire', { access_key_id: temp.accessKeyId });
    const expired = await sqCall(s.url, temp, 'GetServiceQuota', quotaInput);
    assert.equal(expired.status, 400);
    assert.equal(expired.json().__type, 'ExpiredTokenException');
    const expiredSts = await stsCall(s.url, temp, 'GetCallerIdentity');
    assert.equal(xmlValue(expiredSts.text, 'Code'), 'ExpiredToken');
  });

  test('Account API signature errors use REST-JSON error headers', async () => {
    const wrong = { ...acct.credentials, secretAccessKey: 'y'.repeat(40) };
    const r = await signedRequest(s.url, {
      service: 'account',
      credentials: wrong,
      path: '/getContactInformation',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.match(r.json().message, /signature/);
  });
});
