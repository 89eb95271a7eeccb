#!/usr/bin/env node
// Entry point for the CDK CLI: `cdk synth --app "node dist/bin/app.js" -c certificateArn=... -c adminEmail=...`.
import { buildApp } from '../lib/app';

try {
  buildApp().app.synth();
} catch (e) {
  console.error(`account-platform cdk: ${(e as Error).message}`);
  process.exit(1);
}
