// The platform: VPC, DynamoDB tables (from generated/tables.json), the KMS key, the first admin's secret, and the
// server on ECS Fargate behind an HTTPS-only Application Load Balancer. Environment-agnostic: nothing is looked up
// at synth (AZs are Fn::GetAZs, the account and region are pseudo parameters).
import * as path from 'path';
import {
  Aws,
  CfnCondition,
  CfnOutput,
  Duration,
  Fn,
  IgnoreMode,
  RemovalPolicy,
  Stack,
  StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FactName } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { PlatformConfig } from './config';
import {
  GlobalSecondaryIndex,
  IamPolicies,
  KeySchemaElement,
  TableDefinition,
  TableDefinitions,
  loadIamPolicies,
  loadTableDefinitions,
  substitute,
} from './generated';

/** The repository root: the container image's build context. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The port the server listens on inside the task (AP_LISTEN). */
export const CONTAINER_PORT = 8080;

// Kept out of the image asset's hash (and of the copy in cdk.out) on top of the repository's .dockerignore, so the
// hash changes only when the image's sources do and synth does not copy build trees.
const IMAGE_EXCLUDES = [
  '.git',
  '**/node_modules',
  'build',
  'build-*',
  'data',
  'web/dist',
  'web/e2e',
  'deploy/cdk',
  '**/cdk.out',
  '*.log',
];

export interface PlatformStackProps extends StackProps {
  readonly config: PlatformConfig;
  /** Defaults to the committed generated/tables.json. */
  readonly tables?: TableDefinitions;
  /** Defaults to the committed generated/iam-policies.json. */
  readonly policies?: IamPolicies;
}

function attributeType(defs: TableDefinition, name: string): dynamodb.AttributeType {
  const def = defs.create_table.AttributeDefinitions.find((a) => a.AttributeName === name);
  if (!def) throw new Error(`tables.json ${defs.suffix}: no AttributeDefinition for key ${name}`);
  const types: Record<string, dynamodb.AttributeType> = {
    S: dynamodb.AttributeType.STRING,
    N: dynamodb.AttributeType.NUMBER,
    B: dynamodb.AttributeType.BINARY,
  };
  return types[def.AttributeType];
}

function keys(
  defs: TableDefinition,
  schema: KeySchemaElement[],
): { partitionKey: dynamodb.Attribute; sortKey?: dynamodb.Attribute } {
  const hash = schema.find((k) => k.KeyType === 'HASH');
  if (!hash) throw new Error(`tables.json ${defs.suffix}: a key schema without HASH`);
  const range = schema.find((k) => k.KeyType === 'RANGE');
  return {
    partitionKey: { name: hash.AttributeName, type: attributeType(defs, hash.AttributeName) },
    sortKey: range ? { name: range.AttributeName, type: attributeType(defs, range.AttributeName) } : undefined,
  };
}

function projection(
  gsi: GlobalSecondaryIndex,
): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> {
  switch (gsi.Projection.ProjectionType) {
    case 'ALL':
      return { projectionType: dynamodb.ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: gsi.Projection.NonKeyAttributes };
  }
}

// cdk-nag names a finding after the resource string as synthesized: literal values in place, pseudo parameters as
// <AWS::Name>.
function findingText(resource: string, config: PlatformConfig): string {
  return substitute(resource, {
    Partition: '<AWS::Partition>',
    Region: '<AWS::Region>',
    Account: '<AWS::AccountId>',
    TablePrefix: config.tablePrefix,
    MemberRoleName: config.memberRoleName,
  });
}

export class PlatformStack extends Stack {
  readonly key: kms.Key;
  readonly tables: Record<string, dynamodb.Table> = {};
  readonly taskRole: iam.Role;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const config = props.config;
    const tableDefs = props.tables ?? loadTableDefinitions();
    const policies = props.policies ?? loadIamPolicies();

