// Shared plumbing of the integration harness: repository paths, polling with a deadline, line collection of child
// output, and a registry of live child processes that are killed if the test process exits without stopping them
// (so that a crashed test file never leaves a server or a simulator behind).
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = process.env.AP_REPO_ROOT ? resolve(process.env.AP_REPO_ROOT) : resolve(here, '../../../..');

// Polls `fn` until it returns a truthy value; fails with `what` after `timeoutMs`.
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Collects a stream's output as complete lines.
export function lineCollector(stream, lines) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    partial += chunk;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      lines.push(partial.slice(0, nl));
      partial = partial.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (partial) lines.push(partial);
    partial = '';
  });
}

const live = new Set();
let hooked = false;
// Remembers a child until untrackChild(); on process exit every remembered child gets SIGKILL.
export function trackChild(child) {
  live.add(child);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const c of live) {
        try {
          c.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
  }
}

export function untrackChild(child) {
  live.delete(child);
}
