// Builds the CDK app: the platform stack of the chosen stage, the member-account stack, and cdk-nag's AWS Solutions
// checks over both (any unacknowledged finding fails the synth).
import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { memberConfig, memberOnly, platformConfig } from './config';
import { IamPolicies, TableDefinitions } from './generated';
import { MemberStack } from './member-stack';
import { PlatformStack } from './platform-stack';

export interface AccountPlatformApp {
  readonly app: App;
  /** Absent with context memberOnly=true. */
  readonly platform?: PlatformStack;
  readonly member: MemberStack;
}

export interface BuildOptions {
  /** Overrides of the generated files (tests). */
  readonly tables?: TableDefinitions;
  readonly policies?: IamPolicies;
}

/**
 * Stack names: `AccountPlatform-<stage>` and `AccountPlatformMember`. With context memberOnly=true only the member
 * stack is built, so a member account's operator needs no platform context (certificate, admin email).
 * Throws with a message naming the context key when a value is missing or bad.
 */
export function buildApp(props: AppProps = {}, options: BuildOptions = {}): AccountPlatformApp {
  const app = new App(props);
  let platform: PlatformStack | undefined;
  if (!memberOnly(app.node)) {
    const platformCfg = platformConfig(app.node);
    platform = new PlatformStack(app, `AccountPlatform-${platformCfg.stage}`, {
      config: platformCfg,
      tables: options.tables,
      policies: options.policies,
      description: `Account Platform (${platformCfg.stage}): tables, key, ECS Fargate service behind an HTTPS ALB`,
    });
  }
  const member = new MemberStack(app, 'AccountPlatformMember', {
    config: memberConfig(app.node),
    policies: options.policies,
    description: 'Account Platform member account: the quota-reader role the platform assumes',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, platform, member };
}
