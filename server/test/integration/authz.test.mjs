// The route walk: every route of the router, called as anonymous, as a user of team A (account X belongs to team
// A), as a user of team B, and as an admin, with valid request bodies so that the status reflects authorization
// and not validation. The table must name every route registered in server/src/api/*.cc, and every route there
// must be in the table.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedAlertSql, startWebhookReceiver } from './lib/alerts.mjs';
import { ADMIN, Platform, REPO_ROOT, assertError, assertStatus, sqlite, waitFor } from './lib/platform.mjs';

const X = '111111111111'; // team-a
const THROWAWAY = '999000000001'; // team-a, deleted by the admin
const NEW_ACCOUNT = '999000000002'; // created by the admin
const PUBLIC = new Set([
  'GET /health',
  'GET /ready',
  'GET /api/openapi.json',
  'POST /api/auth/login',
  'GET /api/auth/session',
]);
// The account POSTs users may call: users of the account's teams may refresh its quotas and its usage (unless the
// server runs with --users-may-refresh false; see refresh.test.mjs).
const REFRESHES = new Set(['POST /api/accounts/{id}/quota/refresh', 'POST /api/accounts/{id}/usage/refresh']);

const INCREASE_PREVIEW = { targets: [{ account_id: X, region: 'us-east-1' }], model_id: 'claude-sonnet-4.5-v1', dimension: 'tpm', desired_value: 1e9 };
const BILLING = {
  full_name: 'Jane Doe', address_line1: '1 Main St', city: 'Seattle', country_code: 'US', phone_number: '+1 206 555 0100',
  postal_code: '98109',
};

