// The platform stack's template against the generated definitions and the requirements.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { loadIamPolicies, loadTableDefinitions } from '../lib/generated';
import { CERT, asArray, build, flat, identityStatements, templates } from '../testlib/helpers';

const defs = loadTableDefinitions();
const policies = loadIamPolicies();
const dev = templates();
const prod = templates({ stage: 'prod', desiredCount: '3', memberRoleName: 'QuotaReaderProd' });

function byName<T extends { AttributeName?: string; IndexName?: string }>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)),
  );
}

function keyArnRef(): unknown {
  const keys = dev.platform.findResources('AWS::KMS::Key');
  assert.equal(Object.keys(keys).length, 1, 'one KMS key');
  return { 'Fn::GetAtt': [Object.keys(keys)[0], 'Arn'] };
}

describe('tables', () => {
  const tables = dev.platform.findResources('AWS::DynamoDB::Table');

  it('has exactly the tables of tables.json, named <prefix><suffix>', () => {
    const names = Object.values(tables)
      .map((t) => t.Properties.TableName)
      .sort();
    assert.deepEqual(names, defs.tables.map((t) => `ap-dev-${t.suffix}`).sort());
  });

  for (const def of defs.tables) {
    it(`${def.suffix}: keys, attributes, indexes, billing, PITR, SSE with the CMK, TTL`, () => {
      const found = Object.values(tables).find((t) => t.Properties.TableName === `ap-dev-${def.suffix}`);
      assert.ok(found, `table ap-dev-${def.suffix}`);
      const p = found.Properties;
      const ct = def.create_table;
      assert.deepEqual(p.KeySchema, ct.KeySchema);
      assert.deepEqual(byName(p.AttributeDefinitions), byName(ct.AttributeDefinitions));
      assert.deepEqual(byName(p.GlobalSecondaryIndexes ?? []), byName(ct.GlobalSecondaryIndexes ?? []));
      assert.equal(p.BillingMode, ct.BillingMode);
      assert.equal(p.BillingMode, 'PAY_PER_REQUEST');
      assert.deepEqual(p.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
      assert.deepEqual(p.SSESpecification, { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArnRef() });
      if (def.time_to_live) {
        assert.deepEqual(p.TimeToLiveSpecification, { AttributeName: defs.ttl_attribute, Enabled: true });
      } else {
        assert.equal(p.TimeToLiveSpecification, undefined);
      }
      assert.equal(found.DeletionPolicy, 'Retain');
    });
  }

  it('main has TTL on expires_at', () => {
    const main = Object.values(tables).find((t) => t.Properties.TableName === 'ap-dev-main');
    assert.deepEqual(main?.Properties.TimeToLiveSpecification, { AttributeName: 'expires_at', Enabled: true });
  });

  it('prod: its own prefix and deletion protection', () => {
    prod.platform.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'ap-prod-main',
      DeletionProtectionEnabled: true,
    });
  });
});

describe('key', () => {
  it('is customer-managed with rotation and an alias', () => {
    dev.platform.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.platform.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/account-platform-dev' });
  });
});

