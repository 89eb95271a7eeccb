#!/usr/bin/env node
// Load check: starts the simulator as a child process with --seed-accounts A and --latency-ms L, then
// makes C calls per account (GetCallerIdentity, then GetServiceQuota for different codes, signed with
// AWS's signer) with a bounded number of requests in flight, over keep-alive connections.
//
//   node bench/load.mjs [--accounts 1000] [--calls 40] [--latency-ms 100] [--concurrency 500] [--rate-limits off]
//
// Prints one JSON line: requests, errors, seconds, requests/s, p50/p99 latency.
import http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../sigv4-verify.mjs';
import { seedCredentials } from '../state.mjs';
import { startChild, control } from '../test/helpers.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const ACCOUNTS = Number(args.accounts ?? 1000);
const CALLS = Number(args.calls ?? 40);
const LATENCY = Number(args['latency-ms'] ?? 100);
const CONCURRENCY = Number(args.concurrency ?? 500);
const RATE_LIMITS = args['rate-limits'] ?? 'off';

const sim = await startChild(['--port', '0', '--seed-accounts', String(ACCOUNTS), '--latency-ms', String(LATENCY), '--rate-limits', RATE_LIMITS]);
const url = new URL(sim.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const codes = (await control(sim.url, 'GET', '/_sim/catalogue')).body.quotas.map((q) => q.code);

async function call(i, n) {
  const c = seedCredentials(i);
  const sts = n === 0;
  const body = sts
    ? 'Action=GetCallerIdentity&Version=2011-06-15'
    : JSON.stringify({ ServiceCode: 'bedrock', QuotaCode: codes[(i * 7 + n) % codes.length] });
  const headers = sts
    ? { host: url.host, 'content-type': 'application/x-www-form-urlencoded' }
    : { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'ServiceQuotasV20190624.GetAWSDefaultServiceQuota' };
  const signer = new SignatureV4({
    credentials: { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key },
    region: 'us-east-1',
    service: sts ? 'sts' : 'servicequotas',
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body }));
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { ...signed.headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('error', (e) => resolve({ status: 0, ms: performance.now() - t0, error: e.message }));
    req.end(body);
  });
}

const jobs = [];
for (let n = 0; n < CALLS; n++) for (let i = 1; i <= ACCOUNTS; i++) jobs.push([i, n]);
const latencies = [];
const statuses = {};
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, async () => {
    while (next < jobs.length) {
      const [i, n] = jobs[next++];
      const r = await call(i, n);
      latencies.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const counters = (await control(sim.url, 'GET', '/_sim/counters')).body;
agent.destroy();
await sim.stop();
const result = {
  accounts: ACCOUNTS,
  calls_per_account: CALLS,
  latency_ms: LATENCY,
  concurrency: CONCURRENCY,
  requests: jobs.length,
  statuses,
  server_counted: counters.total,
  seconds: Number(seconds.toFixed(2)),
  requests_per_second: Math.round(jobs.length / seconds),
  p50_ms: Math.round(latencies[Math.floor(latencies.length * 0.5)]),
  p99_ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]),
};
console.log(JSON.stringify(result));
process.exit(statuses[200] === jobs.length ? 0 : 1);