// Expected status per caller: [anonymous, user of team A, user of team B, admin].
// `query` (a function of `c`, "?…") is appended to the path. path and body may be functions of the shared context `c` (ids created in before()); `settle(c)`, when given, runs
// before the route's calls (to wait for background work an earlier row started).
const ROUTES = [
  // system
  { method: 'GET', path: '/health', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/ready', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/api/openapi.json', expect: [200, 200, 200, 200] },
  { method: 'GET', path: '/metrics', expect: [401, 403, 403, 200] },
  // auth
  { method: 'POST', path: '/api/auth/login', body: (c) => ({ email: c.probe.email, password: c.probe.password }), expect: [200, 200, 200, 200] },
  { method: 'POST', path: '/api/auth/logout', freshToken: true, expect: [401, 204, 204, 204] },
  { method: 'GET', path: '/api/auth/me', expect: [401, 200, 200, 200] },
  { method: 'GET', path: '/api/auth/session', expect: [200, 200, 200, 200] },
  // Everyone's own password; the users send the admin's (wrong for them: 422). The admin's session stays.
  { method: 'POST', path: '/api/auth/password', body: () => ({ current_password: ADMIN.password, new_password: `${ADMIN.password}-walked` }), expect: [401, 422, 422, 200] },
  { method: 'GET', path: '/api/admin/onboarding/assume-role', expect: [401, 403, 403, 200] },
  // users, teams, audit
  { method: 'GET', path: '/api/admin/users', expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/admin/users', body: () => ({ email: 'walk-new@example.com', role: 'user' }), expect: [401, 403, 403, 201] },
  { method: 'PATCH', path: '/api/admin/users/{id}', id: (c) => c.victimToPatch, body: () => ({ role: 'admin', teams: ['team-b'] }), expect: [401, 403, 403, 200] },
  { method: 'DELETE', path: '/api/admin/users/{id}', id: (c) => c.victimToDelete, expect: [401, 403, 403, 204] },
  { method: 'GET', path: '/api/admin/teams', expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/admin/teams', body: () => ({ team_id: 'walk-team', name: 'Walk' }), expect: [401, 403, 403, 201] },
  { method: 'DELETE', path: '/api/admin/teams/{id}', id: () => 'doomed-team', expect: [401, 403, 403, 204] },
  { method: 'GET', path: '/api/admin/audit-log', expect: [401, 403, 403, 200] },
  // accounts
  { method: 'GET', path: '/api/accounts', expect: [401, 200, 200, 200] },
  { method: 'POST', path: '/api/accounts', body: (c) => ({ account_id: NEW_ACCOUNT, account_name: 'New', teams: ['team-a'], credentials: c.newAccount.credentials }), expect: [401, 403, 403, 201] },
  { method: 'GET', path: '/api/accounts/{id}', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'PATCH', path: '/api/accounts/{id}', id: () => X, body: () => ({ account_name: 'Renamed by the walk' }), expect: [401, 403, 403, 200] },
  { method: 'DELETE', path: '/api/accounts/{id}', id: () => THROWAWAY, expect: [401, 403, 403, 204] },
  { method: 'GET', path: '/api/accounts/{id}/credentials', id: () => X, expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/accounts/{id}/billing', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'PUT', path: '/api/accounts/{id}/billing', id: () => X, body: () => BILLING, expect: [401, 403, 403, 200] },
  // quota
  { method: 'GET', path: '/api/accounts/{id}/quota', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/accounts/{id}/quota/refresh', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/accounts/{id}/usage/refresh', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'GET', path: '/api/accounts/{id}/quota/history', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'GET', path: '/api/accounts/{id}/usage/history', id: () => X, query: () => '?model_id=claude-sonnet-4.5-v1', expect: [401, 200, 403, 200] },
  // usage: users name one of their teams (team B's user is not in team A)
  { method: 'GET', path: '/api/usage/headroom', query: () => '?team=team-a', expect: [401, 200, 403, 200] },
  // gateway routing export (issue 14 §4): users for their teams; the secrets variant is admin-only
  { method: 'GET', path: '/api/exports/litellm', query: () => '?model_id=claude-opus-4.5&team=team-a', expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/admin/exports/litellm-with-secrets', body: () => ({ model_ids: ['claude-opus-4.5'] }), expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/admin/quota-config', expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/admin/available-models', expect: [401, 403, 403, 200] },
  { method: 'PUT', path: '/api/admin/quota-config', body: (c) => c.currentConfig(), expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/dashboard/stats', expect: [401, 200, 200, 200] },
  // exports (issue 14 §2): as the matching views
  { method: 'GET', path: '/api/exports/fleet', expect: [401, 200, 200, 200] },
  { method: 'GET', path: '/api/exports/quota-history', query: () => `?account_id=${X}`, expect: [401, 200, 403, 200] },
  { method: 'GET', path: '/api/exports/quota-increases', expect: [401, 200, 200, 200] },
  { method: 'GET', path: '/api/exports/audit-log', expect: [401, 403, 403, 200] },
  // fleet jobs (c.interruptedJob: a job interrupted by a restart in before())
  { method: 'GET', path: '/api/jobs', expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/jobs/{id}', id: (c) => c.interruptedJob, expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/jobs/{id}/items', id: (c) => c.interruptedJob, expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/jobs/{id}/resume', id: (c) => c.interruptedJob, expect: [401, 403, 403, 202] },
  { method: 'POST', path: '/api/admin/quota/refresh-all', settle: (c) => c.noJobRunning(), expect: [401, 403, 403, 202] },
  // quota increase requests (c.increase: a request for account X made in before(); users may not request without
  // --users-may-request)
  { method: 'POST', path: '/api/quota-increases/preview', body: () => INCREASE_PREVIEW, expect: [401, 200, 200, 200] },
  { method: 'GET', path: '/api/quota-increases', query: () => `?account_id=${X}`, expect: [401, 200, 403, 200] },
  { method: 'GET', path: '/api/quota-increases/{id}', id: (c) => c.increase, expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/quota-increases/{id}/check', id: (c) => c.increase, expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/accounts/{id}/quota-increases', id: () => X, expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/accounts/{id}/quota-increases', id: () => X, body: () => ({ region: 'us-east-1', model_id: 'claude-opus-4.5', dimension: 'tpm', desired_value: 1e9 }), expect: [401, 403, 403, 201] },
  { method: 'POST', path: '/api/accounts/{id}/quota-increases/sync', id: () => X, expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/quota-increases/bulk', body: () => ({ ...INCREASE_PREVIEW, model_id: 'claude-opus-4.6-v1' }), expect: [401, 403, 403, 202] },
  // alerts (rules and channels made in before(); c.alert is an alert of account X seeded into the store at the
  // restart; the channel test delivers to a local receiver)
  { method: 'GET', path: '/api/admin/alert-rules', expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/admin/alert-rules', body: () => ALERT_RULE, expect: [401, 403, 403, 201] },
  { method: 'GET', path: '/api/admin/alert-rules/{id}', id: (c) => c.rule, expect: [401, 403, 403, 200] },
  { method: 'PUT', path: '/api/admin/alert-rules/{id}', id: (c) => c.rule, body: (c) => c.current(`/api/admin/alert-rules/${c.rule}`, ALERT_RULE), expect: [401, 403, 403, 200] },
  { method: 'DELETE', path: '/api/admin/alert-rules/{id}', id: (c) => c.doomedRule, query: () => '?version=1', expect: [401, 403, 403, 204] },
  { method: 'GET', path: '/api/admin/alert-channels', expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/admin/alert-channels', body: (c) => c.channelBody, expect: [401, 403, 403, 201] },
  { method: 'GET', path: '/api/admin/alert-channels/{id}', id: (c) => c.channel, expect: [401, 403, 403, 200] },
  { method: 'PUT', path: '/api/admin/alert-channels/{id}', id: (c) => c.channel, body: (c) => c.current(`/api/admin/alert-channels/${c.channel}`, { name: 'walked' }), expect: [401, 403, 403, 200] },
  { method: 'DELETE', path: '/api/admin/alert-channels/{id}', id: (c) => c.doomedChannel, query: () => '?version=1', expect: [401, 403, 403, 204] },
  { method: 'POST', path: '/api/admin/alert-channels/{id}/test', id: (c) => c.channel, expect: [401, 403, 403, 200] },
  { method: 'GET', path: '/api/alerts', query: () => `?account_id=${X}`, expect: [401, 200, 403, 200] },
  { method: 'GET', path: '/api/alerts/{id}', id: (c) => c.alert, expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/alerts/{id}/ack', id: (c) => c.alert, expect: [401, 200, 403, 200] },
  { method: 'POST', path: '/api/alerts/{id}/mute', id: (c) => c.alert, body: () => ({ until: new Date(Date.now() + 3600_000).toISOString() }), expect: [401, 200, 403, 200] },
  // organizations onboarding (account X is the management account of an organization made in the simulator)
  { method: 'GET', path: '/api/admin/organizations/{id}/accounts', id: () => X, settle: (c) => c.organization(), expect: [401, 403, 403, 200] },
  { method: 'POST', path: '/api/admin/organizations/{id}/register', id: () => X, settle: (c) => c.organization(), body: () => ({ account_ids: [X] }), expect: [401, 403, 403, 200] },
];

const ALERT_RULE = { name: 'walk rule', condition: 'refresh_failing', scope: { kind: 'fleet' }, duration_minutes: 30 };
const WALK_SECRET = 'walk-secret-0123456789';

const CALLERS = ['anonymous', 'user of team A', 'user of team B', 'admin'];
const ERROR_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 422: 'validation_failed' };

// Routes registered in the API sources: `r.Add({"METHOD", "/path"`.
async function registeredRoutes() {
  const dir = join(REPO_ROOT, 'server/src/api');
  const out = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.cc')).sort()) {
    const src = await readFile(join(dir, f), 'utf8');
    for (const m of src.matchAll(/\br\.Add\(\s*\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g)) out.push(`${m[1]} ${m[2]}`);
    // Routes built first and added with r.Add(std::move(route)): `Route name{"METHOD", "/path"`.
    for (const m of src.matchAll(/\bRoute\s+\w+\s*\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"/g)) out.push(`${m[1]} ${m[2]}`);
  }
  return out;
}

describe('authorization route walk', () => {
  let p;
  const c = {};
  const tokens = [];
  before(async () => {
    // One account at a time in fleet jobs, so that a restart reliably interrupts one.
    const args = ['--fleet-concurrency', '1'];
    p = await Platform.start({ args });
    c.adminToken = await p.login(ADMIN.email, ADMIN.password);
    await p.createAccount(c.adminToken, { account_id: X, teams: ['team-a'] });
    await p.createAccount(c.adminToken, { account_id: THROWAWAY, teams: ['team-a'] });
    await p.waitNotRefreshing(c.adminToken, X);
    await p.waitNotRefreshing(c.adminToken, THROWAWAY);
    // A fleet job that a restart interrupts: slow AWS answers keep its first account in flight.
    const slow = await p.sim.fault({ operation: 'GetServiceQuota', latency_ms: 300 });
    const job = await p.api('POST', '/api/admin/quota/refresh-all', { token: c.adminToken });
    assertStatus(job, 202);
    c.interruptedJob = job.json.job_id;
    const seeded = seedAlertSql({ ruleId: 'ar_walk', accountId: X });
    c.alert = seeded.id;
    p = await p.restart({ args }, (dir) => sqlite(dir, seeded.sql));
    await p.sim.removeFault(slow.id);
    c.adminToken = await p.login(ADMIN.email, ADMIN.password);
    const increase = await p.api('POST', `/api/accounts/${X}/quota-increases`, {
      token: c.adminToken, body: { region: 'us-east-1', model_id: 'claude-sonnet-4.5-v1', dimension: 'tpm', desired_value: 1e9 } });
    assertStatus(increase, 201);
    c.increase = increase.json.request_id;
    const interrupted = await p.api('GET', `/api/jobs/${c.interruptedJob}`, { token: c.adminToken });
    assertStatus(interrupted, 200);
    assert.equal(interrupted.json.state, 'interrupted', interrupted.text);
    c.noJobRunning = () => waitFor(async () => {
      const r = await p.api('GET', '/api/jobs', { token: c.adminToken });
      assertStatus(r, 200);
      return r.json.items.every((j) => j.state !== 'running');
    }, { timeoutMs: 30000, intervalMs: 50, what: 'no fleet job running' });
    c.newAccount = await p.awsAccount({ account_id: NEW_ACCOUNT });
    c.organization = () => p.sim.control('PUT', `/_sim/organizations/${X}`, { accounts: [] });
    c.userA = await p.createUser(c.adminToken, { email: 'walk-a@example.com', teams: ['team-a'] });
    c.userB = await p.createUser(c.adminToken, { email: 'walk-b@example.com', teams: ['team-b'] });
    c.probe = { email: 'walk-probe@example.com', password: 'probe-password-1' };
    await p.createUser(c.adminToken, { ...c.probe });
    c.victimToPatch = (await p.createUser(c.adminToken, { email: 'walk-patch@example.com' })).user.user_id;
    c.victimToDelete = (await p.createUser(c.adminToken, { email: 'walk-delete@example.com' })).user.user_id;
    assertStatus(await p.api('POST', '/api/admin/teams', { token: c.adminToken, body: { team_id: 'doomed-team' } }), 201);
    assertStatus(await p.api('PUT', `/api/accounts/${X}/billing`, { token: c.adminToken, body: BILLING }), 200);
    c.currentConfig = async () => {
      const r = await p.api('GET', '/api/admin/quota-config', { token: c.adminToken });
      assertStatus(r, 200);
      return { version: r.json.version, models: r.json.models };
    };
    c.receiver = await startWebhookReceiver({ secret: WALK_SECRET });
    c.channelBody = { kind: 'webhook', name: 'walk hook', url: `${c.receiver.url}/hook`, secret: WALK_SECRET };
    const made = async (path, body) => {
      const r = await p.api('POST', path, { token: c.adminToken, body });
      assertStatus(r, 201);
      return r.json.id;
    };
    c.channel = await made('/api/admin/alert-channels', c.channelBody);
    c.doomedChannel = await made('/api/admin/alert-channels', c.channelBody);
    c.rule = await made('/api/admin/alert-rules', { ...ALERT_RULE, channel_ids: [c.channel] });
    c.doomedRule = await made('/api/admin/alert-rules', ALERT_RULE);
    // A PUT body: `fields` over the stored resource's version.
    c.current = async (path, fields) => {
      const r = await p.api('GET', path, { token: c.adminToken });
      assertStatus(r, 200);
      return { ...r.json, ...fields, version: r.json.version };
    };
    tokens.push(null, c.userA.token, c.userB.token, c.adminToken);
  });
  after(async () => {
    // No refresh in flight at the stop (so that what follows does not depend on the
    // timing of background refreshes).
    if (p) await p.waitNoRefresh(c.adminToken).catch(() => {});
    if (p) await p.stop();
    if (c.receiver) await c.receiver.stop();
  });

  test('the table covers exactly the registered routes', async () => {
    const registered = await registeredRoutes();
    assert.ok(registered.length >= 20, `parsed ${registered.length} routes; did the registration syntax change?`);
    assert.equal(new Set(registered).size, registered.length, 'no route is registered twice');
    const table = ROUTES.map((r) => `${r.method} ${r.path}`);
    assert.equal(new Set(table).size, table.length, 'no route is in the table twice');
    const missing = registered.filter((r) => !table.includes(r));
    const extra = table.filter((r) => !registered.includes(r));
    assert.deepEqual(missing, [], 'routes missing from the authorization table');
    assert.deepEqual(extra, [], 'table rows for routes that are not registered');
  });

  test('the served OpenAPI description documents every registered route', async () => {
    const r = await p.api('GET', '/api/openapi.json');
    assertStatus(r, 200);
    const documented = [];
    for (const [path, item] of Object.entries(r.json.paths || {})) {
      for (const method of Object.keys(item)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) documented.push(`${method.toUpperCase()} ${path}`);
      }
    }
    const registered = await registeredRoutes();
    // GET /api/docs is Swagger UI, static files served by http/ from the web root, not a router route.
    const servedOutsideRouter = ['GET /api/docs'];
    assert.deepEqual(registered.filter((x) => !documented.includes(x)), [], 'routes missing from /api/openapi.json');
    assert.deepEqual(
      documented.filter((x) => !registered.includes(x) && !servedOutsideRouter.includes(x)),
      [],
      'documented routes that do not exist',
    );
  });

  test('the table itself follows the policy', () => {
    for (const r of ROUTES) {
      const key = `${r.method} ${r.path}`;
      const [anon, a, b, admin] = r.expect;
      if (PUBLIC.has(key)) assert.ok(anon < 400, `${key}: public`);
      else assert.equal(anon, 401, `${key}: anonymous → 401`);
      assert.ok(admin >= 200 && admin < 300, `${key}: admin → 2xx`);
      if (r.path.startsWith('/api/admin/')) {
        assert.equal(a, 403, `${key}: users → 403 on admin routes`);
        assert.equal(b, 403, `${key}: users → 403 on admin routes`);
      }
      if (REFRESHES.has(key)) {
        assert.deepEqual([a, b], [200, 403], `${key}: users of the account's team may refresh it, others not`);
      } else if (r.path.startsWith('/api/accounts') && r.method !== 'GET') {
        assert.deepEqual([a, b], [403, 403], `${key}: users → 403 on account writes`);
      }
      if (r.path.startsWith('/api/accounts/{id}') && r.method === 'GET') {
        const secret = r.path.endsWith('/credentials');
        assert.equal(a, secret ? 403 : 200, `${key}: team A user`);
        assert.equal(b, 403, `${key}: team B user → 403 on account X`);
      }
    }
  });

  for (const route of ROUTES) {
    test(`${route.method} ${route.path}`, async () => {
      if (route.settle) await route.settle(c);
      for (let i = 0; i < CALLERS.length; i++) {
        let token = tokens[i];
        if (route.freshToken && token) {
          const email = [null, 'walk-a@example.com', 'walk-b@example.com', ADMIN.email][i];
          const password = [null, c.userA.password, c.userB.password, ADMIN.password][i];
          token = await p.login(email, password);
        }
        const path = route.path.replace('{id}', route.id ? encodeURIComponent(route.id(c)) : '') +
          (route.query ? route.query(c) : '');
        const body = route.body ? await route.body(c) : undefined;
        const res = await p.api(route.method, path, { token, body });
        const expected = route.expect[i];
        const what = `${route.method} ${path} as ${CALLERS[i]}: ${res.status} ${res.text.slice(0, 300)}`;
        assert.equal(res.status, expected, what);
        if (expected >= 400) assertError(res, expected, ERROR_CODE[expected]);
      }
    });
  }

  test('denied calls changed nothing', async () => {
    // Only the admin's calls of the walk took effect.
    const users = (await p.api('GET', '/api/admin/users', { token: c.adminToken })).json.items;
    assert.equal(users.filter((u) => u.email === 'walk-new@example.com').length, 1);
    const patched = users.find((u) => u.user_id === c.victimToPatch);
    assert.equal(patched.role, 'admin');
    const x = await p.api('GET', `/api/accounts/${X}`, { token: c.adminToken });
    assert.equal(x.json.account_name, 'Renamed by the walk');
    assert.equal(x.json.version, 2, 'one PATCH (the admin\'s) only');
    // Every refused account write and credential read left a "denied" audit entry naming the user.
    const denied = (await p.audit(c.adminToken, 'outcome=denied&page_size=1000'));
    for (const [action, target] of [['credentials.export', X], ['account.update', X], ['account.delete', THROWAWAY],
      ['account.billing.update', X]]) {
      for (const user of [c.userA, c.userB]) {
        assert.ok(denied.some((e) => e.action === action && e.target_id === target && e.actor_id === user.user.user_id),
          `denied ${action} on ${target} by ${user.user.email} is audited`);
      }
    }
  });
});
