// Service Quotas behaviour: pagination across every Bedrock quota, applied vs default values,
// unapplied quotas, validation and error shapes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SIM_DIR, startSim, createAccount, sqCall, control } from './helpers.mjs';

const CATALOGUE = JSON.parse(fs.readFileSync(path.join(SIM_DIR, 'data', 'bedrock-quotas.json'), 'utf8'));
const ALL_CODES = CATALOGUE.quotas.map((q) => q.code);

async function listAll(url, credentials, operation, input = {}, extra = {}) {
  const codes = [];
  const quotas = [];
  let token;
  let pages = 0;
  do {
    const r = await sqCall(url, credentials, operation, { ServiceCode: 'bedrock', ...input, ...(token ? { NextToken: token } : {}) }, extra);
    assert.equal(r.status, 200, r.text);
    const body = r.json();
    pages++;
    for (const q of body.Quotas) {
      codes.push(q.QuotaCode);
      quotas.push(q);
    }
    token = body.NextToken;
    assert.ok(pages < 1000, 'pagination does not end');
  } while (token);
  return { codes, quotas, pages };
}

describe('Service Quotas', () => {
  let s;
  let plain; // every applied value = default
  let varied; // deterministic variation + unapplied codes
  before(async () => {
    s = await startSim({ rateLimits: false });
    plain = await createAccount(s.url, { quota_profile: 'defaults' });
    varied = await createAccount(s.url, { account_id: '123456789012' });
  });
  after(() => s.close());

  test('ListAWSDefaultServiceQuotas pages through every bedrock quota (default page size 100)', async () => {
    const { codes, pages, quotas } = await listAll(s.url, plain.credentials, 'ListAWSDefaultServiceQuotas');
    assert.equal(codes.length, ALL_CODES.length);
    assert.deepEqual([...codes].sort(), [...ALL_CODES].sort());
    assert.equal(new Set(codes).size, codes.length, 'no duplicates');
    assert.equal(pages, Math.ceil(ALL_CODES.length / 100));
    for (const q of quotas) {
      assert.equal(q.ServiceCode, 'bedrock');
      assert.equal(q.ServiceName, 'Amazon Bedrock');
      assert.equal(q.QuotaArn, `arn:aws:servicequotas:us-east-1::bedrock/${q.QuotaCode}`);
      assert.equal(typeof q.Value, 'number');
      assert.equal(typeof q.Adjustable, 'boolean');
      assert.equal(q.GlobalQuota, false);
      assert.equal(q.Unit, 'None');
    }
  });

  test('ListServiceQuotas with small pages returns every applied quota exactly once', async () => {
    const { codes, pages, quotas } = await listAll(s.url, plain.credentials, 'ListServiceQuotas', { MaxResults: 37 });
    assert.deepEqual(codes, ALL_CODES);
    assert.equal(pages, Math.ceil(ALL_CODES.length / 37));
    for (const q of quotas) {
      assert.equal(q.QuotaArn, `arn:aws:servicequotas:us-east-1:${plain.account_id}:bedrock/${q.QuotaCode}`);
      assert.equal(q.QuotaAppliedAtLevel, 'ACCOUNT');
    }
  });

  test('the varied profile differs from defaults for some quotas and leaves some unapplied', async () => {
    const view = (await control(s.url, 'GET', `/_sim/accounts/${varied.account_id}/quotas/us-east-1`)).body.quotas;
    const unapplied = view.filter((q) => q.unapplied).map((q) => q.code);
    const changed = view.filter((q) => !q.unapplied && q.applied_value !== q.default_value);
    assert.ok(unapplied.length > 0, 'some quotas have no applied value');
    assert.ok(changed.length > 0, 'some applied values differ from the default');
    assert.ok(changed.every((q) => q.adjustable), 'only adjustable quotas are changed');

    const { codes, quotas } = await listAll(s.url, varied.credentials, 'ListServiceQuotas');
    assert.deepEqual(codes, ALL_CODES.filter((c) => !unapplied.includes(c)));
    const byCode = new Map(quotas.map((q) => [q.QuotaCode, q]));
    for (const q of changed) assert.equal(byCode.get(q.code).Value, q.applied_value);

    const r = await sqCall(s.url, varied.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: unapplied[0] });
    assert.equal(r.status, 400);
    assert.equal(r.json().__type, 'NoSuchResourceException');
    assert.equal(typeof r.json().Message, 'string');
    // The AWS default still answers.
    const d = await sqCall(s.url, varied.credentials, 'GetAWSDefaultServiceQuota', { ServiceCode: 'bedrock', QuotaCode: unapplied[0] });
    assert.equal(d.status, 200);

    // Deterministic per account id: a second simulator gives the same view.
    const s2 = await startSim({ rateLimits: false });
    try {
      await createAccount(s2.url, { account_id: '123456789012' });
      const view2 = (await control(s2.url, 'GET', '/_sim/accounts/123456789012/quotas/us-east-1')).body.quotas;
      assert.deepEqual(view2, view);
    } finally {
      await s2.close();
    }
  });

  test('quota values and unapplied state are configurable per account, region and code', async () => {
    const code = 'L-FF8E7864';
    let r = await control(s.url, 'PUT', `/_sim/accounts/${plain.account_id}/quotas/eu-west-1/${code}`, { value: 1234.5 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const eu = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: code }, { region: 'eu-west-1' });
    assert.equal(eu.json().Quota.Value, 1234.5);
    assert.equal(eu.json().Quota.QuotaArn, `arn:aws:servicequotas:eu-west-1:${plain.account_id}:bedrock/${code}`);
    const us = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: code });
    assert.equal(us.json().Quota.Value, 2000);

    r = await control(s.url, 'PUT', `/_sim/accounts/${plain.account_id}/quotas/us-east-1/${code}`, { unapplied: true });
    assert.equal(r.status, 200);
    const gone = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: code });
    assert.equal(gone.json().__type, 'NoSuchResourceException');
    const { codes } = await listAll(s.url, plain.credentials, 'ListServiceQuotas');
    assert.ok(!codes.includes(code));

    r = await control(s.url, 'DELETE', `/_sim/accounts/${plain.account_id}/quotas/us-east-1/${code}`);
    assert.equal(r.status, 200);
    const back = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: code });
    assert.equal(back.json().Quota.Value, 2000);

    const bad = await control(s.url, 'PUT', `/_sim/accounts/${plain.account_id}/quotas/us-east-1/L-NOTACODE`, { value: 1 });
    assert.equal(bad.status, 404);
  });

  test('defaults are per region where the catalogue says so', async () => {
    const q = CATALOGUE.quotas.find((x) => x.default_value_by_region && x.default_value_by_region['us-west-2'] !== undefined);
    const west = await sqCall(s.url, plain.credentials, 'GetAWSDefaultServiceQuota', { ServiceCode: 'bedrock', QuotaCode: q.code }, { region: 'us-west-2' });
    assert.equal(west.json().Quota.Value, q.default_value_by_region['us-west-2']);
    const other = await sqCall(s.url, plain.credentials, 'GetAWSDefaultServiceQuota', { ServiceCode: 'bedrock', QuotaCode: q.code }, { region: 'sa-east-1' });
    assert.equal(other.json().Quota.Value, q.default_value);
    assert.equal(other.json().Quota.QuotaArn, `arn:aws:servicequotas:sa-east-1::bedrock/${q.code}`);
  });

  test('unknown codes and services answer NoSuchResourceException', async () => {
    const r = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: 'L-00000000' });
    assert.equal(r.status, 400);
    assert.deepEqual(Object.keys(r.json()), ['__type', 'Message']);
    assert.equal(r.json().__type, 'NoSuchResourceException');
    const svc = await sqCall(s.url, plain.credentials, 'ListServiceQuotas', { ServiceCode: 'ec2' });
    assert.equal(svc.json().__type, 'NoSuchResourceException');
    assert.match(svc.json().Message, /specified service does not exist/);
  });

  test('pagination validation: MaxResults range and invalid tokens', async () => {
    for (const MaxResults of [0, 101]) {
      const r = await sqCall(s.url, plain.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock', MaxResults });
      assert.equal(r.status, 400);
      assert.equal(r.json().__type, 'ValidationException');
      assert.match(r.json().message, /^1 validation error detected: Value '\d+' at 'maxResults' failed to satisfy constraint/);
    }
    const bad = await sqCall(s.url, plain.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock', NextToken: 'garbage' });
    assert.equal(bad.json().__type, 'InvalidPaginationTokenException');

    // A token is bound to its caller, operation and region.
    const first = (await sqCall(s.url, plain.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock', MaxResults: 10 })).json();
    assert.ok(first.NextToken);
    const other = await sqCall(s.url, varied.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock', NextToken: first.NextToken });
    assert.equal(other.json().__type, 'InvalidPaginationTokenException');
    const otherOp = await sqCall(s.url, plain.credentials, 'ListAWSDefaultServiceQuotas', { ServiceCode: 'bedrock', NextToken: first.NextToken });
    assert.equal(otherOp.json().__type, 'InvalidPaginationTokenException');
    const otherRegion = await sqCall(s.url, plain.credentials, 'ListServiceQuotas', { ServiceCode: 'bedrock', NextToken: first.NextToken }, { region: 'eu-west-1' });
    assert.equal(otherRegion.json().__type, 'InvalidPaginationTokenException');
  });

  test('required parameters are validated like AWS', async () => {
    const r = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), {
      __type: 'ValidationException',
      message: "1 validation error detected: Value null at 'quotaCode' failed to satisfy constraint: Member must not be null",
    });
    const two = await sqCall(s.url, plain.credentials, 'GetServiceQuota', {});
    assert.match(two.json().message, /^2 validation errors detected: /);
    const junk = await sqCall(s.url, plain.credentials, 'GetServiceQuota', 'not json', { body: '{not json' });
    assert.equal(junk.json().__type, 'SerializationException');
    const unknownOp = await sqCall(s.url, plain.credentials, 'DeleteEverything', {});
    assert.equal(unknownOp.json().__type, 'UnknownOperationException');
  });

  test('RequestServiceQuotaIncrease and its history', async () => {
    const adjustable = CATALOGUE.quotas.find((q) => q.adjustable === true && q.default_value > 0 && !q.default_value_by_region);
    const fixed = CATALOGUE.quotas.find((q) => q.adjustable === false);
    const r = await sqCall(s.url, plain.credentials, 'RequestServiceQuotaIncrease', {
      ServiceCode: 'bedrock', QuotaCode: adjustable.code, DesiredValue: adjustable.default_value * 2,
    });
    assert.equal(r.status, 200, r.text);
    const rq = r.json().RequestedQuota;
    assert.equal(rq.Status, 'PENDING');
    assert.equal(rq.DesiredValue, adjustable.default_value * 2);
    assert.equal(rq.QuotaCode, adjustable.code);
    assert.ok(rq.Id.length >= 32);
    assert.equal(typeof rq.Created, 'number');

    const dup = await sqCall(s.url, plain.credentials, 'RequestServiceQuotaIncrease', {
      ServiceCode: 'bedrock', QuotaCode: adjustable.code, DesiredValue: adjustable.default_value * 3,
    });
    assert.equal(dup.json().__type, 'ResourceAlreadyExistsException');

    const notAdj = await sqCall(s.url, plain.credentials, 'RequestServiceQuotaIncrease', {
      ServiceCode: 'bedrock', QuotaCode: fixed.code, DesiredValue: (fixed.default_value ?? 1) * 10,
    });
    assert.equal(notAdj.json().__type, 'IllegalArgumentException');

    const missing = await sqCall(s.url, plain.credentials, 'RequestServiceQuotaIncrease', { ServiceCode: 'bedrock', QuotaCode: adjustable.code });
    assert.equal(missing.json().__type, 'ValidationException');

    const hist = await sqCall(s.url, plain.credentials, 'ListRequestedServiceQuotaChangeHistoryByQuota', { ServiceCode: 'bedrock', QuotaCode: adjustable.code });
    assert.equal(hist.status, 200);
    assert.equal(hist.json().RequestedQuotas.length, 1);
    assert.equal(hist.json().RequestedQuotas[0].Id, rq.Id);

    // Approving through the control API applies the value.
    const approve = await control(s.url, 'POST', `/_sim/accounts/${plain.account_id}/requests/${rq.Id}`, { status: 'APPROVED' });
    assert.equal(approve.status, 200);
    const now = await sqCall(s.url, plain.credentials, 'GetServiceQuota', { ServiceCode: 'bedrock', QuotaCode: adjustable.code });
    assert.equal(now.json().Quota.Value, adjustable.default_value * 2);
    const approved = await sqCall(s.url, plain.credentials, 'ListRequestedServiceQuotaChangeHistoryByQuota', {
      ServiceCode: 'bedrock', QuotaCode: adjustable.code, Status: 'APPROVED',
    });
    assert.equal(approved.json().RequestedQuotas[0].Status, 'APPROVED');
  });

  test('increase scripts: per_seconds progressions, a per-request script, requests made outside', async () => {
    const adjustable = CATALOGUE.quotas.filter((q) => q.adjustable === true && q.default_value > 0 && !q.default_value_by_region)[1];
    const bad = await control(s.url, 'PUT', '/_sim/config', { increase_script: { steps: ['NOPE'] } });
    assert.equal(bad.status, 400);
    // Made outside the platform (console): listed in the history, following the per-request script.
    const made = await control(s.url, 'POST', `/_sim/accounts/${plain.account_id}/requests`, {
      region: 'us-east-1', quota_code: adjustable.code, desired_value: adjustable.default_value * 4,
      script: { steps: ['CASE_OPENED', 'DENIED'], advance: 'per_seconds', seconds: 0.05 },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.status, 'PENDING');
    const missing = await control(s.url, 'POST', `/_sim/accounts/${plain.account_id}/requests`, { quota_code: 'L-00000000', desired_value: 1 });
    assert.equal(missing.status, 400);
    await new Promise((r) => setTimeout(r, 150));
    const hist = await sqCall(s.url, plain.credentials, 'ListRequestedServiceQuotaChangeHistoryByQuota', { ServiceCode: 'bedrock', QuotaCode: adjustable.code });
    const listed = hist.json().RequestedQuotas.find((x) => x.Id === made.body.id);
    assert.equal(listed.Status, 'DENIED');
    assert.match(listed.CaseId, /^case-/);
    // The control API sets a status (and a new script) on any request.
    const again = await control(s.url, 'POST', `/_sim/accounts/${plain.account_id}/requests/${made.body.id}`, { status: 'CASE_CLOSED', case_id: 'case-42' });
    assert.equal(again.body.status, 'CASE_CLOSED');
    assert.equal(again.body.case_id, 'case-42');
    const cfg = await control(s.url, 'GET', '/_sim/config');
    assert.equal(cfg.body.increase_script, null);
  });
});
