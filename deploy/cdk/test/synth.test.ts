// The real `cdk synth` of the CDK CLI, offline: no notices, no telemetry, no version check, a temporary CDK_HOME.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ADMIN, CERT, tempDir } from '../testlib/helpers';

const CDK_DIR = path.resolve(__dirname, '..', '..');
const CDK_CLI = path.join(CDK_DIR, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const home = tempDir('ap-cdk-home-');

function synth(appJs: string, context: Record<string, string>): { status: number | null; output: string; out: string } {
  const out = tempDir('ap-cdk-out-');
  const args = [CDK_CLI, 'synth', '--app', `node ${JSON.stringify(appJs)}`, '--output', out, '--no-notices', '--quiet'];
  for (const [k, v] of Object.entries(context)) args.push('-c', `${k}=${v}`);
  const r = spawnSync(process.execPath, args, {
    cwd: CDK_DIR,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_HOME: home,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
    },
    timeout: 300_000,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, out };
}

const APP = path.join(CDK_DIR, 'dist', 'bin', 'app.js');

describe('cdk synth (CLI)', () => {
  it('synthesizes both stacks and the image asset', () => {
    const r = synth(APP, { certificateArn: CERT, adminEmail: ADMIN, stage: 'prod' });
    assert.equal(r.status, 0, r.output);
    for (const stack of ['AccountPlatform-prod', 'AccountPlatformMember']) {
      assert.ok(fs.existsSync(path.join(r.out, `${stack}.template.json`)), `${stack}.template.json`);
    }
    const assets = JSON.parse(fs.readFileSync(path.join(r.out, 'AccountPlatform-prod.assets.json'), 'utf8'));
    const images = Object.values(assets.dockerImages ?? {}) as Array<{
      source: { directory: string; dockerFile: string };
    }>;
    assert.equal(images.length, 1);
    assert.equal(images[0].source.dockerFile, 'deploy/Dockerfile');
    // The build context is the repository's sources, without build trees or dependencies.
    const staged = path.join(r.out, images[0].source.directory);
    assert.ok(fs.existsSync(path.join(staged, 'server', 'CMakeLists.txt')));
    for (const absent of ['build', '.git', 'deploy/cdk', 'web/node_modules']) {
      assert.ok(!fs.existsSync(path.join(staged, absent)), `${absent} is not in the image's build context`);
    }
  });

  it('fails with a clear message without the certificate ARN', () => {
    const r = synth(APP, { adminEmail: ADMIN });
    assert.notEqual(r.status, 0);
    assert.match(r.output, /context certificateArn is required/);
  });

  it('fails on a cdk-nag finding', () => {
    const r = synth(path.join(CDK_DIR, 'dist', 'testlib', 'nag-error-app.js'), {
      certificateArn: CERT,
      adminEmail: ADMIN,
    });
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /AwsSolutions-S10/);
  });
});
