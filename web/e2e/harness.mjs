// A small end-to-end harness: starts the real server binary on a loopback port, drives Debian's Chromium through
// playwright-core, runs named steps in order and reports "N passed, N failed". No sleeps: every wait polls with a
// deadline (Playwright's auto-waiting, or waitFor below).
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  createWriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(WEB_DIR, '..');
export const BINARY = resolve(WEB_DIR, process.env.AP_BINARY ?? '../build/bin/account-platform');
export const WEB_ROOT = resolve(WEB_DIR, 'dist');
export const SCREENSHOT_DIR = resolve(REPO_DIR, 'build/screenshots');
export const SIMULATOR = resolve(WEB_DIR, process.env.AP_AWS_SIM ?? '../tools/aws-sim/server.mjs');
export const CHROMIUM = process.env.AP_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const cleanups = [];
/** Registers a clean-up step; they run in reverse order at exit, whatever happened. */
export function onCleanup(fn) {
  cleanups.push(fn);
}
export async function cleanupAll() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup: ${e?.message ?? e}`);
    }
  }
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls fn until it returns a truthy value or the deadline passes. */
export async function waitFor(fn, { timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Options of newer servers, passed only when this binary knows them (so the runner works with older ones too). */
function extraServerArgs() {
  try {
    const help = execFileSync(BINARY, ['serve', '--help'], { encoding: 'utf8' });
    return [
      ...(help.includes('--refresh-interval') ? ['--refresh-interval', '0'] : []),
      // Usage is polled when a step asks for it, never on a schedule.
      ...(help.includes('--usage-interval') ? ['--usage-interval', '0'] : []),
    ];
  } catch {
    return [];
  }
}

/** Reads a child's stdout until `pattern` matches; resolves with the first group. */
function readAddress(child, pattern, what, logPath) {
  let buffer = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not report its address in 20 s; log: ${logPath}`)),
      20000,
    );
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      const m = buffer.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`${what} exited with ${code} before listening; stdout: ${buffer.trim()}; log: ${tail(logPath, 10)}`),
      );
    });
  });
}

// Last resort: whatever way this process ends (an uncaught error, a closed stdout pipe), no child outlives it.
const children = new Set();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
// A reader that goes away (`npm run e2e | head`) must not crash the runner before it has cleaned up.
process.stdout.on('error', () => {});

/** Stops a child: SIGTERM, then SIGKILL if it has not exited within 5 s. */
function stopper(child) {
  children.add(child);
  let exited = child.exitCode !== null;
  child.on('exit', () => {
    exited = true;
    children.delete(child);
  });
  return async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const done = await waitFor(() => exited, { timeoutMs: 5000, what: 'exit' }).catch(() => false);
    if (!done) child.kill('SIGKILL');
  };
}

/**
 * Starts the AWS simulator (tools/aws-sim) on a loopback port and returns { url, control(method, path, body), stop }.
 * control() speaks its /_sim control API.
 */
