// Helpers for tests of the alerts API: wire ids of alerts, and alerts written straight into a stopped server's
// SQLite store (the way the evaluator stores them; store/alert_records.h has the document's shape), so that the
// API's alert routes can be exercised without making real traffic cross a threshold.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { REPO_ROOT } from './common.mjs';

const MAX_SORT_TIME = 9_999_999_999_999_999n;

// "<rule_id>|<account_id>|<region>|<model_id>" (domain::AlertKey).
export function alertKey({ ruleId, accountId, region = 'us-east-1', modelId = '' }) {
  return `${ruleId}|${accountId}|${region}|${modelId}`;
}

// The alert's id on the wire: base64url without padding of its key.
export function alertWireId(key) {
  return Buffer.from(key, 'utf8').toString('base64url');
}

const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;

// SQL that inserts one firing alert (run it with lib/platform.mjs sqlite() while the server is stopped, e.g. as
// the `between` step of Platform.restart). Returns { sql, key, id }.
export function seedAlertSql({ ruleId, accountId, region = 'us-east-1', modelId = '', startedAtMs = Date.now(),
  summary = 'seeded by the test', value = 0.05 }) {
  const key = alertKey({ ruleId, accountId, region, modelId });
  const doc = {
    key, rule_id: ruleId, account_id: accountId, region, model_id: modelId, state: 'firing',
    started_at_ms: startedAtMs, value, summary, notifications: 0, acknowledged_by: '', pending_notice: 'none',
    pending_since_ms: 0, deliveries: [],
  };
  const sortKey = `${String(MAX_SORT_TIME - BigInt(startedAtMs)).padStart(16, '0')}#${key}`;
  const sql = 'INSERT INTO alerts (alert_key, rule_id, account_id, state, started_at_ms, sort_key, pending_notice, ' +
    `pending_since_ms, revision, doc) VALUES (${quote(key)}, ${quote(ruleId)}, ${quote(accountId)}, 'firing', ` +
    `${startedAtMs}, ${quote(sortKey)}, 'none', 0, 1, ${quote(JSON.stringify(doc))});\n`;
  return { sql, key, id: alertWireId(key) };
}

// Starts server/test/app/webhook_receiver.mjs (verifies X-AP-Signature with `secret`, answers 500 to the first
// `fail` POSTs, 200 after). Resolves { url, deliveries(), stop() }.
export async function startWebhookReceiver({ secret = '', fail = 0 } = {}) {
  const script = resolve(REPO_ROOT, 'server/test/app/webhook_receiver.mjs');
  const child = spawn(process.execPath, [script, '--secret', secret, '--fail', String(fail)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolveUrl(out.slice(0, nl).trim());
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`webhook receiver exited (${code}) before listening`)));
  });
  return {
    url,
    async deliveries() {
      const r = await fetch(`${url}/deliveries`);
      return (await r.json()).deliveries;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
