// The member-account stack: the quota-reader role the platform assumes in each member account, with exactly the
// policies of `account-platform iam-policy` (member_role). Deployable with `cdk deploy` in each member account
// (no bootstrap needed: it has no assets) or as a CloudFormation StackSet template (`cdk synth`).
import { Aws, BootstraplessSynthesizer, CfnOutput, CfnParameter, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MemberConfig } from './config';
import { IamPolicies, loadIamPolicies, substitute } from './generated';

export interface MemberStackProps extends StackProps {
  readonly config: MemberConfig;
  /** Defaults to the committed generated/iam-policies.json. */
  readonly policies?: IamPolicies;
}

export class MemberStack extends Stack {
  readonly role: iam.CfnRole;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, { synthesizer: new BootstraplessSynthesizer(), ...props });
    const policies = props.policies ?? loadIamPolicies();
    const config = props.config;

    const roleName = new CfnParameter(this, 'MemberRoleName', {
      type: 'String',
      default: config.memberRoleName,
      allowedPattern: '[\\w+=,.@-]{1,64}',
      description: "The role's name; the platform's memberRoleName context must be the same.",
    });
    const platformRoleArn = new CfnParameter(this, 'PlatformRoleArn', {
      type: 'String',
      allowedPattern: 'arn:aws[a-z-]*:iam::\\d{12}:role/.+',
      description: "The platform's task role (the TaskRoleArn output of the platform stack).",
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      minLength: 2,
      maxLength: 1224,
      allowedPattern: '[\\w+=,.@:/-]+',
      description:
        'The external id the platform sends with AssumeRole (the one entered for this account in the platform). ' +
        'Not a secret: it guards against the confused deputy, so it is not NoEcho.',
    });

    const values = {
      Partition: Aws.PARTITION,
      Region: Aws.REGION,
      Account: Aws.ACCOUNT_ID,
      MemberRoleName: roleName.valueAsString,
      PlatformRoleArn: platformRoleArn.valueAsString,
      ExternalId: externalId.valueAsString,
    };
    const m = policies.member_role;
    const inline: iam.CfnRole.PolicyProperty[] = [
      { policyName: 'quota-read', policyDocument: substitute(m.read_policy, values) },
    ];
    if (config.allowIncreaseRequests) {
      inline.push({
        policyName: 'quota-increase-requests',
        policyDocument: substitute(m.increase_requests_policy, values),
      });
    }
    this.role = new iam.CfnRole(this, 'QuotaReader', {
      roleName: roleName.valueAsString,
      description: 'Account Platform: reads Service Quotas, CloudWatch usage and contact information',
      assumeRolePolicyDocument: substitute(m.trust_policy, values),
      policies: inline,
      maxSessionDuration: 3600,
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Service Quotas and CloudWatch actions in these policies support no resource-level permissions.',
    });

    new CfnOutput(this, 'RoleArn', { value: this.role.attrArn, description: 'Enter this role ARN in the platform' });
  }
}
