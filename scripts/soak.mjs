// Soak test (issue 8, "Continuous defences"): SOAK_SECONDS (default 60) of mixed traffic over SOAK_CONNECTIONS
// (default 64) keep-alive connections against one server and the AWS simulator, both on loopback with a fresh
// temporary data dir (started by the integration harness, server/test/integration/lib). It passes when there was
// no transport error, no 5xx, no unexpected status, the server stopped cleanly, and the server's RSS stayed flat
// over the second half of the run. Run by `scripts/soak` / `make soak`; not part of `make test` (it takes a minute
// plus start-up). Prints a Markdown table (requests per kind and status, p50/p99 latency), the RSS figures and one
// final summary line; exits 1 on failure.
//
// The mix (connections are split by role; each connection runs one loop, one request at a time):
//   readers      (the rest)  cached quota reads, account lists, the dashboard, /health, a few cross-team quota
//                            reads (403: team isolation) and a few /metrics reads (the size is printed)
//   refreshers   (1 in 16)   POST /api/accounts/{id}/quota/refresh?region=… against the simulator
//   logins       (1 in 16)   good logins (admin and user), each followed by a logout
//   bad logins   (1)         wrong passwords for one user and an unknown email, paced 1 per 100 ms: the login
//                            throttle answers 429 after a few, which is expected and counted apart
//   config       (1 in 32, ≥2) GET + PUT /api/admin/quota-config with the version read (same models); a 409 from
//                            the other writer is expected optimistic concurrency: counted apart, re-read, retried
//
// Environment: SOAK_SECONDS, SOAK_CONNECTIONS, SOAK_ACCOUNTS (20), SOAK_SIM_LATENCY_MS (20), SOAK_LOG_LEVEL (warn),
// SOAK_RSS_GROWTH_PCT (10) and SOAK_RSS_GROWTH_MB (8): the RSS bound, see `rssBound` below; AP_BINARY (default
// build/bin/account-platform).
import http from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.env.AP_BINARY = resolve(repoRoot, process.env.AP_BINARY || 'build/bin/account-platform');
process.env.AP_REPO_ROOT ??= repoRoot;
// After AP_BINARY is set: the harness reads it when loaded.
const { Platform, AwsSim, ADMIN, BINARY } = await import('../server/test/integration/lib/platform.mjs');

const envInt = (name, dflt, min) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) {
    console.error(`soak: ${name} must be an integer >= ${min}, got '${raw}'`);
    process.exit(2);
  }
  return v;
};
const SECONDS = envInt('SOAK_SECONDS', 60, 4);
const CONNECTIONS = envInt('SOAK_CONNECTIONS', 64, 6);
const ACCOUNTS = envInt('SOAK_ACCOUNTS', 20, 4);
const SIM_LATENCY_MS = envInt('SOAK_SIM_LATENCY_MS', 20, 0);
const LOG_LEVEL = process.env.SOAK_LOG_LEVEL || 'warn';
const RSS_GROWTH_PCT = envInt('SOAK_RSS_GROWTH_PCT', 10, 0);
const RSS_GROWTH_MB = envInt('SOAK_RSS_GROWTH_MB', 8, 0);
const SAMPLE_MS = 250;                      // RSS sampling period
const REQUEST_TIMEOUT_MS = 30000;           // a request without an answer by then is a transport error
const MAX_REQUESTS_PER_CONNECTION = 1000000; // bounds every loop in count as well as in time
const TEAMS = ['platform-ops', 'data-science'];
const REGIONS = ['us-east-1', 'us-west-2'];
const USER = { email: 'soak-user@example.com', password: 'soak-user-password-0123' };
const THROTTLED = { email: 'soak-throttled@example.com', password: 'soak-throttled-password-0123' };
const UNKNOWN_EMAIL = 'soak-nobody@example.com';

// The RSS bound over the second half of the run. RSS is sampled 4 times a second; the least RSS within the last
// 10 s of the run may exceed the least RSS within the 10 s around its middle by at most
// max(RSS_GROWTH_PCT % of the latter, RSS_GROWTH_MB). Least, not last: every login in flight holds an 8 MiB
// argon2id block (the harness's --password-hash-memory-kib 8192), so single samples jump by up to ~20 MB with the
// logins that happen to be running, while what the server keeps raises the floor. By the middle the server has
// answered every kind of request thousands of times, so its caches and allocator arenas have (mostly) their
// working size; what still grows after that grows with the request count. 8 MB is about a quarter of the working
// set (a floor of ~32 MB) and well above the floor's own drift (~1 MB per 30 s, slowing down); a leak of 1 KB per
// request adds 15–25 MB in 30 s at this mix's rate (500–900 requests/s on 2 shared cores). The percentage keeps
// the check meaningful should the working set grow (more accounts, a larger config).
const rssBound = (midKb) => Math.max((midKb * RSS_GROWTH_PCT) / 100, RSS_GROWTH_MB * 1024);

