// Builds the CDK app: the platform stack of the chosen stage, the member-account stack, and cdk-nag's AWS Solutions
// checks over both (any unacknowledged finding fails the synth).
import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { memberConfig, platformConfig } from './config';
import { IamPolicies, TableDefinitions } from './generated';
import { MemberStack } from './member-stack';
import { PlatformStack } from './platform-stack';

export interface AccountPlatformApp {
  readonly app: App;
  readonly platform: PlatformStack;
  readonly member: MemberStack;
}

export interface BuildOptions {
  /** Overrides of the generated files (tests). */
  readonly tables?: TableDefinitions;
  readonly policies?: IamPolicies;
}

/** Stack names: `AccountPlatform-<stage>` and `AccountPlatformMember`. */
export function buildApp(props: AppProps = {}, options: BuildOptions = {}): AccountPlatformApp {
  const app = new App(props);
  const platformCfg = platformConfig(app.node);
  const platform = new PlatformStack(app, `AccountPlatform-${platformCfg.stage}`, {
    config: platformCfg,
    tables: options.tables,
    policies: options.policies,
    description: `Account Platform (${platformCfg.stage}): tables, key, ECS Fargate service behind an HTTPS ALB`,
  });
  const member = new MemberStack(app, 'AccountPlatformMember', {
    config: memberConfig(app.node),
    policies: options.policies,
    description: 'Account Platform member account: the quota-reader role the platform assumes',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, platform, member };
}