    // One customer-managed key: the tables' encryption at rest and the sealing of stored AWS credentials
    // (AP_SECRETS=kms, encryption context {"account_id": ...}).
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/account-platform-${config.stage}`,
      description: `Account Platform (${config.stage}): DynamoDB tables and sealed AWS credentials`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const def of tableDefs.tables) {
      const table = new dynamodb.Table(this, `Table-${def.suffix}`, {
        tableName: `${config.tablePrefix}${def.suffix}`,
        ...keys(def, def.create_table.KeySchema),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        timeToLiveAttribute: def.time_to_live ? tableDefs.ttl_attribute : undefined,
        deletionProtection: config.stage === 'prod',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const gsi of def.create_table.GlobalSecondaryIndexes ?? []) {
        table.addGlobalSecondaryIndex({ indexName: gsi.IndexName, ...keys(def, gsi.KeySchema), ...projection(gsi) });
      }
      this.tables[def.suffix] = table;
    }

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      // DynamoDB traffic stays off the NAT gateways (and their per-GB charge).
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });

    // The first admin's password: generated here, read by the task at start (AP_ADMIN_PASSWORD), never logged.
    const adminSecret = new secretsmanager.Secret(this, 'AdminPassword', {
      description: `Account Platform (${config.stage}): first admin's password (${config.adminEmail})`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    Validations.of(adminSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Used once: the server creates the first admin from it only while there is no user; the admin then ' +
        'changes the password in the app. Rotating the secret would not change the stored password.',
    });

    // The task role's policy is the server's own (`account-platform iam-policy`), placeholders filled in. It covers
    // the key twice: sealing credentials (encryption context account_id) and the tables (only through DynamoDB).
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Account Platform server: its tables, its key, the member roles',
    });
    const taskPolicy = new iam.Policy(this, 'TaskPolicy', {
      document: iam.PolicyDocument.fromJson(
        substitute(policies.task_role, {
          Partition: Aws.PARTITION,
          Region: Aws.REGION,
          Account: Aws.ACCOUNT_ID,
          UrlSuffix: Aws.URL_SUFFIX,
          TablePrefix: config.tablePrefix,
          KmsKeyArn: this.key.keyArn,
          MemberRoleName: config.memberRoleName,
        }),
      ),
    });
    taskPolicy.attachToRole(this.taskRole);
    for (const finding of this.wildcardFindings(policies, config)) {
      Validations.of(taskPolicy).acknowledge(finding);
    }

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const appLogGroup = new logs.LogGroup(this, 'AppLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: config.cpu,
      memoryLimitMiB: config.memoryMiB,
      taskRole: this.taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    // The root filesystem is read-only; /data (the image's AP_DATA_DIR) and /tmp are task-local scratch volumes.
    taskDefinition.addVolume({ name: 'data' });
    taskDefinition.addVolume({ name: 'tmp' });
    const container = taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromAsset(REPO_ROOT, {
        file: 'deploy/Dockerfile',
        exclude: IMAGE_EXCLUDES,
        ignoreMode: IgnoreMode.DOCKER,
        platform: ecrAssets.Platform.LINUX_AMD64,
      }),
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: appLogGroup, streamPrefix: 'app' }),
      portMappings: [{ containerPort: CONTAINER_PORT, protocol: ecs.Protocol.TCP }],
      environment: {
        AP_STORE: 'dynamodb',
        AP_DYNAMODB_TABLE_PREFIX: config.tablePrefix,
        AWS_REGION: Aws.REGION,
        AP_LISTEN: `0.0.0.0:${CONTAINER_PORT}`,
        AP_SECRETS: 'kms',
        AP_KMS_KEY_ID: this.key.keyArn,
        AP_COOKIE_SECURE: 'true',
        // Only the ALB reaches the tasks, and its addresses are in the VPC.
        AP_TRUSTED_PROXIES: vpc.vpcCidrBlock,
        AP_WEB_ROOT: '/opt/account-platform/web',
        AP_ADMIN_EMAIL: config.adminEmail,
      },
      secrets: { AP_ADMIN_PASSWORD: ecs.Secret.fromSecretsManager(adminSecret) },
      healthCheck: {
        command: ['CMD', 'account-platform', 'health'],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(6),
        retries: 3,
        startPeriod: Duration.seconds(20),
      },
      stopTimeout: Duration.seconds(30),
    });
    // CDK's grants for pulling the image and writing logs: ecr:GetAuthorizationToken has no resource-level form.
    Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken (pulling the image) supports no resource-level permissions.',
    });
    container.addMountPoints(
      { sourceVolume: 'data', containerPath: '/data', readOnly: false },
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    );
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds configuration only (store, table prefix, region, key ARN, listen address, admin ' +
        'email); the one secret, the first admin password, comes from Secrets Manager.',
    });

    const albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc,
      description: 'Account Platform ALB: HTTPS (and HTTP, redirected) from the internet',
      allowAllOutbound: false,
    });
    Validations.of(albSecurityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The public entry point: port 443 (HTTPS) and port 80 (redirect to 443 only) are open to the internet.',
    });
    const taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc,
      description: 'Account Platform tasks: port 8080 from the ALB only; HTTPS out to AWS APIs',
      allowAllOutbound: false,
    });
    // Out: HTTPS only (the AWS APIs through the NAT gateways, DynamoDB through the gateway endpoint, ECR, logs).
    taskSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');

    const accessLogs = new s3.Bucket(this, 'AlbAccessLogs', {
      // ALB access logs support SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the ALB access logs; logging access to the log bucket itself would recurse.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup: albSecurityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    this.enableAccessLogs(this.loadBalancer, accessLogs);

    const https = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: true,
    });
    this.loadBalancer.addListener('HttpRedirect', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: true,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: config.desiredCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      securityGroups: [taskSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      healthCheckGracePeriod: Duration.seconds(60),
    });
    const targetGroup = https.addTargets('App', {
      port: CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: 'app', containerPort: CONTAINER_PORT })],
      healthCheck: { path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(20),
    });

    const scaling = this.service.autoScaleTaskCount({ minCapacity: config.desiredCount, maxCapacity: config.maxCount });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('Requests', { requestsPerTarget: 1000, targetGroup });

    new CfnOutput(this, 'Url', { value: `https://${this.loadBalancer.loadBalancerDnsName}` });
    new CfnOutput(this, 'TaskRoleArn', {
      value: this.taskRole.roleArn,
      description: 'PlatformRoleArn parameter of the member-account stack',
    });
    new CfnOutput(this, 'AdminSecretArn', { value: adminSecret.secretArn });
    new CfnOutput(this, 'KeyArn', { value: this.key.keyArn });
    new CfnOutput(this, 'TablePrefix', { value: config.tablePrefix });
  }

  // ALB access logging without knowing the region at synth (CDK's logAccessLogs needs it): the bucket policy lets
  // the region's ELB account write where one exists (regions before August 2022), and the log delivery service
  // principal otherwise.
  private enableAccessLogs(lb: elbv2.ApplicationLoadBalancer, bucket: s3.Bucket): void {
    const prefix = 'alb';
    const elbAccount = this.regionalFact(FactName.ELBV2_ACCOUNT, 'none');
    const legacyRegion = new CfnCondition(this, 'RegionHasElbAccount', {
      expression: Fn.conditionNot(Fn.conditionEquals(elbAccount, 'none')),
    });
    const writer = Fn.conditionIf(
      legacyRegion.logicalId,
      `arn:${Aws.PARTITION}:iam::${elbAccount}:root`,
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`,
    ).toString();
    const objects = bucket.arnForObjects(`${prefix}/AWSLogs/${Aws.ACCOUNT_ID}/*`);
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ElbAccountWrites',
        principals: [new iam.ArnPrincipal(writer)],
        actions: ['s3:PutObject'],
        resources: [objects],
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LogDeliveryWrites',
        principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [objects],
      }),
    );
    lb.setAttribute('access_logs.s3.enabled', 'true');
    lb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
    lb.setAttribute('access_logs.s3.prefix', prefix);
    if (bucket.policy) lb.node.addDependency(bucket.policy);
  }

  // cdk-nag's AwsSolutions-IAM5 flags each wildcard resource of the task policy. Each one is acknowledged with
  // the reason that fits its statement; an unexpected wildcard stays a finding and fails the synth.
  private wildcardFindings(policies: IamPolicies, config: PlatformConfig): Array<{ id: string; reason: string }> {
    const out: Array<{ id: string; reason: string }> = [];
    const seen = new Set<string>();
    for (const statement of policies.task_role.Statement) {
      const resources = ([] as unknown[]).concat(statement.Resource ?? []).map(String);
      const actions = ([] as unknown[]).concat(statement.Action ?? []).map(String);
      for (const resource of resources) {
        if (!resource.includes('*')) continue;
        let reason: string | undefined;
        if (/:table\/\$\{TablePrefix\}[^*]*\/index\/\*$/.test(resource)) {
          reason = "The indexes of the platform's own table (queries by index need index/*).";
        } else if (/^arn:\$\{Partition\}:iam::\*:role\/\$\{MemberRoleName\}$/.test(resource)) {
          reason =
            'The quota-reader role of any member account: the account id is data (registered accounts); the role name is fixed.';
        } else if (resource === '*' && actions.every((a) => /^(servicequotas|cloudwatch):(Get|List)/.test(a))) {
          reason = 'Service Quotas and CloudWatch read actions support no resource-level permissions.';
        }
        if (reason === undefined) continue;
        const id = `AwsSolutions-IAM5[Resource::${findingText(resource, config)}]`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ id, reason });
      }
    }
    return out;
  }
}
