// Deployment configuration from CDK context (`-c key=value` or cdk.context.json), with per-stage defaults.
// docs/deploy.md lists every key.
import { Node } from 'constructs';

export type StageName = 'dev' | 'prod';

export interface PlatformConfig {
  /** `dev` or `prod` (context `stage`, default `dev`): picks the defaults below and names the stack. */
  readonly stage: StageName;
  /** ACM certificate for the HTTPS listener (context `certificateArn`, required). */
  readonly certificateArn: string;
  /** The first admin's email, AP_ADMIN_EMAIL (context `adminEmail`, required). */
  readonly adminEmail: string;
  /** Name of the quota-reader role in member accounts (context `memberRoleName`). */
  readonly memberRoleName: string;
  /** DynamoDB table prefix (context `tablePrefix`, default `ap-<stage>-`). */
  readonly tablePrefix: string;
  /** Tasks kept running; at least 2 (context `desiredCount`, default 2). */
  readonly desiredCount: number;
  /** Upper bound for autoscaling (context `maxCount`, default dev 4, prod 10). */
  readonly maxCount: number;
  /** CloudWatch Logs retention in days (context `logRetentionDays`, default dev 30, prod 90). */
  readonly logRetentionDays: number;
  /** NAT gateways (context `natGateways`, default dev 1, prod 2 = one per AZ). */
  readonly natGateways: number;
  /** Task size (context `cpu` / `memoryMiB`, default dev 512 / 1024, prod 1024 / 2048). */
  readonly cpu: number;
  readonly memoryMiB: number;
}

export interface MemberConfig {
  /** Default of the MemberRoleName parameter (context `memberRoleName`). */
  readonly memberRoleName: string;
  /** Adds member_role.increase_requests_policy (context `allowIncreaseRequests=true`, default false). */
  readonly allowIncreaseRequests: boolean;
}

export const DEFAULT_MEMBER_ROLE_NAME = 'AccountPlatformQuotaReader';

const STAGE_DEFAULTS: Record<
  StageName,
  Omit<PlatformConfig, 'stage' | 'certificateArn' | 'adminEmail' | 'memberRoleName' | 'tablePrefix'>
> = {
  dev: { desiredCount: 2, maxCount: 4, logRetentionDays: 30, natGateways: 1, cpu: 512, memoryMiB: 1024 },
  prod: { desiredCount: 2, maxCount: 10, logRetentionDays: 90, natGateways: 2, cpu: 1024, memoryMiB: 2048 },
};

// The retention periods CloudWatch Logs accepts.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function str(node: Node, key: string): string | undefined {
  const v: unknown = node.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function int(node: Node, key: string, fallback: number): number {
  const s = str(node, key);
  if (s === undefined) return fallback;
  if (!/^\d+$/.test(s)) throw new Error(`context ${key}: expected a whole number, got "${s}"`);
  return Number(s);
}

function bool(node: Node, key: string): boolean {
  const s = str(node, key);
  if (s === undefined) return false;
  if (s !== 'true' && s !== 'false') throw new Error(`context ${key}: expected true or false, got "${s}"`);
  return s === 'true';
}

function required(node: Node, key: string, example: string): string {
  const s = str(node, key);
  if (s === undefined) throw new Error(`context ${key} is required, e.g. -c ${key}=${example} (docs/deploy.md)`);
  return s;
}

/** Reads and checks the platform stack's context; throws one clear message naming the key on a bad value. */
export function platformConfig(node: Node): PlatformConfig {
  const stageText = str(node, 'stage') ?? 'dev';
  if (stageText !== 'dev' && stageText !== 'prod') {
    throw new Error(`context stage: expected dev or prod, got "${stageText}"`);
  }
  const stage: StageName = stageText;
  const d = STAGE_DEFAULTS[stage];
  const certificateArn = required(node, 'certificateArn', 'arn:aws:acm:eu-west-1:123456789012:certificate/ID');
  if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/.+$/.test(certificateArn)) {
    throw new Error(`context certificateArn: not an ACM certificate ARN: "${certificateArn}"`);
  }
  const adminEmail = required(node, 'adminEmail', 'admin@example.com');
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail)) throw new Error(`context adminEmail: not an email: "${adminEmail}"`);
  const memberRoleName = str(node, 'memberRoleName') ?? DEFAULT_MEMBER_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/.test(memberRoleName)) {
    throw new Error(`context memberRoleName: not an IAM role name: "${memberRoleName}"`);
  }
  const tablePrefix = str(node, 'tablePrefix') ?? `ap-${stage}-`;
  // The server's own rule (store/dynamodb ValidateTablePrefix).
  if (tablePrefix.length > 200 || !/^[A-Za-z0-9_.-]*$/.test(tablePrefix)) {
    throw new Error(`context tablePrefix: only letters, digits, '_', '-' and '.' (at most 200): "${tablePrefix}"`);
  }
  const desiredCount = int(node, 'desiredCount', d.desiredCount);
  if (desiredCount < 2) throw new Error(`context desiredCount: at least 2 tasks, got ${desiredCount}`);
  const maxCount = int(node, 'maxCount', Math.max(d.maxCount, desiredCount));
  if (maxCount < desiredCount)
    throw new Error(`context maxCount: at least desiredCount (${desiredCount}), got ${maxCount}`);
  const logRetentionDays = int(node, 'logRetentionDays', d.logRetentionDays);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new Error(`context logRetentionDays: one of ${LOG_RETENTION_DAYS.join(', ')}; got ${logRetentionDays}`);
  }
  const natGateways = int(node, 'natGateways', d.natGateways);
  if (natGateways < 1 || natGateways > 2) throw new Error(`context natGateways: 1 or 2, got ${natGateways}`);
  return {
    stage,
    certificateArn,
    adminEmail,
    memberRoleName,
    tablePrefix,
    desiredCount,
    maxCount,
    logRetentionDays,
    natGateways,
    cpu: int(node, 'cpu', d.cpu),
    memoryMiB: int(node, 'memoryMiB', d.memoryMiB),
  };
}

/** Context memberOnly=true: build the member-account stack alone. */
export function memberOnly(node: Node): boolean {
  return bool(node, 'memberOnly');
}

/** Reads the member stack's context. */
export function memberConfig(node: Node): MemberConfig {
  return {
    memberRoleName: str(node, 'memberRoleName') ?? DEFAULT_MEMBER_ROLE_NAME,
    allowIncreaseRequests: bool(node, 'allowIncreaseRequests'),
  };
}
