// The command line: URL as the first stdout line, logs on stderr, loopback only, argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SIM_DIR, startChild, control, waitFor, stsCall } from './helpers.mjs';
import { parseArgs } from '../server.mjs';

const SERVER = path.join(SIM_DIR, 'server.mjs');

test('prints the URL first, logs to stderr, serves seeded accounts, stops on SIGTERM', async () => {
  const sim = await startChild(['--port', '0', '--host', '127.0.0.1', '--seed-accounts', '7', '--latency-ms', '5']);
  try {
    assert.match(sim.firstLine, /^http:\/\/127\.0\.0\.1:\d+$/);
    await waitFor(() => sim.stderr().includes('seed account 100000000005'), { what: 'the startup log' });
    assert.match(sim.stderr(), /listening on .*dynamodb on/);
    assert.match(sim.stderr(), /dynamodb platform key AKIASIMPLATFORM00001/);
    assert.match(sim.stderr(), /seed account 100000000001 key AKIASIM0000000000001/);
    const accounts = (await control(sim.url, 'GET', '/_sim/accounts')).body;
    assert.equal(accounts.total, 7);
    assert.equal((await control(sim.url, 'GET', '/_sim/config')).body.latency_ms, 5);
    const k = accounts.accounts[6].access_keys[0];
    const r = await stsCall(sim.url, { accessKeyId: k.access_key_id, secretAccessKey: k.secret_access_key }, 'GetCallerIdentity');
    assert.equal(r.status, 200);
    assert.match(r.text, /<Account>100000000007<\/Account>/);
  } finally {
    await sim.stop();
  }
  assert.ok(sim.child.exitCode === 0 || sim.child.signalCode === 'SIGTERM');
});

test('refuses a non-loopback host and bad arguments', () => {
  const r = spawnSync(process.execPath, [SERVER, '--port', '0', '--host', '0.0.0.0'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /non-loopback/);
  assert.equal(r.stdout, '');
  const bad = spawnSync(process.execPath, [SERVER, '--port', 'x'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(bad.status, 2);
  const unknown = spawnSync(process.execPath, [SERVER, '--frobnicate'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(unknown.status, 2);
});

test('argument parsing', () => {
  assert.deepEqual(parseArgs(['--port', '8123', '--seed-accounts=3', '--rate-limits', 'off', '--latency-ms', '100']), {
    port: 8123, host: '127.0.0.1', seedAccounts: 3, rateLimits: false, latencyMs: 100, dynamodb: true, verbose: false,
  });
  assert.equal(parseArgs(['--dynamodb', 'off']).dynamodb, false);
  assert.throws(() => parseArgs(['--dynamodb', 'maybe']));
  assert.throws(() => parseArgs(['--rate-limits', 'maybe']));
  assert.throws(() => parseArgs(['--port']));
});