// ---------------------------------------------------------------------------------------------------------------
// Counting.

const stats = new Map(); // kind → { statuses: Map<status, n>, latencies: number[], expectedOther: n, errors: n }
const failures = [];     // first few unexpected outcomes, for the report
let failureCount = 0;
let fiveXx = 0;
let transportErrors = 0;
let totalRequests = 0;

function kindStats(kind) {
  let s = stats.get(kind);
  if (!s) {
    s = { statuses: new Map(), latencies: [], expectedOther: 0, errors: 0 };
    stats.set(kind, s);
  }
  return s;
}

// Records one outcome. `ok`: the statuses of success; `expectedOther`: statuses that are expected behaviour
// though not success (429 of the throttle, 409 of a concurrent writer, 404 of team isolation).
function record(kind, res, { ok, expectedOther = [] }, what) {
  const s = kindStats(kind);
  totalRequests += 1;
  if (res.error) {
    transportErrors += 1;
    s.errors += 1;
    s.statuses.set('transport error', (s.statuses.get('transport error') || 0) + 1);
    noteFailure(`${kind}: ${what}: transport error: ${res.error.message} after ${res.ms.toFixed(1)} ms`);
    return 'error';
  }
  s.statuses.set(res.status, (s.statuses.get(res.status) || 0) + 1);
  s.latencies.push(res.ms);
  if (res.status >= 500) fiveXx += 1;
  if (ok.includes(res.status)) return 'ok';
  if (expectedOther.includes(res.status)) {
    s.expectedOther += 1;
    return 'expected';
  }
  s.errors += 1;
  noteFailure(`${kind}: ${what}: HTTP ${res.status} (X-Request-Id ${res.requestId}) ${res.text.slice(0, 300)}`,
              res.requestId);
  return 'error';
}

function noteFailure(message, requestId) {
  failureCount += 1;
  if (failures.length < 20) failures.push({ message, requestId });
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: one keep-alive agent (one socket) per loop, so that CONNECTIONS loops hold CONNECTIONS connections.

let port;
function request(agent, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = Buffer.from(JSON.stringify(body));
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const t0 = performance.now();
  return new Promise((resolveReq) => {
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      resolveReq({ ...r, ms: performance.now() - t0 });
    };
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'),
                                    requestId: res.headers['x-request-id'] }));
      res.on('error', (error) => finish({ error }));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => finish({ error }));
    req.end(payload);
  });
}