describe('load balancer', () => {
  it('is internet-facing with access logs', () => {
    const lb = Object.values(dev.platform.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    assert.equal(lb.Properties.Scheme, 'internet-facing');
    const attrs = Object.fromEntries(
      lb.Properties.LoadBalancerAttributes.map((a: { Key: string; Value: unknown }) => [a.Key, a.Value]),
    );
    assert.equal(attrs['access_logs.s3.enabled'], 'true');
  });

  it('has exactly an HTTPS listener forwarding to the tasks and an HTTP listener that only redirects', () => {
    const listeners = Object.values(dev.platform.findResources('AWS::ElasticLoadBalancingV2::Listener'));
    assert.equal(listeners.length, 2);
    const https = listeners.find((l) => l.Properties.Port === 443);
    assert.ok(https);
    assert.equal(https.Properties.Protocol, 'HTTPS');
    assert.deepEqual(https.Properties.Certificates, [{ CertificateArn: CERT }]);
    assert.match(https.Properties.SslPolicy, /^ELBSecurityPolicy-TLS13-/);
    assert.equal(https.Properties.DefaultActions[0].Type, 'forward');
    const http = listeners.find((l) => l.Properties.Port === 80);
    assert.ok(http);
    assert.equal(http.Properties.Protocol, 'HTTP');
    assert.deepEqual(http.Properties.DefaultActions, [
      { Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } },
    ]);
  });

  it('health-checks /health on the target group', () => {
    dev.platform.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      Protocol: 'HTTP',
      HealthCheckPath: '/health',
      TargetType: 'ip',
    });
  });

  it('logs to a bucket with SSE, TLS only and no public access', () => {
    dev.platform.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    dev.platform.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('security groups', () => {
  const groups = dev.platform.findResources('AWS::EC2::SecurityGroup');
  const albId = Object.keys(groups).find((id) => id.startsWith('AlbSecurityGroup'));
  const taskId = Object.keys(groups).find((id) => id.startsWith('TaskSecurityGroup'));

  function ingress(groupId: string): Array<Record<string, unknown>> {
    const inline = (groups[groupId].Properties.SecurityGroupIngress ?? []) as Array<Record<string, unknown>>;
    const separate = Object.values(dev.platform.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties as Record<string, unknown>)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify({ 'Fn::GetAtt': [groupId, 'GroupId'] }));
    return [...inline, ...separate];
  }

  it('lets the tasks be reached on 8080 only from the ALB security group', () => {
    assert.ok(albId && taskId);
    const rules = ingress(taskId);
    assert.ok(rules.length >= 1);
    for (const rule of rules) {
      assert.deepEqual(rule.SourceSecurityGroupId, { 'Fn::GetAtt': [albId, 'GroupId'] });
      assert.equal(rule.FromPort, 8080);
      assert.equal(rule.ToPort, 8080);
      assert.equal(rule.CidrIp, undefined);
    }
  });

  it('lets the tasks send HTTPS only', () => {
    assert.ok(taskId);
    const egress = groups[taskId].Properties.SecurityGroupEgress;
    assert.deepEqual(egress, [
      { CidrIp: '0.0.0.0/0', Description: 'HTTPS to AWS APIs', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
  });

  it('opens the ALB on 443 and 80 only', () => {
    assert.ok(albId);
    const ports = ingress(albId)
      .map((r) => `${r.FromPort}-${r.ToPort}`)
      .sort();
    assert.deepEqual(ports, ['443-443', '80-80']);
  });
});

describe('task role', () => {
  const statements = identityStatements(dev.platform);
  const task = statements.filter((s) => s.where.startsWith('TaskPolicy')).map((s) => s.statement);

  it('has the statements of iam-policies.json task_role, by Sid', () => {
    assert.deepEqual(
      task.map((s) => s.Sid),
      policies.task_role.Statement.map((s) => s.Sid),
    );
  });

  it('has no * action in any policy of either stack', () => {
    for (const t of [dev.platform, dev.member, prod.platform]) {
      for (const { where, statement } of identityStatements(t)) {
        for (const action of asArray(statement.Action as string | string[])) {
          assert.ok(!String(action).includes('*'), `${where}: action ${action}`);
        }
      }
    }
  });

  it('reaches DynamoDB only on its own tables and their indexes', () => {
    const dynamo = task.filter((s) => asArray(s.Action as string[]).some((a) => a.startsWith('dynamodb:')));
    assert.ok(dynamo.length >= 1);
    const names = defs.tables.map((t) => t.suffix).join('|');
    const own = new RegExp(
      `^arn:\\$\\{AWS::Partition\\}:dynamodb:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:table/ap-dev-(${names})(/index/[^/]+)?$`,
    );
    for (const s of dynamo) {
      assert.ok(
        asArray(s.Action as string[]).every((a) => a.startsWith('dynamodb:')),
        'DynamoDB statements hold only DynamoDB actions',
      );
      for (const r of asArray(s.Resource)) assert.match(flat(r), own);
    }
  });

  it('uses its key only with the account_id encryption context, or through DynamoDB for the tables', () => {
    const kmsStatements = task.filter((s) => asArray(s.Action as string[]).some((a) => a.startsWith('kms:')));
    assert.ok(kmsStatements.length >= 1);
    let sealing = 0;
    for (const s of kmsStatements) {
      assert.deepEqual(asArray(s.Resource), [keyArnRef()]);
      const condition = JSON.stringify(s.Condition ?? {});
      if (condition.includes('kms:EncryptionContext:account_id')) {
        sealing++;
      } else {
        const via = (s.Condition as Record<string, Record<string, unknown>>)?.StringEquals?.['kms:ViaService'];
        assert.ok(via !== undefined, `${String(s.Sid)}: neither the encryption context nor kms:ViaService`);
        assert.match(flat(via), /^dynamodb\.\$\{AWS::Region\}\./);
      }
    }
    assert.ok(sealing >= 1, 'a statement for sealing credentials with the account_id context');
  });

  it('assumes only the member-role name pattern', () => {
    const sts = task.filter((s) => asArray(s.Action as string[]).some((a) => a.startsWith('sts:')));
    assert.ok(sts.length >= 1);
    for (const s of sts) {
      for (const r of asArray(s.Resource)) {
        assert.equal(flat(r), 'arn:${AWS::Partition}:iam::*:role/AccountPlatformQuotaReader');
      }
    }
    const prodTask = identityStatements(prod.platform).filter((s) => s.where.startsWith('TaskPolicy'));
    const prodSts = prodTask.filter((s) => asArray(s.statement.Action as string[]).includes('sts:AssumeRole'));
    assert.equal(flat(asArray(prodSts[0].statement.Resource)[0]), 'arn:${AWS::Partition}:iam::*:role/QuotaReaderProd');
  });

  it('has no placeholder left', () => {
    assert.doesNotMatch(
      JSON.stringify(dev.platform.toJSON()),
      /\$\{(Partition|Region|Account|TablePrefix|KmsKeyArn|MemberRoleName|PlatformRoleArn|ExternalId)\}/,
    );
  });
});

describe('service', () => {
  it('runs at least 2 Fargate tasks with the circuit breaker and rollback', () => {
    dev.platform.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
      },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    prod.platform.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  });

  it('refuses fewer than 2 tasks', () => {
    assert.throws(() => build({ desiredCount: '1' }), /desiredCount: at least 2/);
  });

  it('scales on CPU and on ALB requests per target', () => {
    dev.platform.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 4,
    });
    dev.platform.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      },
    });
    dev.platform.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
      },
    });
  });

  it('enables container insights on the cluster', () => {
    dev.platform.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('runs the container read-only with the platform environment and the admin secret', () => {
    const td = Object.values(dev.platform.findResources('AWS::ECS::TaskDefinition'))[0];
    const [container] = td.Properties.ContainerDefinitions;
    assert.equal(container.ReadonlyRootFilesystem, true);
    const env = Object.fromEntries(
      container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]),
    );
    assert.equal(env.AP_STORE, 'dynamodb');
    assert.equal(env.AP_DYNAMODB_TABLE_PREFIX, 'ap-dev-');
    assert.deepEqual(env.AWS_REGION, { Ref: 'AWS::Region' });
    assert.equal(env.AP_LISTEN, '0.0.0.0:8080');
    assert.equal(env.AP_SECRETS, 'kms');
    assert.deepEqual(env.AP_KMS_KEY_ID, keyArnRef());
    assert.equal(env.AP_COOKIE_SECURE, 'true');
    assert.match(JSON.stringify(env.AP_TRUSTED_PROXIES), /CidrBlock/);
    assert.equal(env.AP_WEB_ROOT, '/opt/account-platform/web');
    assert.equal(env.AP_ADMIN_EMAIL, 'admin@example.com');
    assert.equal(env.AP_ADMIN_PASSWORD, undefined, 'the password is not in the environment');
    assert.deepEqual(
      container.Secrets.map((s: { Name: string }) => s.Name),
      ['AP_ADMIN_PASSWORD'],
    );
    assert.ok(container.Secrets[0].ValueFrom.Ref.startsWith('AdminPassword'));
    assert.deepEqual(container.PortMappings, [{ ContainerPort: 8080, Protocol: 'tcp' }]);
    assert.equal(container.LogConfiguration.LogDriver, 'awslogs');
  });

  it('keeps logs for the stage retention (dev 30, prod 90 days, or the context value)', () => {
    dev.platform.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    prod.platform.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    const custom = templates({ logRetentionDays: '365' });
    custom.platform.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    assert.throws(() => build({ logRetentionDays: '100' }), /logRetentionDays: one of/);
  });
});

describe('context', () => {
  it('requires the certificate ARN with a clear message', () => {
    assert.throws(() => build({ certificateArn: '' }), /context certificateArn is required/);
    assert.throws(() => build({ certificateArn: 'not-an-arn' }), /not an ACM certificate ARN/);
  });

  it('requires the admin email', () => {
    assert.throws(() => build({ adminEmail: '' }), /context adminEmail is required/);
  });

  it('rejects a stage other than dev and prod', () => {
    assert.throws(() => build({ stage: 'test' }), /expected dev or prod/);
  });

  it('is environment-agnostic', () => {
    const { platform } = build();
    assert.ok(platform?.environment.startsWith('aws://unknown-account/unknown-region'));
  });
});
