#!/usr/bin/env node
// Benchmark of the exports (issue 14 §2), measured, not asserted (docs/benchmarks.md §10):
//   AP_BINARY=build/bin/account-platform node scripts/bench-export.mjs [ACCOUNTS=10000]
// Starts the platform (with the AWS simulator) on a fresh data dir, registers two template accounts (two regions and
// one region), stops it, clones them to ACCOUNTS accounts in the SQLite store (accounts + list index rows), restarts
// with --rebuild-aggregates, then measures: the HTTP fleet export (CSV) as an admin — wall time, bytes, rows, the
// server's peak RSS before and after (VmHWM); and `account-platform export fleet --output` on the stopped data dir
// under /usr/bin/time -v — wall time and peak RSS.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, Platform, sqlite, BINARY } from '../server/test/integration/lib/platform.mjs';

const N = Number(process.argv[2] || 10000);
const half = Math.floor(N / 2);

function hwm(pid) {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]);
}
function clone(template, prefix, count, name) {
  return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO accounts SELECT printf('${prefix}%09d', i), printf('${name} %05d', i), regions, teams, status, credential_type,
  access_key_id_masked, role_arn, sealed_credentials, created_at_ms, updated_at_ms, created_by, version
  FROM accounts, n WHERE account_id = '${template}';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO account_list SELECT l.scope, l.status, printf('${name} %05d', i), printf('${prefix}%09d', i)
  FROM account_list l, n WHERE l.account_id = '${template}';
UPDATE account_counts SET count = count + ${count} WHERE status = 'active';`;
}

let p = await Platform.start({ args: ['--usage-interval', '0'] });
let token = await p.login(ADMIN.email, ADMIN.password);
await p.createAccount(token, { account_id: '410000000001', account_name: 'T A', regions: ['us-east-1', 'us-west-2'], teams: ['team-a'] });
await p.createAccount(token, { account_id: '420000000001', account_name: 'T B', regions: ['eu-west-1'], teams: ['team-b'] });
await p.waitNoRefresh(token);
const sql = ['BEGIN;', clone('410000000001', '310', half - 1, 'seed a'), clone('420000000001', '320', N - half - 1, 'seed b'), 'COMMIT;'].join('\n');
p = await p.restart({ args: ['--usage-interval', '0', '--rebuild-aggregates'] }, (dir) => sqlite(dir, sql));
token = await p.login(ADMIN.email, ADMIN.password);
const before = hwm(p.child.pid);
const t0 = performance.now();
const res = await fetch(p.url('/api/exports/fleet'), { headers: { Authorization: `Bearer ${token}` } });
let bytes = 0;
let rows = 0;
for await (const chunk of res.body) {
  bytes += chunk.length;
  for (const b of chunk) if (b === 10) rows += 1;
}
const httpMs = performance.now() - t0;
const after = hwm(p.child.pid);
console.log(`accounts ${N}: HTTP fleet export ${res.status}, ${rows - 1} rows, ${(bytes / 1048576).toFixed(1)} MiB in ` +
  `${(httpMs / 1000).toFixed(2)} s; server peak RSS ${(before / 1024).toFixed(0)} MiB before, ${(after / 1024).toFixed(0)} MiB after`);
await p.stop({ keepDataDir: true, keepSim: true });
const out = join(p.dataDir, 'fleet.csv');
const timed = execFileSync('sh', ['-c', `/usr/bin/time -v ${BINARY} export fleet --data-dir ${p.dataDir} --output ${out} --log-level error 2>&1 >/dev/null`], { encoding: 'utf8' });
const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(timed)[1];
const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.+)/.exec(timed)[1];
console.log(`CLI export fleet: ${(statSync(out).size / 1048576).toFixed(1)} MiB, wall ${wall.trim()}, peak RSS ${(Number(rss) / 1024).toFixed(0)} MiB`);
p = await p.startAgain({ args: ['--usage-interval', '0'] });
await p.stop();
