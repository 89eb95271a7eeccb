// The member-account stack: the quota-reader role from iam-policies.json member_role.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';
import { loadIamPolicies } from '../lib/generated';
import { asArray, flat, tempDir, templates } from '../testlib/helpers';

const policies = loadIamPolicies();
const byDefault = templates().member;
const withIncreases = templates({ allowIncreaseRequests: 'true' }).member;

function role(t: typeof byDefault): Record<string, any> {
  const roles = Object.values(t.findResources('AWS::IAM::Role'));
  assert.equal(roles.length, 1, 'one role');
  return roles[0].Properties;
}

describe('member role', () => {
  it('is named by the MemberRoleName parameter, default from context', () => {
    assert.deepEqual(role(byDefault).RoleName, { Ref: 'MemberRoleName' });
    byDefault.hasParameter('MemberRoleName', { Default: 'AccountPlatformQuotaReader' });
    templates({ memberRoleName: 'Reader' }).member.hasParameter('MemberRoleName', { Default: 'Reader' });
  });

  it('trusts only the platform task role, with the external id', () => {
    const trust = role(byDefault).AssumeRolePolicyDocument;
    const expected = policies.member_role.trust_policy.Statement;
    assert.equal(trust.Statement.length, expected.length);
    for (const s of trust.Statement) {
      assert.equal(s.Effect, 'Allow');
      assert.deepEqual(asArray(s.Action), ['sts:AssumeRole']);
      assert.deepEqual(s.Principal, { AWS: { Ref: 'PlatformRoleArn' } });
      assert.deepEqual(s.Condition, { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    }
    byDefault.hasParameter('PlatformRoleArn', { Type: 'String' });
    byDefault.hasParameter('ExternalId', { Type: 'String' });
  });

  it('has the read policy of iam-policies.json', () => {
    const inline = role(byDefault).Policies;
    assert.deepEqual(
      inline.map((p: { PolicyName: string }) => p.PolicyName),
      ['quota-read'],
    );
    const statements = inline[0].PolicyDocument.Statement;
    const expected = policies.member_role.read_policy.Statement;
    assert.deepEqual(
      statements.map((s: { Sid: string }) => s.Sid),
      expected.map((s) => s.Sid),
    );
    for (let i = 0; i < expected.length; i++) {
      assert.deepEqual(asArray(statements[i].Action), asArray(expected[i].Action));
      const want = asArray(expected[i].Resource as string | string[]).map((r) =>
        r
          .replace('${Partition}', '${AWS::Partition}')
          .replace('${Account}', '${AWS::AccountId}')
          .replace('${Region}', '${AWS::Region}'),
      );
      assert.deepEqual(asArray(statements[i].Resource).map(flat), want);
    }
  });

  it('has no increase-requests policy by default, and has it with allowIncreaseRequests=true', () => {
    assert.ok(!JSON.stringify(role(byDefault)).includes('RequestServiceQuotaIncrease'));
    const inline = role(withIncreases).Policies;
    assert.deepEqual(
      inline.map((p: { PolicyName: string }) => p.PolicyName),
      ['quota-read', 'quota-increase-requests'],
    );
    assert.deepEqual(
      inline[1].PolicyDocument.Statement.map((s: { Sid: string }) => s.Sid),
      policies.member_role.increase_requests_policy.Statement.map((s) => s.Sid),
    );
  });

  it('needs no bootstrap in the member account (no assets, no bootstrap version check)', () => {
    assert.equal(byDefault.toJSON().Parameters.BootstrapVersion, undefined);
    assert.equal(byDefault.toJSON().Rules, undefined);
  });

  it('builds alone with memberOnly=true, without the platform context', () => {
    const built = buildApp({ outdir: tempDir('ap-cdk-test-'), context: { memberOnly: 'true' } });
    assert.equal(built.platform, undefined);
    assert.deepEqual(
      built.app.node.children.filter((c) => c instanceof Stack).map((c) => c.node.id),
      ['AccountPlatformMember'],
    );
    Template.fromStack(built.member).resourceCountIs('AWS::IAM::Role', 1);
  });

  it('rejects a flag value other than true or false', () => {
    assert.throws(() => templates({ allowIncreaseRequests: 'yes' }), /allowIncreaseRequests: expected true or false/);
  });
});
