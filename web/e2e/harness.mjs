// A small end-to-end harness: starts the real server binary on a loopback port, drives Debian's Chromium through
// playwright-core, runs named steps in order and reports "N passed, N failed". No sleeps: every wait polls with a
// deadline (Playwright's auto-waiting, or waitFor below).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(WEB_DIR, '..');
export const BINARY = resolve(WEB_DIR, process.env.AP_BINARY ?? '../build/bin/account-platform');
export const WEB_ROOT = resolve(WEB_DIR, 'dist');
export const SCREENSHOT_DIR = resolve(REPO_DIR, 'build/screenshots');
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

/**
 * Starts `account-platform serve` on 127.0.0.1:0 with a fresh data dir and returns { baseUrl, stop }.
 * The server's stderr goes to a log file shown on failure.
 */
export async function startServer({ adminEmail, adminPassword }) {
  if (!existsSync(BINARY)) throw new Error(`server binary not found at ${BINARY} (set AP_BINARY or build it)`);
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error(`no web build at ${WEB_ROOT}: run "npm run build" first`);
  const dataDir = tempDir('ap-e2e-data-');
  const logPath = join(dataDir, 'server.log');
  const log = createWriteStream(logPath);
  const child = spawn(
    BINARY,
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--web-root', WEB_ROOT, '--password-hash-memory-kib', '8192'],
    {
      env: {
        ...process.env,
        AP_ADMIN_EMAIL: adminEmail,
        AP_ADMIN_PASSWORD: adminPassword,
        // Only loopback traffic: every AWS call goes to AP_E2E_AWS_ENDPOINT (the simulator, when a step needs one)
        // or to a closed loopback port, fails at once and is never retried; no instance metadata lookups.
        AWS_ENDPOINT_URL: process.env.AP_E2E_AWS_ENDPOINT ?? 'http://127.0.0.1:9',
        AWS_MAX_ATTEMPTS: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const done = await waitFor(() => exited, { timeoutMs: 5000, what: 'server exit' }).catch(() => null);
    if (!done) child.kill('SIGKILL');
  };
  onCleanup(stop);

  let buffer = '';
  const baseUrl = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report its address in 20 s; log: ${logPath}`)), 20000);
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      const m = buffer.match(/Account Platform listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening; stdout: ${buffer.trim()}`));
    });
  });
  return { baseUrl, logPath, stop };
}

/** A Chromium with a fresh user-data-dir (so fresh cookies and localStorage). */
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
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function ensureScreenshotDir() {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return SCREENSHOT_DIR;
}

/** Removes the failure screenshots of an earlier run, so the folder shows this run only. */
export function clearFailureScreenshots() {
  if (!existsSync(SCREENSHOT_DIR)) return;
  for (const f of readdirSync(SCREENSHOT_DIR)) if (f.startsWith('failure-')) rmSync(join(SCREENSHOT_DIR, f), { force: true });
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
      console.log(`  FAIL  ${t.name} (${Date.now() - started} ms)\n        ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n        ')}`);
      await onFailure?.(t.name).catch(() => {});
    }
  }
  if (todo) console.log(`${todo} todo`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
