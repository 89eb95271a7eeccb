// Several instances of the platform on one DynamoDB store. The AWS simulator (lib/aws-sim.mjs) holds the tables in
// its in-process dynalite and checks the SigV4 signature of every DynamoDB request; the tables are made with
// `account-platform dynamodb create-tables`; each instance is the real binary with `--store dynamodb`, one table
// prefix and one AP_MASTER_KEY, and a data dir of its own.
//
//   const c = await startCluster({ instances: 3, args: ['--fleet-lease-ttl', '3s'] });
//   c.instances[0].api(...); c.sim.counters(); await c.startInstance();   // one more on the same store
//   await c.stop();
//
//   const sim = await AwsSim.start(); const prefix = newTablePrefix(); await createTables(sim, prefix);
//   const p = await startInstance(sim, { prefix, masterKey: newMasterKey() });
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';

import { AwsSim, Platform, runBinary } from './platform.mjs';

export const REGION = 'us-east-1';

// A table prefix nobody else uses in this simulator ("it" + 8 hex digits + "-").
export function newTablePrefix() {
  return `it${randomBytes(4).toString('hex')}-`;
}

// A fresh master key (64 hex digits), as AP_MASTER_KEY takes it.
export function newMasterKey() {
  return randomBytes(32).toString('hex');
}

// The environment of a server (or a command) on the DynamoDB tables of `prefix` in `sim`.
export function dynamoDbEnv(sim, { prefix, masterKey } = {}) {
  const env = { ...sim.serverEnv(), AWS_REGION: REGION, AP_STORE: 'dynamodb' };
  if (prefix !== undefined) env.AP_DYNAMODB_TABLE_PREFIX = prefix;
  if (masterKey !== undefined) env.AP_MASTER_KEY = masterKey;
  return env;
}

// Runs `account-platform dynamodb create-tables --table-prefix <prefix>` against `sim`; resolves the run result
// (asserts exit 0).
export async function createTables(sim, prefix) {
  const r = await runBinary(['dynamodb', 'create-tables', '--table-prefix', prefix], {
    env: { ...sim.serverEnv(), AWS_REGION: REGION },
    timeoutMs: 60000,
  });
  assert.equal(r.code, 0, `create-tables failed (${r.code}): ${r.stderr}`);
  return r;
}

// Starts one server on the DynamoDB tables of `prefix` in `sim` (options as Platform.start, plus prefix and
// masterKey). The caller stops the simulator.
export async function startInstance(sim, { prefix, masterKey, args = [], env = {}, admin } = {}) {
  const options = { sim, args, env: { ...dynamoDbEnv(sim, { prefix, masterKey }), ...env } };
  if (admin !== undefined) options.admin = admin;
  return Platform.start(options);
}

// A simulator, fresh tables and `instances` servers on them (the first started alone: it makes the first admin
// and the default quota config; the others start together). `args` / `env` go to every server.
export async function startCluster({ instances = 3, args = [], env = {}, simOptions = {} } = {}) {
  const sim = await AwsSim.start(simOptions);
  const cluster = {
    sim,
    prefix: newTablePrefix(),
    masterKey: newMasterKey(),
    instances: [],
    // One more server on the same store (pushed to `instances`).
    async startInstance(more = {}) {
      const p = await startInstance(sim, {
        prefix: cluster.prefix,
        masterKey: cluster.masterKey,
        args: more.args ?? args,
        env: { ...env, ...(more.env ?? {}) },
      });
      cluster.instances.push(p);
      return p;
    },
    // Stops every server still running, then the simulator.
    async stop() {
      await Promise.all(cluster.instances.map((p) => (p.exit ? p.kill() : p.stop()).catch(() => {})));
      await sim.stop();
    },
  };
  try {
    await createTables(sim, cluster.prefix);
    await cluster.startInstance();
    await Promise.all(Array.from({ length: instances - 1 }, () => cluster.startInstance()));
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}

// Runs `fn(i)` for i in 0..n-1 with at most `concurrency` calls in flight; resolves the results in order.
export async function runLimited(n, concurrency, fn) {
  const results = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  return results;
}