export async function startSimulator() {
  if (!existsSync(SIMULATOR)) throw new Error(`AWS simulator not found at ${SIMULATOR} (set AP_AWS_SIM)`);
  const dir = tempDir('ap-e2e-sim-');
  const logPath = join(dir, 'sim.log');
  const child = spawn(process.execPath, [SIMULATOR, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(createWriteStream(logPath));
  const stop = stopper(child);
  onCleanup(stop);
  const url = await readAddress(child, /(http:\/\/127\.0\.0\.1:\d+)/, 'the AWS simulator', logPath);
  const control = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { url, control, stop, logPath };
}

/**
 * Starts `account-platform serve` on 127.0.0.1:0 with a fresh data dir and returns { baseUrl, stop }.
 * The server's stderr goes to a log file shown on failure.
 */
export async function startServer({ adminEmail, adminPassword, awsEndpoint }) {
  if (!existsSync(BINARY)) throw new Error(`server binary not found at ${BINARY} (set AP_BINARY or build it)`);
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error(`no web build at ${WEB_ROOT}: run "npm run build" first`);
  const dataDir = tempDir('ap-e2e-data-');
  const logPath = join(dataDir, 'server.log');
  const log = createWriteStream(logPath);
  const child = spawn(
    BINARY,
    [
      'serve',
      '--listen',
      '127.0.0.1:0',
      '--data-dir',
      dataDir,
      '--web-root',
      WEB_ROOT,
      '--password-hash-memory-kib',
      '8192',
      ...extraServerArgs(),
    ],
    {
      env: {
        ...process.env,
        AP_ADMIN_EMAIL: adminEmail,
        AP_ADMIN_PASSWORD: adminPassword,
        // Only loopback traffic: every AWS call goes to the simulator (or, without one, to a closed loopback port
        // where it fails at once); no instance metadata lookups, no scheduled refreshes. Retries stay as in
        // production: a stray throttle from the simulator is absorbed instead of failing a value (the injected
        // access_denied faults are not retried anyway).
        AWS_ENDPOINT_URL: awsEndpoint ?? 'http://127.0.0.1:9',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr.pipe(log);
  const stop = stopper(child);
  onCleanup(stop);
  const baseUrl = await readAddress(child, /Account Platform listening on (http:\/\/[^\s]+)/, 'the server', logPath);
  return { baseUrl, logPath, stop };
}

/** A Chromium with a fresh user-data-dir (so fresh cookies and localStorage). */
// Console messages of every browser launched here that report a Content-Security-Policy violation (Chromium logs
// each one as "Refused to ... because it violates the following Content Security Policy directive ...").
export const cspViolations = [];

export async function launchBrowser({ locale = 'en-US', viewport = { width: 1280, height: 900 } } = {}) {
  const userDataDir = tempDir('ap-e2e-chrome-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--lang=${locale}`],
    locale,
    viewport,
  });
  onCleanup(() => context.close());
  context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(`${msg.location()?.url ?? ''}: ${msg.text()}`);
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function ensureScreenshotDir() {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return SCREENSHOT_DIR;
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Builds the web app when dist/ is missing or older than a source file, so the run tests the current code. */
export function ensureFreshBuild() {
  const index = join(WEB_ROOT, 'index.html');
  const sources = Math.max(newestMtime(join(WEB_DIR, 'src')), statSync(join(WEB_DIR, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('e2e: building the web app (dist/ is missing or older than src/)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: WEB_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Removes the failure screenshots of an earlier run, so the folder shows this run only. */
export function clearFailureScreenshots() {
  if (!existsSync(SCREENSHOT_DIR)) return;
  for (const f of readdirSync(SCREENSHOT_DIR))
    if (f.startsWith('failure-')) rmSync(join(SCREENSHOT_DIR, f), { force: true });
}

/** The last lines of a file, or '' when it cannot be read. */
export function tail(path, lines = 30) {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const tests = [];
/** Declares a step; steps run in order and may build on one another. */
export function test(name, fn) {
  tests.push({ name, fn });
}
/** A step to be written later (needs the simulator and the refresh route). */
test.todo = (name) => tests.push({ name, todo: true });

/** Runs every step, prints one line each and "N passed, N failed" last; returns the exit code. */
export async function runAll({ onFailure } = {}) {
  let passed = 0;
  let failed = 0;
  let todo = 0;
  for (const t of tests) {
    if (t.todo) {
      todo += 1;
      console.log(`  todo  ${t.name}`);
      continue;
    }
    const started = Date.now();
    try {
      await t.fn();
      passed += 1;
      console.log(`  ok    ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed += 1;
      console.log(
        `  FAIL  ${t.name} (${Date.now() - started} ms)\n        ${String(e?.stack ?? e)
          .split('\n')
          .slice(0, 6)
          .join('\n        ')}`,
      );
      await onFailure?.(t.name).catch(() => {});
    }
  }
  if (todo) console.log(`${todo} todo`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
