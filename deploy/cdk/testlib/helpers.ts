// Shared by the tests: the app built with test context, and a resolver that turns a synthesized value (strings,
// Fn::Join, Ref, Fn::GetAtt) into one readable string such as `arn:${AWS::Partition}:dynamodb:...`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountPlatformApp, BuildOptions, buildApp } from '../lib/app';

export const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
export const ADMIN = 'admin@example.com';

export function testContext(extra: Record<string, string> = {}): Record<string, string> {
  return { certificateArn: CERT, adminEmail: ADMIN, ...extra };
}

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temporary directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function build(extra: Record<string, string> = {}, options: BuildOptions = {}): AccountPlatformApp {
  // No copy of the image's build context per test app (the CLI synth test stages it once).
  const context = { ...testContext(extra), 'aws:cdk:disable-asset-staging': true };
  return buildApp({ outdir: tempDir('ap-cdk-test-'), context }, options);
}

export interface Templates {
  built: AccountPlatformApp;
  platform: Template;
  member: Template;
}

export function templates(extra: Record<string, string> = {}, options: BuildOptions = {}): Templates {
  const built = build(extra, options);
  if (!built.platform) throw new Error('templates: no platform stack (memberOnly)');
  return { built, platform: Template.fromStack(built.platform), member: Template.fromStack(built.member) };
}

/** Flattens a synthesized value to a string; throws on a shape it does not know. */
export function flat(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `\${${String(o.Ref)}}`;
    if ('Fn::GetAtt' in o) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(flat).join(sep);
    }
  }
  throw new Error(`flat: unexpected value ${JSON.stringify(v)}`);
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export type Statement = Record<string, unknown> & { Action?: unknown; Resource?: unknown; Condition?: unknown };

/** Every identity-policy statement in a template: AWS::IAM::Policy documents and the inline policies of roles. */
export function identityStatements(template: Template): Array<{ where: string; statement: Statement }> {
  const out: Array<{ where: string; statement: Statement }> = [];
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const s of r.Properties.PolicyDocument.Statement) out.push({ where: id, statement: s });
  }
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))) {
    for (const s of r.Properties.PolicyDocument.Statement) out.push({ where: id, statement: s });
  }
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of r.Properties.Policies ?? []) {
      for (const s of p.PolicyDocument.Statement) out.push({ where: `${id}/${p.PolicyName}`, statement: s });
    }
  }
  return out;
}
