// Exports (issue 14 §2) against the real binary: 1,000+ accounts seeded into the store, the fleet export's row
// count (accounts × regions × models × dimensions), never-read values empty (a real zero stays 0), a user's export
// limited to their team, chunked transfer, CSV/JSON/BOM, and `account-platform export` reading the same store.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ADMIN, Platform, assertError, assertStatus, runBinary, sqlite } from './lib/platform.mjs';

const TEMPLATE_A = '410000000001'; // team-a, two regions
const TEMPLATE_B = '420000000001'; // team-b, one region
const CLONES_A = 600;
const CLONES_B = 500;
const ZERO = '310000000007'; // a clone of A given a real zero value

// Copies of a template account (rows of `accounts` and of its list index) under ids prefix + i.
function cloneSql(template, prefix, count, name) {
  return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO accounts SELECT printf('${prefix}%09d', i), printf('${name} %04d', i), regions, teams, status, credential_type,
  access_key_id_masked, role_arn, sealed_credentials, created_at_ms, updated_at_ms, created_by, version
  FROM accounts, n WHERE account_id = '${template}';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO account_list SELECT l.scope, l.status, printf('${name} %04d', i), printf('${prefix}%09d', i)
  FROM account_list l, n WHERE l.account_id = '${template}';
UPDATE account_counts SET count = count + ${count} WHERE status = 'active';`;
}

// GET over node:http, to see the framing headers fetch hides. Resolves { status, headers, body (Buffer) }.
function rawGet(p, path, token) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(p.url(path), { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function csvRows(text) {
  const lines = text.split('\r\n');
  assert.equal(lines.pop(), '', 'CRLF after the last row');
  return lines;
}

describe('exports', { timeout: 180000 }, () => {
  let p;
  let adminToken;
  let userA;
  let perRegion; // rows per (account, region): the dashboard models' dimensions

  before(async () => {
    p = await Platform.start({ args: ['--usage-interval', '0'] });
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    await p.createAccount(adminToken, { account_id: TEMPLATE_A, account_name: 'Template A', regions: ['us-east-1', 'us-west-2'], teams: ['team-a'] });
    await p.createAccount(adminToken, { account_id: TEMPLATE_B, account_name: 'Template B', regions: ['eu-west-1'], teams: ['team-b'] });
    await p.createUser(adminToken, { email: 'export-a@example.com', teams: ['team-a'] });
    userA = await p.login('export-a@example.com', 'user-password-0123');
    const config = (await p.api('GET', '/api/admin/quota-config', { token: adminToken })).json;
    const shown = config.models.filter((m) => m.enabled && m.show_in_dashboard);
    perRegion = shown.reduce((n, m) => n + (m.has_1m_context ? 4 : 2), 0);
    assert.ok(perRegion > 0);
    const sonnet = shown.find((m) => m.quota_code_tpm);
    await p.waitNoRefresh(adminToken);
    const now = Date.now();
    const sql = ['BEGIN;', cloneSql(TEMPLATE_A, '310', CLONES_A, 'seed a'), cloneSql(TEMPLATE_B, '320', CLONES_B, 'seed b'),
      `DELETE FROM quota_values WHERE account_id IN ('${TEMPLATE_A}', '${TEMPLATE_B}');`,
      `INSERT OR REPLACE INTO quota_snapshots (account_id, region, updated_at_ms) VALUES ('${ZERO}', 'us-east-1', ${now});`,
      `INSERT INTO quota_values (account_id, region, quota_code, value, state, is_default, reason, read_at_ms, attempted_at_ms) VALUES ('${ZERO}', 'us-east-1', '${sonnet.quota_code_tpm}', 0, 'ok', 0, '', ${now}, ${now});`,
      'COMMIT;'].join('\n');
    p = await p.restart({ args: ['--usage-interval', '0', '--rebuild-aggregates'] }, (dir) => sqlite(dir, sql));
    adminToken = await p.login(ADMIN.email, ADMIN.password);
    userA = await p.login('export-a@example.com', 'user-password-0123');
  });

  after(async () => {
    if (p) await p.stop();
  });

  test('the admin\'s fleet CSV: one row per account × region × model × dimension, streamed with chunked encoding', async () => {
    const res = await rawGet(p, '/api/exports/fleet', adminToken);
    assert.equal(res.status, 200);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-length'], undefined);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(res.headers['content-disposition'], /^attachment; filename="fleet-\d{8}T\d{6}Z\.csv"$/);
    const rows = csvRows(res.body.toString('utf8'));
    assert.equal(rows[0], 'account_id,account_name,team,region,model_id,dimension,value,state,source,read_at,stale_reason,usage_peak_24h,headroom_24h');
    const accountRegions = (CLONES_A + 1) * 2 + (CLONES_B + 1) * 1;
    assert.equal(rows.length - 1, accountRegions * perRegion);
    const cells = rows.slice(1).map((r) => r.split(','));
    // Never read: empty, never 0. The one real zero stays 0.
    const zero = cells.filter((c) => c[6] === '0');
    assert.equal(zero.length, 1);
    assert.equal(zero[0][0], ZERO);
    assert.equal(zero[0][7], 'ok');
    const never = cells.filter((c) => c[7] === 'never');
    assert.equal(never.length, rows.length - 2);
    assert.ok(never.every((c) => c[6] === '' && c[8] === ''));
    assert.equal(new Set(cells.map((c) => c[0])).size, CLONES_A + CLONES_B + 2);
  });

  test('a user exports only their team\'s accounts; JSON is one array', async () => {
    const res = await rawGet(p, '/api/exports/fleet?format=json', userA);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const rows = JSON.parse(res.body.toString('utf8'));
    assert.equal(rows.length, (CLONES_A + 1) * 2 * perRegion);
    assert.ok(rows.every((r) => r.team === 'team-a'));
    assert.ok(rows.every((r) => r.value === null || r.account_id === ZERO));
    // Filters as in the UI.
    const west = await rawGet(p, '/api/exports/fleet?region=us-west-2&bom=true', adminToken);
    const text = west.body.toString('utf8');
    assert.ok(text.startsWith('\uFEFFaccount_id,'), 'BOM first');
    assert.equal(csvRows(text).length - 1, (CLONES_A + 1) * perRegion);
  });

  test('bad filters are 422 naming the field; the audit log export is for admins; exports are audited', async () => {
    assertError(await p.api('GET', '/api/exports/fleet?format=xlsx', { token: adminToken }), 422, 'validation_failed', { field: 'format' });
    assertError(await p.api('GET', '/api/exports/fleet?region=mars-1', { token: adminToken }), 422, 'validation_failed', { field: 'region' });
    assertError(await p.api('GET', '/api/exports/audit-log', { token: userA }), 403, 'forbidden');
    const audit = await rawGet(p, '/api/exports/audit-log?format=json&action=export.', adminToken);
    assert.equal(audit.status, 200);
    const entries = JSON.parse(audit.body.toString('utf8'));
    assert.ok(entries.some((e) => e.action === 'export.fleet' && e.outcome === 'success'));
    const hist = await rawGet(p, `/api/exports/quota-history?account_id=${TEMPLATE_A}`, adminToken);
    assert.equal(hist.status, 200);
    assert.ok(hist.body.toString('utf8').startsWith('account_id,region,at,quota_code'));
    const inc = await rawGet(p, '/api/exports/quota-increases', adminToken);
    assert.equal(inc.status, 200);
  });

  test('`account-platform export fleet` reads the same store and writes the same rows', async () => {
    const http = csvRows((await rawGet(p, '/api/exports/fleet?team=team-b', adminToken)).body.toString('utf8'));
    await p.stop({ keepDataDir: true, keepSim: true });
    const out = join(p.dataDir, 'fleet.csv');
    const r = await runBinary(['export', 'fleet', '--data-dir', p.dataDir, '--team', 'team-b', '--output', out, '--log-level', 'error']);
    assert.equal(r.code, 0, r.stderr);
    const cli = csvRows(await readFile(out, 'utf8'));
    assert.deepEqual(cli, http);
    const bad = await runBinary(['export', 'fleet', '--data-dir', p.dataDir, '--region', 'mars-1', '--log-level', 'error']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--region: unknown region mars-1/);
    p = await p.startAgain({ args: ['--usage-interval', '0'] });
  });
});
