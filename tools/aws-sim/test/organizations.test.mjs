// AWS Organizations in the simulator, driven with AWS's official JavaScript client (proves the JSON 1.1 shapes and
// errors are what the SDK reads), plus the control API that makes organizations.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  OrganizationsClient,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListRootsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListAccountsForParentCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
  paginateListAccounts,
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  ParentNotFoundException,
  InvalidInputException,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startSim, control } from './helpers.mjs';

const MGMT = '300000000000';
const DELEGATED = '300000000001';
const member = (i) => String(300000000100 + i);

describe('AWS Organizations', () => {
  let s;
  const keys = {};
  const client = (id, extra = {}) =>
    new OrganizationsClient({ endpoint: s.url, region: 'us-east-1', credentials: keys[id], maxAttempts: 1, ...extra });

  before(async () => {
    s = await startSim({ dynamodb: false, rateLimits: false });
    const accounts = [];
    for (let i = 0; i < 25; i++) {
      accounts.push({ account_id: member(i), name: `member-${i}`, ou: i < 10 ? 'Prod' : i < 20 ? 'ou-Dev' : null, status: i === 3 ? 'SUSPENDED' : 'ACTIVE' });
    }
    accounts.push({ account_id: DELEGATED, name: 'security' });
    const r = await control(s.url, 'PUT', `/_sim/organizations/${MGMT}`, {
      delegated_admins: [DELEGATED],
      ous: [{ name: 'Workloads' }, { name: 'Prod', parent: 'Workloads' }, { name: 'ou-Dev', parent: 'Workloads' }],
      accounts,
      create_accounts: true,
      external_id: 'org-ext-1',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const id of [MGMT, DELEGATED, member(0)]) {
      const a = (await control(s.url, 'GET', `/_sim/accounts/${id}`)).body;
      keys[id] = { accessKeyId: a.access_keys[0].access_key_id, secretAccessKey: a.access_keys[0].secret_access_key };
    }
    const outsider = (await control(s.url, 'POST', '/_sim/accounts', { account_id: '399999999999' })).body;
    keys.outsider = { accessKeyId: outsider.access_keys[0].access_key_id, secretAccessKey: outsider.access_keys[0].secret_access_key };
  });
  after(() => s?.close());

  test('ListAccounts pages (MaxResults 1..20) through every member, with status and join data', async () => {
    const seen = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: client(MGMT), pageSize: 7 }, {})) {
      pages++;
      assert.ok(page.Accounts.length <= 7);
      seen.push(...page.Accounts);
    }
    assert.equal(seen.length, 27);
    assert.equal(pages, 4);
    const third = seen.find((a) => a.Id === member(3));
    assert.equal(third.Status, 'SUSPENDED');
    assert.equal(third.Name, 'member-3');
    assert.match(third.Arn, /^arn:aws:organizations::300000000000:account\/o-[a-z0-9]{10}\/300000000103$/);
    assert.ok(third.JoinedTimestamp instanceof Date);
    assert.equal(third.JoinedMethod, 'CREATED');
    assert.ok(seen.some((a) => a.Id === MGMT));
    await assert.rejects(client(MGMT).send(new ListAccountsCommand({ MaxResults: 21 })), InvalidInputException);
    await assert.rejects(client(MGMT).send(new ListAccountsCommand({ NextToken: 'forged' })), InvalidInputException);
  });

  test('the OU tree: roots, OUs per parent, accounts per parent, describe, parents', async () => {
    const c = client(DELEGATED);
    const roots = await c.send(new ListRootsCommand({}));
    assert.equal(roots.Roots.length, 1);
    const root = roots.Roots[0].Id;
    assert.match(root, /^r-[0-9a-z]{4}$/);
    const top = await c.send(new ListOrganizationalUnitsForParentCommand({ ParentId: root }));
    assert.deepEqual(top.OrganizationalUnits.map((o) => o.Name), ['Workloads']);
    const children = await c.send(new ListOrganizationalUnitsForParentCommand({ ParentId: top.OrganizationalUnits[0].Id }));
    assert.deepEqual(children.OrganizationalUnits.map((o) => o.Name).sort(), ['Prod', 'ou-Dev']);
    const prod = children.OrganizationalUnits.find((o) => o.Name === 'Prod');
    const inProd = await c.send(new ListAccountsForParentCommand({ ParentId: prod.Id, MaxResults: 20 }));
    assert.equal(inProd.Accounts.length, 10);
    const atRoot = await c.send(new ListAccountsForParentCommand({ ParentId: root }));
    assert.equal(atRoot.Accounts.length, 7); // 5 members, the delegated admin, the management account
    const d = await c.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: prod.Id }));
    assert.equal(d.OrganizationalUnit.Name, 'Prod');
    const parents = await c.send(new ListParentsCommand({ ChildId: member(0) }));
    assert.deepEqual(parents.Parents, [{ Id: prod.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
    await assert.rejects(c.send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' })), ParentNotFoundException);
  });

  test('members may describe the organization but not list it; outsiders are in no organization', async () => {
    const d = await client(member(0)).send(new DescribeOrganizationCommand({}));
    assert.equal(d.Organization.MasterAccountId, MGMT);
    await assert.rejects(client(member(0)).send(new ListAccountsCommand({})), AccessDeniedException);
    await assert.rejects(client('outsider').send(new ListAccountsCommand({})), AWSOrganizationsNotInUseException);
  });

  test('create_accounts gives every member the role, with the external id', async () => {
    const sts = new STSClient({ endpoint: s.url, region: 'us-east-1', credentials: keys.outsider, maxAttempts: 1 });
    const out = await sts.send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${member(7)}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test', ExternalId: 'org-ext-1',
    }));
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    const org = (await control(s.url, 'GET', `/_sim/organizations/${MGMT}`)).body;
    assert.equal(org.accounts.length, 27);
    assert.equal(org.ous.length, 3);
  });

  test('rate limits and faults apply like the other services', async () => {
    await control(s.url, 'PUT', '/_sim/config', { rate_limits: { enabled: true, limits: { ListRoots: { rate: 0.001, burst: 1 } } } });
    await client(MGMT).send(new ListRootsCommand({}));
    await assert.rejects(client(MGMT).send(new ListRootsCommand({})), TooManyRequestsException);
    await control(s.url, 'PUT', '/_sim/config', { rate_limits: false });
    const f = await control(s.url, 'POST', '/_sim/faults', { service: 'organizations', operation: 'ListAccounts', error: 'access_denied', count: 1 });
    assert.equal(f.status, 201, JSON.stringify(f.body));
    await assert.rejects(client(MGMT).send(new ListAccountsCommand({})), AccessDeniedException);
    await client(MGMT).send(new ListAccountsCommand({}));
  });

  test('control API refuses bad organizations', async () => {
    const bad = [
      { accounts: [{ account_id: '12' }] },
      { accounts: [{ account_id: member(1), status: 'GONE' }] },
      { accounts: [{ account_id: member(1), ou: 'Nowhere' }] },
      { ous: [{ name: 'A', parent: 'B' }, { name: 'B' }] },
    ];
    for (const body of bad) assert.equal((await control(s.url, 'PUT', '/_sim/organizations/310000000000', body)).status, 400);
    // A member of one organization cannot join another.
    const clash = await control(s.url, 'PUT', '/_sim/organizations/310000000000', { accounts: [{ account_id: member(1) }] });
    assert.equal(clash.status, 409);
    assert.equal((await control(s.url, 'DELETE', '/_sim/organizations/310000000000')).status, 404);
  });
});
