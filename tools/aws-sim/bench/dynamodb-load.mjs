#!/usr/bin/env node
// DynamoDB load check: starts the simulator as a child process, creates a table, then sends PutItem and
// consistent GetItem calls (signed as the platform identity with AWS's signer, keys spread over the table) with a
// bounded number of requests in flight, over keep-alive connections. Every call passes the simulator's SigV4
// check and is answered by its dynalite, so this measures the pair's ceiling.
//
//   node bench/dynamodb-load.mjs [--calls 4000] [--concurrency 32] [--item-bytes 200]
//
// Prints one JSON line: requests, errors, seconds, requests/s, p50/p99 latency, and the simulator's CPU seconds
// (all its threads: SigV4 checks on the main thread, dynalite on its worker) with the requests per CPU second,
// which stay meaningful on a busy machine.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../sigv4-verify.mjs';
import { PLATFORM_ACCESS_KEY_ID, PLATFORM_SECRET_ACCESS_KEY } from '../services/dynamodb.mjs';
import { startChild } from '../test/helpers.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const CALLS = Number(args.calls ?? 4000);
const CONCURRENCY = Number(args.concurrency ?? 32);
const ITEM_BYTES = Number(args['item-bytes'] ?? 200);
const TABLE = 'bench';

// utime + stime of a process (all threads), in seconds.
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sim = await startChild(['--port', '0']);
const url = new URL(sim.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const signer = new SignatureV4({
  credentials: { accessKeyId: PLATFORM_ACCESS_KEY_ID, secretAccessKey: PLATFORM_SECRET_ACCESS_KEY },
  region: 'us-east-1',
  service: 'dynamodb',
  sha256: Sha256,
  applyChecksum: false,
});

async function call(operation, input) {
  const body = JSON.stringify(input);
  const headers = { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` };
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body }));
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { ...signed.headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

try {
  const created = await call('CreateTable', {
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  if (created.status !== 200) throw new Error(`CreateTable: ${created.status} ${created.text}`);
  const payload = 'x'.repeat(ITEM_BYTES);
  const operation = (n) => (n % 2 === 0 ? 'PutItem' : 'GetItem');
  let next = 0;
  let errors = 0;
  const latencies = [];
  const t0 = performance.now();
  const cpu0 = cpuSeconds(sim.child.pid);
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < CALLS) {
      const n = next++;
      const key = { pk: { S: `k${n >> 1}` } };
      const r = n % 2 === 0
        ? await call('PutItem', { TableName: TABLE, Item: { ...key, v: { S: payload }, n: { N: String(n) } } })
        : await call('GetItem', { TableName: TABLE, Key: key, ConsistentRead: true });
      if (r.status !== 200) {
        errors++;
        if (errors <= 3) process.stderr.write(`${operation(n)} -> ${r.status} ${r.text ?? ''}\n`);
      }
      latencies.push(r.ms);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(sim.child.pid) - cpu0;
  latencies.sort((a, b) => a - b);
  const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
  console.log(JSON.stringify({
    requests: CALLS,
    errors,
    concurrency: CONCURRENCY,
    seconds: Math.round(seconds * 100) / 100,
    requests_per_second: Math.round(CALLS / seconds),
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    sim_cpu_seconds: Math.round(cpu * 100) / 100,
    requests_per_sim_cpu_second: Math.round(CALLS / cpu),
  }));
} finally {
  agent.destroy();
  await sim.stop();
}