const pick = (a) => a[Math.floor(Math.random() * a.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jsonOf = (res) => {
  try {
    return JSON.parse(res.text);
  } catch {
    return undefined;
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Set-up.

console.error(`soak: starting the AWS simulator and ${BINARY} (log level ${LOG_LEVEL})…`);
const sim = await AwsSim.start({ latencyMs: SIM_LATENCY_MS });
let p;
let exitCode = 1;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => { // stop both children and remove the data dir, then leave
    console.error(`soak: ${signal}, stopping`);
    if (p && !p.exit) await p.kill().catch(() => {});
    await sim.stop().catch(() => {});
    process.exit(130);
  });
}
try {
  p = await Platform.start({ sim, env: { AP_LOG_LEVEL: LOG_LEVEL } });
  port = p.port;
  exitCode = await soak();
} catch (e) {
  console.error(`soak: ${e.stack || e}`);
  exitCode = 1;
} finally {
  if (p && !p.exit) await p.stop().catch(() => {});
  await sim.stop().catch(() => {});
}
process.exit(exitCode);

async function soak() {
  const adminToken = await p.login(ADMIN.email, ADMIN.password);
  console.error(`soak: registering ${ACCOUNTS} simulated accounts in ${REGIONS.length} regions and ${TEAMS.length} teams…`);
  const accounts = []; // { id, team }
  for (let i = 0; i < ACCOUNTS; i += 5) {
    const batch = [];
    for (let j = i; j < Math.min(i + 5, ACCOUNTS); j++) {
      const team = TEAMS[j % TEAMS.length];
      batch.push(p.createAccount(adminToken, { account_name: `Soak ${j + 1}`, regions: REGIONS, teams: [team] })
        .then((a) => accounts.push({ id: a.account_id, team })));
    }
    await Promise.all(batch);
  }
  const user = await p.createUser(adminToken, { ...USER, teams: [TEAMS[0]] });
  await p.createUser(adminToken, { ...THROTTLED, teams: [TEAMS[1]] });
  await p.waitNoRefresh(adminToken, { timeoutMs: 120000 });
  const mine = accounts.filter((a) => a.team === TEAMS[0]);
  const others = accounts.filter((a) => a.team !== TEAMS[0]);
  const principals = [
    { name: 'admin', token: adminToken, visible: accounts, hidden: [] },
    { name: 'user', token: user.token, visible: mine, hidden: others },
  ];

  // Connections by role.
  const refreshers = Math.max(1, Math.round(CONNECTIONS / 16));
  const logins = Math.max(1, Math.round(CONNECTIONS / 16));
  const badLogins = 1;
  const writers = Math.max(2, Math.round(CONNECTIONS / 32));
  const readers = CONNECTIONS - refreshers - logins - badLogins - writers;
  if (readers < 1) throw new Error(`SOAK_CONNECTIONS=${CONNECTIONS} leaves no reader`);

  const pid = p.child.pid;
  const procStatusKb = (field) => {
    try {
      return Number(new RegExp(`${field}:\\s*(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    } catch {
      return NaN;
    }
  };
  const rssKb = () => procStatusKb('VmRSS');
  const fds = () => {
    try {
      return readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      return NaN;
    }
  };
  const metricsBytes = async () => {
    const agent = new http.Agent({ keepAlive: false });
    const r = await request(agent, 'GET', '/metrics', { token: adminToken });
    return r.status === 200 ? Buffer.byteLength(r.text) : NaN;
  };
  const metricsStart = await metricsBytes();
  const fdsStart = fds();
  const dbMb = () => { // the database file and its write-ahead log
    const size = (name) => {
      try {
        return statSync(resolve(p.dataDir, name)).size;
      } catch {
        return 0;
      }
    };
    return `${(size('account-platform.db') / 1048576).toFixed(1)} MB + WAL ${(size('account-platform.db-wal') / 1048576).toFixed(1)} MB`;
  };
  const dbStart = dbMb();

  console.error(`soak: ${SECONDS} s at ${CONNECTIONS} connections (${readers} readers, ${refreshers} refreshers, ` +
                `${logins} logins, ${badLogins} bad logins, ${writers} config writers)…`);
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  const running = () => performance.now() < deadline;
  const samples = [{ t: 0, kb: rssKb() }];
  const sampler = setInterval(() => samples.push({ t: (performance.now() - t0) / 1000, kb: rssKb() }), SAMPLE_MS);
  let lastMetricsBytes = metricsStart;

  async function reader(i) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const who = principals[i % principals.length];
    for (let n = 0; n < MAX_REQUESTS_PER_CONNECTION && running(); n++) {
      const r = Math.random() * 100;
      if (r < 45) {
        const a = pick(who.visible);
        const q = Math.random() < 0.5 ? '' : `?region=${pick(REGIONS)}`;
        const path = `/api/accounts/${a.id}/quota${q}`;
        record('quota read', await request(agent, 'GET', path, { token: who.token }), { ok: [200] }, `GET ${path}`);
      } else if (r < 70) {
        const q = pick([`page=1&page_size=10`, `page=2&page_size=10`, `team=${pick(TEAMS)}`, `search=soak`,
                        `status=all&page_size=50`]);
        const path = `/api/accounts?${q}`;
        record('account list', await request(agent, 'GET', path, { token: who.token }), { ok: [200] }, `GET ${path}`);
      } else if (r < 90) {
        const path = `/api/dashboard/stats?page=${pick([1, 2])}&page_size=${pick([10, 50])}`;
        record('dashboard', await request(agent, 'GET', path, { token: who.token }), { ok: [200] }, `GET ${path}`);
      } else if (r < 95) {
        record('health', await request(agent, 'GET', '/health'), { ok: [200] }, 'GET /health');
      } else if (r < 99.5 && who.hidden.length) {
        const path = `/api/accounts/${pick(who.hidden).id}/quota`;
        record('quota read, other team (403)', await request(agent, 'GET', path, { token: who.token }),
               { ok: [], expectedOther: [403] }, `GET ${path}`);
      } else if (r >= 99.5) {
        const res = await request(agent, 'GET', '/metrics', { token: adminToken });
        if (record('metrics', res, { ok: [200] }, 'GET /metrics') === 'ok') lastMetricsBytes = Buffer.byteLength(res.text);
      }
    }
    agent.destroy();
  }

  async function refresher(i) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const who = principals[i % principals.length];
    for (let n = 0; n < MAX_REQUESTS_PER_CONNECTION && running(); n++) {
      const path = `/api/accounts/${pick(who.visible).id}/quota/refresh?region=${pick(REGIONS)}`;
      record('refresh (simulator)', await request(agent, 'POST', path, { token: who.token }), { ok: [200] },
             `POST ${path} as ${who.name}`);
    }
    agent.destroy();
  }

  async function login(i) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const cred = i % 2 ? USER : ADMIN;
    for (let n = 0; n < MAX_REQUESTS_PER_CONNECTION && running(); n++) {
      const res = await request(agent, 'POST', '/api/auth/login', { body: cred });
      const outcome = record('login, good password', res, { ok: [200], expectedOther: [429] },
                             `POST /api/auth/login ${cred.email}`);
      if (outcome === 'expected') await sleep(100); // throttled: do not spin
      if (outcome !== 'ok') continue;
      const token = jsonOf(res)?.token;
      record('logout', await request(agent, 'POST', '/api/auth/logout', { token }), { ok: [204] },
             'POST /api/auth/logout');
    }
    agent.destroy();
  }

  async function badLogin() {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let n = 0; n < MAX_REQUESTS_PER_CONNECTION && running(); n++) {
      const email = n % 2 ? UNKNOWN_EMAIL : THROTTLED.email;
      record('login, bad password', await request(agent, 'POST', '/api/auth/login',
                                                   { body: { email, password: `wrong-${n}` } }),
             { ok: [401], expectedOther: [429] }, `POST /api/auth/login ${email} (wrong password)`);
      await sleep(100);
    }
    agent.destroy();
  }

  async function writer() {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let n = 0; n < MAX_REQUESTS_PER_CONNECTION && running(); n++) {
      const got = await request(agent, 'GET', '/api/admin/quota-config', { token: adminToken });
      if (record('config read', got, { ok: [200] }, 'GET /api/admin/quota-config') !== 'ok') continue;
      const { version, models } = jsonOf(got);
      const put = await request(agent, 'PUT', '/api/admin/quota-config', { token: adminToken, body: { version, models } });
      const outcome = record('config write', put, { ok: [200], expectedOther: [409] },
                             `PUT /api/admin/quota-config version ${version}`);
      if (outcome === 'ok') await sleep(20); // a conflict re-reads and retries at once
    }
    agent.destroy();
  }

  const loops = [];
  for (let i = 0; i < readers; i++) loops.push(reader(i));
  for (let i = 0; i < refreshers; i++) loops.push(refresher(i));
  for (let i = 0; i < logins; i++) loops.push(login(i));
  for (let i = 0; i < badLogins; i++) loops.push(badLogin());
  for (let i = 0; i < writers; i++) loops.push(writer());
  await Promise.all(loops);
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const afterKb = rssKb(); // once every loop has ended (a refresh may outlast the deadline by a second or two)
  const hwmKb = procStatusKb('VmHWM');
  const metricsEnd = await metricsBytes();
  await sleep(500); // let the server notice the closed connections before counting its descriptors
  const fdsEnd = fds();

  // ---- report ----
  const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  const ms = (v) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));
  const mb = (kb) => (kb / 1024).toFixed(1);
  const lines = [];
  lines.push(`| kind | requests | by status | expected non-2xx | errors | p50 ms | p99 ms |`);
  lines.push(`|---|---:|---|---:|---:|---:|---:|`);
  for (const [kind, s] of stats) {
    const sorted = Float64Array.from(s.latencies).sort();
    const n = [...s.statuses.values()].reduce((a, b) => a + b, 0);
    const by = [...s.statuses.entries()].map(([k, v]) => `${k}: ${v}`).join(', ');
    lines.push(`| ${kind} | ${n} | ${by} | ${s.expectedOther} | ${s.errors} | ${ms(pct(sorted, 0.5))} | ${ms(pct(sorted, 0.99))} |`);
  }
  const all = Float64Array.from([...stats.values()].flatMap((s) => s.latencies)).sort();
  lines.push(`| **all** | ${totalRequests} | ${(totalRequests / elapsed).toFixed(0)} req/s | ` +
             `${[...stats.values()].reduce((a, s) => a + s.expectedOther, 0)} | ${failureCount} | ` +
             `${ms(pct(all, 0.5))} | ${ms(pct(all, 0.99))} |`);
  console.log(`soak: ${elapsed.toFixed(1)} s, ${CONNECTIONS} connections, ${ACCOUNTS} accounts × ${REGIONS.length} regions, ` +
              `simulator latency ${SIM_LATENCY_MS} ms, ${BINARY}`);
  console.log(lines.join('\n'));

  // Under load: the samples up to the deadline. Start = before the first request; end = the last sample under
  // load. Flatness compares floors (the least RSS within a window) at half the run and at its end: the argon2id
  // blocks of logins in flight (8 MiB each) come and go between samples and would make single samples jump by
  // tens of MB, while whatever the server keeps raises the floor.
  const loaded = samples.filter((s) => s.t <= SECONDS + 0.5);
  const kbs = loaded.map((s) => s.kb);
  const startKb = kbs[0];
  const maxKb = Math.max(...kbs);
  const endKb = kbs[kbs.length - 1];
  const w = Math.min(10, SECONDS / 5);
  const floor = (from, to) => Math.min(...loaded.filter((s) => s.t >= from && s.t <= to).map((s) => s.kb));
  const midKb = floor(SECONDS / 2 - w / 2, SECONDS / 2 + w / 2);
  const lateKb = floor(SECONDS - w, SECONDS + 0.5);
  const growthKb = lateKb - midKb;
  const boundKb = rssBound(midKb);
  const sign = (kb) => (kb >= 0 ? '+' : '') + mb(kb);
  console.log(`server RSS (VmRSS, ${loaded.length} samples, ${1000 / SAMPLE_MS} per second): start ${mb(startKb)} MB, ` +
              `max ${mb(maxKb)} MB, end ${mb(endKb)} MB (${mb(afterKb)} MB once idle; peak VmHWM ${mb(hwmKb)} MB); ` +
              `least RSS in ${w} s windows: ${mb(midKb)} MB around ${SECONDS / 2} s, ${mb(lateKb)} MB at the end, ` +
              `second half ${sign(growthKb)} MB (${((growthKb / midKb) * 100).toFixed(1)} %; bound +${mb(boundKb)} MB = ` +
              `max(${RSS_GROWTH_PCT} %, ${RSS_GROWTH_MB} MB))`);
  console.log(`RSS every 5 s (MB): ${loaded.filter((s, i) => i % (5000 / SAMPLE_MS) === 0 || i === loaded.length - 1)
    .map((s) => mb(s.kb)).join(' ')}`);
  console.log(`server descriptors: ${fdsStart} before, ${fdsEnd} after; /metrics: ${metricsStart} bytes before, ` +
              `${lastMetricsBytes} during, ${metricsEnd} after`);

  console.log(`database: ${dbStart} before, ${dbMb()} after`);

  const exit = await p.stop();
  const logLines = p.logs();
  const errorLines = logLines.filter((l) => l.level === 'error' || l.level === 'warn');
  for (const f of failures) {
    console.log(`  unexpected: ${f.message}`);
    if (f.requestId) for (const l of logLines.filter((e) => e.request_id === f.requestId)) console.log(`    log: ${JSON.stringify(l)}`);
  }
  if (failureCount > failures.length) console.log(`  … and ${failureCount - failures.length} more`);
  if (errorLines.length) {
    console.log(`server warn/error log lines: ${errorLines.length}; first ones:`);
    for (const l of errorLines.slice(0, 10)) console.log(`  ${JSON.stringify(l)}`);
  }

  const reasons = [];
  if (transportErrors) reasons.push(`${transportErrors} transport errors`);
  if (fiveXx) reasons.push(`${fiveXx} 5xx`);
  const unexpected = failureCount - transportErrors - fiveXx; // other statuses than the expected ones
  if (unexpected) reasons.push(`${unexpected} unexpected statuses`);
  if (Number.isNaN(growthKb) || growthKb > boundKb) reasons.push(`RSS grew ${mb(growthKb)} MB in the second half (bound ${mb(boundKb)} MB)`);
  if (exit.code !== 0) reasons.push(`the server did not stop cleanly (${JSON.stringify(exit)})`);
  console.log(`soak: ${reasons.length ? 'FAIL' : 'PASS'} — ${totalRequests} requests in ${elapsed.toFixed(0)} s ` +
              `(${(totalRequests / elapsed).toFixed(0)}/s) at ${CONNECTIONS} connections; ${transportErrors} transport errors, ` +
              `${fiveXx} 5xx, ${unexpected} unexpected; RSS ${mb(startKb)} → max ${mb(maxKb)} → ${mb(endKb)} MB, ` +
              `second half ${sign(growthKb)} MB (least RSS, bound +${mb(boundKb)} MB)` +
              (reasons.length ? `; ${reasons.join('; ')}` : ''));
  return reasons.length ? 1 : 0;
}
