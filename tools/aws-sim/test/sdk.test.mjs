// Drives the simulator (started as a child process through its CLI) with AWS's official JavaScript
// clients: proves the wire protocols (SigV4, JSON 1.1, query/XML, REST-JSON) are what AWS speaks.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  ServiceQuotasClient,
  GetRequestedServiceQuotaChangeCommand,
  GetServiceQuotaCommand,
  GetAWSDefaultServiceQuotaCommand,
  ListServiceQuotasCommand,
  paginateListServiceQuotas,
  paginateListAWSDefaultServiceQuotas,
  RequestServiceQuotaIncreaseCommand,
  ListRequestedServiceQuotaChangeHistoryByQuotaCommand,
  NoSuchResourceException,
} from '@aws-sdk/client-service-quotas';
import { AccountClient, GetContactInformationCommand, PutContactInformationCommand, ValidationException } from '@aws-sdk/client-account';
import { startChild, control, UUID_RE } from './helpers.mjs';

const REGION = 'us-east-1';

describe('official AWS SDK for JavaScript v3 clients against the simulator', () => {
  let sim;
  let url;
  let account;
  let credentials;
  let roleArn;
  let externalId;
  let unappliedCode;
  let quotaCount;
  const cfg = () => ({ endpoint: url, region: REGION, credentials, maxAttempts: 1 });

  before(async () => {
    sim = await startChild(['--port', '0', '--seed-accounts', '2', '--rate-limits', 'off']);
    url = sim.url;
    assert.match(sim.firstLine, /^http:\/\/127\.0\.0\.1:\d+$/);
    account = (await control(url, 'GET', '/_sim/accounts/100000000001')).body;
    credentials = { accessKeyId: account.access_keys[0].access_key_id, secretAccessKey: account.access_keys[0].secret_access_key };
    roleArn = account.roles[0].role_arn;
    externalId = account.roles[0].external_id;
    const view = (await control(url, 'GET', `/_sim/accounts/${account.account_id}/quotas/${REGION}`)).body.quotas;
    quotaCount = view.length;
    unappliedCode = view.find((q) => q.unapplied)?.code;
  });
  after(async () => {
    if (sim) await sim.stop();
  });

  test('STS GetCallerIdentity', async () => {
    const sts = new STSClient(cfg());
    const out = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, account.account_id);
    assert.equal(out.Arn, account.access_keys[0].arn);
    assert.match(out.UserId, /^AIDA[A-Z0-9]+$/);
    assert.match(out.$metadata.requestId, UUID_RE);
  });

  test('STS AssumeRole with the right external id; temporary credentials work everywhere', async () => {
    const sts = new STSClient(cfg());
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'account-platform', ExternalId: externalId, DurationSeconds: 900 }));
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    assert.ok(out.Credentials.SessionToken.length > 100);
    assert.ok(out.Credentials.Expiration instanceof Date);
    const ttl = out.Credentials.Expiration.getTime() - Date.now();
    assert.ok(ttl > 800_000 && ttl <= 900_000, `ttl ${ttl}`);
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account.account_id}:assumed-role/AccountPlatformReadOnly/account-platform`);
    assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z0-9]+:account-platform$/);

    const temp = {
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken,
    };
    const who = await new STSClient({ ...cfg(), credentials: temp }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, out.AssumedRoleUser.Arn);
    assert.equal(who.UserId, out.AssumedRoleUser.AssumedRoleId);
    const sq = new ServiceQuotasClient({ ...cfg(), credentials: temp });
    const q = await sq.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' }));
    assert.equal(q.Quota.QuotaCode, 'L-FF8E7864');
  });

  test('STS AssumeRole with a wrong or missing external id is AccessDenied', async () => {
    const sts = new STSClient(cfg());
    for (const input of [
      { RoleArn: roleArn, RoleSessionName: 's1', ExternalId: 'wrong-id' },
      { RoleArn: roleArn, RoleSessionName: 's1' },
    ]) {
      await assert.rejects(sts.send(new AssumeRoleCommand(input)), (e) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata.httpStatusCode, 403);
        assert.match(e.message, /is not authorized to perform: sts:AssumeRole on resource/);
        return true;
      });
    }
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::999999999999:role/Nope`, RoleSessionName: 's1' })),
      (e) => e.name === 'AccessDenied',
    );
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x', ExternalId: externalId })),
      (e) => e.name === 'ValidationError' && /roleSessionName/.test(e.message),
    );
  });

  test('Service Quotas GetServiceQuota and NoSuchResourceException', async () => {
    const sq = new ServiceQuotasClient(cfg());
    const out = await sq.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' }));
    assert.deepEqual(
      { ...out.Quota, Description: undefined },
      {
        ServiceCode: 'bedrock',
        ServiceName: 'Amazon Bedrock',
        QuotaArn: `arn:aws:servicequotas:${REGION}:${account.account_id}:bedrock/L-FF8E7864`,
        QuotaCode: 'L-FF8E7864',
        QuotaName: 'On-demand model inference requests per minute for Cohere Embed English',
        Value: 2000,
        Unit: 'None',
        Adjustable: false,
        GlobalQuota: false,
        QuotaAppliedAtLevel: 'ACCOUNT',
        Description: undefined,
      },
    );
    await assert.rejects(sq.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-DOESNOTEXIST' })), (e) => {
      assert.ok(e instanceof NoSuchResourceException);
      return true;
    });
    if (unappliedCode) {
      await assert.rejects(sq.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: unappliedCode })), NoSuchResourceException);
    }
  });

  test('Service Quotas GetAWSDefaultServiceQuota', async () => {
    const sq = new ServiceQuotasClient(cfg());
    const out = await sq.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' }));
    assert.equal(out.Quota.Value, 2000);
    assert.equal(out.Quota.QuotaArn, `arn:aws:servicequotas:${REGION}::bedrock/L-FF8E7864`);
  });

  test('Service Quotas ListServiceQuotas paginates everything (SDK paginator)', async () => {
    const sq = new ServiceQuotasClient(cfg());
    const codes = [];
    let pages = 0;
    for await (const page of paginateListServiceQuotas({ client: sq, pageSize: 50 }, { ServiceCode: 'bedrock' })) {
      pages++;
      for (const q of page.Quotas) codes.push(q.QuotaCode);
    }
    const unapplied = (await control(url, 'GET', `/_sim/accounts/${account.account_id}/quotas/${REGION}`)).body.quotas.filter((q) => q.unapplied).length;
    assert.equal(codes.length, quotaCount - unapplied);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(pages, Math.ceil(codes.length / 50));

    const defaults = [];
    for await (const page of paginateListAWSDefaultServiceQuotas({ client: sq }, { ServiceCode: 'bedrock' })) {
      defaults.push(...page.Quotas.map((q) => q.QuotaCode));
    }
    assert.equal(defaults.length, quotaCount);

    const one = await sq.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' }));
    assert.equal(one.Quotas.length, 1);
    assert.equal(one.NextToken, undefined);
  });

  test('Service Quotas RequestServiceQuotaIncrease and history', async () => {
    const sq = new ServiceQuotasClient(cfg());
    const view = (await control(url, 'GET', `/_sim/accounts/${account.account_id}/quotas/${REGION}`)).body.quotas;
    const target = view.find((q) => q.adjustable && !q.unapplied);
    const out = await sq.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'bedrock', QuotaCode: target.code, DesiredValue: target.applied_value * 2 }));
    assert.equal(out.RequestedQuota.Status, 'PENDING');
    assert.ok(out.RequestedQuota.Created instanceof Date);
    const hist = await sq.send(new ListRequestedServiceQuotaChangeHistoryByQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: target.code }));
    assert.equal(hist.RequestedQuotas[0].Id, out.RequestedQuota.Id);
  });

  test('Service Quotas increase request shapes: Request, Get (scripted progression), history by quota', async () => {
    await control(url, 'PUT', '/_sim/config', { increase_script: { steps: ['CASE_OPENED', 'APPROVED'], advance: 'per_read' } });
    try {
      const sq = new ServiceQuotasClient(cfg());
      const view = (await control(url, 'GET', `/_sim/accounts/${account.account_id}/quotas/${REGION}`)).body.quotas;
      const target = view.filter((q) => q.adjustable && !q.unapplied)[1];
      const made = await sq.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'bedrock', QuotaCode: target.code, DesiredValue: target.applied_value * 3 }));
      const rq = made.RequestedQuota;
      assert.equal(rq.Status, 'PENDING');
      assert.equal(rq.ServiceCode, 'bedrock');
      assert.equal(rq.QuotaCode, target.code);
      assert.equal(rq.DesiredValue, target.applied_value * 3);
      assert.ok(rq.LastUpdated instanceof Date);
      assert.equal(rq.CaseId, undefined);
      // Each read moves the request one step: CASE_OPENED (with a case id), then APPROVED, then stays.
      const one = (await sq.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: rq.Id }))).RequestedQuota;
      assert.equal(one.Id, rq.Id);
      assert.equal(one.Status, 'CASE_OPENED');
      assert.match(one.CaseId, /^case-[0-9a-f]{12}$/);
      assert.ok(one.Created instanceof Date);
      const two = (await sq.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: rq.Id }))).RequestedQuota;
      assert.equal(two.Status, 'APPROVED');
      assert.equal(two.CaseId, one.CaseId);
      const three = (await sq.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: rq.Id }))).RequestedQuota;
      assert.equal(three.Status, 'APPROVED');
      const applied = await sq.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: target.code }));
      assert.equal(applied.Quota.Value, target.applied_value * 3);
      const hist = await sq.send(new ListRequestedServiceQuotaChangeHistoryByQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: target.code }));
      assert.equal(hist.RequestedQuotas.length, 1);
      assert.equal(hist.RequestedQuotas[0].Status, 'APPROVED');
      assert.equal(hist.RequestedQuotas[0].CaseId, one.CaseId);
      await assert.rejects(sq.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: 'nosuchrequest0000' })), (e) => e.name === 'NoSuchResourceException');
    } finally {
      await control(url, 'PUT', '/_sim/config', { increase_script: null });
    }
  });

  test('Account GetContactInformation / PutContactInformation', async () => {
    const client = new AccountClient(cfg());
    const before = await client.send(new GetContactInformationCommand({}));
    assert.equal(before.ContactInformation.CountryCode, 'US');
    const contact = {
      FullName: 'Jane Doe',
      AddressLine1: '1 Main Street',
      AddressLine2: 'Floor 2',
      City: 'Berlin',
      CompanyName: 'Example GmbH',
      CountryCode: 'DE',
      PhoneNumber: '+49 30 1234567',
      PostalCode: '10115',
      WebsiteUrl: 'https://example.de',
    };
    await client.send(new PutContactInformationCommand({ ContactInformation: contact }));
    const after = await client.send(new GetContactInformationCommand({}));
    assert.deepEqual(after.ContactInformation, contact);
    await assert.rejects(
      client.send(new PutContactInformationCommand({ ContactInformation: { ...contact, PhoneNumber: 'not a phone' } })),
      (e) => {
        assert.ok(e instanceof ValidationException);
        assert.equal(e.$metadata.httpStatusCode, 400);
        assert.equal(e.reason, 'fieldValidationFailed');
        assert.equal(e.fieldList[0].name, 'ContactInformation.PhoneNumber');
        return true;
      },
    );
    await assert.rejects(client.send(new GetContactInformationCommand({ AccountId: '100000000002' })), (e) => e.name === 'AccessDeniedException');
  });

  test('SDK sees throttling as a retryable ThrottlingException', async () => {
    await control(url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', error: 'throttle', count: 1 });
    // The SDK's standard retry strategy treats ThrottlingException as a throttling error and retries.
    const sq = new ServiceQuotasClient({ ...cfg(), maxAttempts: 2 });
    const out = await sq.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' }));
    assert.equal(out.$metadata.attempts, 2);
    await control(url, 'POST', '/_sim/faults', { operation: 'GetServiceQuota', error: 'throttle', count: 1 });
    await assert.rejects(new ServiceQuotasClient(cfg()).send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' })), (e) => {
      assert.equal(e.name, 'ThrottlingException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.$metadata.attempts, 1);
      return true;
    });
  });

  test('a wrong secret is refused to the SDK as AWS refuses it', async () => {
    const bad = { ...credentials, secretAccessKey: credentials.secretAccessKey.split('').reverse().join('') };
    await assert.rejects(new STSClient({ ...cfg(), credentials: bad }).send(new GetCallerIdentityCommand({})), (e) => e.name === 'SignatureDoesNotMatch');
    await assert.rejects(
      new ServiceQuotasClient({ ...cfg(), credentials: bad }).send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-FF8E7864' })),
      (e) => e.name === 'InvalidSignatureException',
    );
  });
});
