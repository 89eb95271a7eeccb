// cdk-nag: the app has no unacknowledged AWS Solutions finding, and a finding fails the synth.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from '../testlib/helpers';

describe('cdk-nag AwsSolutionsChecks', () => {
  const variants: Array<Record<string, string>> = [{}, { stage: 'prod' }, { allowIncreaseRequests: 'true' }];
  for (const extra of variants) {
    it(`finds nothing unacknowledged in the app (${JSON.stringify(extra)})`, () => {
      const { app } = build(extra);
      const report = new AwsSolutionsChecks(app).validateScope(app);
      assert.deepEqual(
        report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(',')}`),
        [],
      );
      assert.equal(report.success, true);
    });
  }

  it('fails the synth on a finding', () => {
    const { app } = build();
    new s3.Bucket(new Stack(app, 'Extra'), 'PlainBucket');
    let message = '';
    assert.throws(() => {
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
        throw e;
      }
    }, /Validation failed/);
    const reportFile = /found in: (\S+)/.exec(message)?.[1];
    assert.ok(reportFile, message);
    const report = fs.readFileSync(reportFile, 'utf8');
    assert.match(report, /AwsSolutions-S10/);
    assert.match(report, /Extra\/PlainBucket/);
  });
});
