// Lighthouse 12 on the production build served by the real server binary: /login (logged out) and / (the
// dashboard, logged in as the admin through a Cookie header), with Lighthouse's mobile (default: simulated slow 4G,
// 4x CPU slowdown) and desktop presets. Prints the category scores and FCP/LCP/TBT/CLS/Speed Index and writes them
// to build/lighthouse/summary.json (and one JSON report per run next to it).
//   node scripts/lighthouse.mjs [runs=1] [login|dashboard] [mobile|desktop]   (npm run bench:lighthouse; after
//   `npm run build`; the optional filters run one page and/or one preset)
// With runs > 1 each cell is the median run by performance score. Chromium is Debian's (AP_CHROMIUM), started here
// with a DevTools port (no puppeteer, no chrome-launcher); the AWS simulator answers the dashboard's AWS reads.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  cleanupAll,
  onCleanup,
  REPO_DIR,
  startServer,
  startSimulator,
  tempDir,
} from '../e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 1);
const only = new Set(process.argv.slice(3));
const ADMIN = { email: 'admin@example.com', password: 'bench-password-1' };
const OUT_DIR = join(REPO_DIR, 'build/lighthouse');

// Lighthouse is a devDependency; AP_LIGHTHOUSE may name another install's package directory instead.
const LH = process.env.AP_LIGHTHOUSE ?? 'lighthouse';
const { default: lighthouse } = await import(`${LH}/core/index.js`);
const { default: desktopConfig } = await import(`${LH}/core/config/desktop-config.js`);

/** Starts Chromium with a fresh profile and a DevTools port; resolves with the port. */
async function startChromium() {
  const profile = tempDir('ap-lh-chrome-');
  const child = spawn(CHROMIUM, [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools port in 20 s: ${err}`)), 20000);
    child.stderr.on('data', (chunk) => {
      err += chunk.toString();
      const m = err.match(/DevTools listening on ws:\/\/[^:]+:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`Chromium exited with ${code}: ${err}`)));
  });
}

/** Logs in through the API and returns the Cookie header value of the session. */
async function sessionCookie(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'account-platform' },
    body: JSON.stringify(ADMIN),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ap_session='));
  if (!cookie) throw new Error('login set no ap_session cookie');
  return cookie.split(';')[0];
}

const METRICS = {
  fcp: 'first-contentful-paint',
  lcp: 'largest-contentful-paint',
  tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  si: 'speed-index',
};

async function audit(port, url, preset, cookie) {
  const flags = {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
  };
  const result = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`${url} (${preset}): ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = (id) => lhr.categories[id]?.score ?? null;
  const failing = Object.values(lhr.audits)
    .filter(
      (a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual',
    )
    .filter((a) => a.scoreDisplayMode !== 'metricSavings' || a.score < 0.9)
    .map((a) => `${a.id} (${a.score})`);
  return {
    url: new URL(url).pathname,
    preset,
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    ...Object.fromEntries(Object.entries(METRICS).map(([k, id]) => [k, lhr.audits[id]?.numericValue ?? null])),
    failing,
    report: result.report,
  };
}

const median = (xs) => [...xs].sort((a, b) => a.performance - b.performance)[Math.floor(xs.length / 2)];
const fmt = (r) =>
  `| \`${r.url}\` | ${r.preset} | ${r.performance} | ${r.accessibility} | ${r.bestPractices} | ${r.seo} | ` +
  `${(r.fcp / 1000).toFixed(2)} s | ${(r.lcp / 1000).toFixed(2)} s | ${Math.round(r.tbt)} ms | ${r.cls.toFixed(3)} | ` +
  `${(r.si / 1000).toFixed(2)} s |`;

try {
  const sim = await startSimulator();
  const server = await startServer({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, awsEndpoint: sim.url });
  const cookie = await sessionCookie(server.baseUrl);
  const port = await startChromium();
  mkdirSync(OUT_DIR, { recursive: true });
  const rows = [];
  for (const [path, auth] of [
    ['/login', false],
    ['/', true],
  ]) {
    for (const preset of ['mobile', 'desktop']) {
      const name = `${path === '/' ? 'dashboard' : 'login'}-${preset}`;
      if ((only.has('login') || only.has('dashboard')) && !only.has(name.split('-')[0])) continue;
      if ((only.has('mobile') || only.has('desktop')) && !only.has(preset)) continue;
      const results = [];
      for (let i = 0; i < runs; i += 1)
        results.push(await audit(port, `${server.baseUrl}${path}`, preset, auth && cookie));
      const r = median(results);
      writeFileSync(join(OUT_DIR, `${name}.json`), r.report);
      delete r.report;
      rows.push(r);
      console.error(
        `${name}: performance ${r.performance}${r.failing.length ? `; below 1: ${r.failing.join(', ')}` : ''}`,
      );
    }
  }
  writeFileSync(join(OUT_DIR, 'summary.json'), JSON.stringify({ date: new Date().toISOString(), runs, rows }, null, 2));
  console.log(`Lighthouse ${runs} run(s) per cell (${server.baseUrl}); reports in ${OUT_DIR}`);
  console.log(
    '| page | preset | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | Speed Index |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(fmt(r));
} finally {
  await cleanupAll();
}
