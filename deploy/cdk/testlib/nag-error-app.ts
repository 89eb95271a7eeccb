// The real app plus one resource cdk-nag rejects (an S3 bucket without TLS enforcement or access logs): the CLI
// synth of this app must fail (test/synth.test.ts).
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../lib/app';

const { app } = buildApp();
const extra = new Stack(app, 'NagErrorFixture');
new s3.Bucket(extra, 'PlainBucket');
app.synth();
