// End-to-end tests of the web app against the real server binary, the AWS simulator (tools/aws-sim) and Debian's
// Chromium. Everything listens on 127.0.0.1; the server's AWS endpoint is the simulator.
//   npm run e2e            (after `npm run build`; AP_BINARY overrides ../build/bin/account-platform,
//                           AP_AWS_SIM ../tools/aws-sim/server.mjs, AP_CHROMIUM /usr/bin/chromium)
// Screenshots of every page in both languages, and of /api/docs (Swagger UI), go to <repo>/build/screenshots/.
import { join } from 'node:path';
import {
  clearFailureScreenshots,
  cleanupAll,
  cspViolations,
  ensureFreshBuild,
  ensureScreenshotDir,
  launchBrowser,
  runAll,
  SCREENSHOT_DIR,
  startServer,
  startSimulator,
  tail,
  test,
  waitFor,
} from './harness.mjs';
import { registerA11yTests } from './a11y.mjs';
import { registerAlertTests } from './alerts.mjs';
import { registerBasicsTests } from './basics.mjs';
import { registerConsoleTests } from './console.mjs';
import { registerFailedRefreshTests } from './failed-refresh.mjs';
import { registerAuditJobsTests } from './audit-jobs.mjs';
import { registerDashboardSortTests } from './dashboard-sort.mjs';
import { registerIncreaseTests } from './increases.mjs';
import { registerQuotaExplainedTests } from './quota-explained.mjs';
import { usageSteps } from './usage-steps.mjs';

const ADMIN = { email: 'admin@example.com', password: 'admin-e2e-password' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-e2e-password' };
const ACCOUNT = {
  id: '123456789012',
  name: 'Prod Bedrock',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
// Quota codes of the default config (server/src/domain catalogue).
const SONNET_45_TPM = 'L-27C57EE8';
const CSRF = { 'X-Requested-With': 'account-platform' };

let sim;
let server;
let admin; // { context, page }
let viewer;

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(page, name) {
  ensureScreenshotDir();
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function login(page, { email, password }) {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel(/^(Email|邮箱)$/).fill(email);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.getByRole('navigation', { name: /^(Main|主导航)$/ }).waitFor();
}

async function setLanguage(page, lang) {
  await page
    .getByRole('button', { name: lang === 'zh' ? '中文' : 'English' })
    .first()
    .click();
  await waitFor(
    async () => (await page.evaluate(() => document.documentElement.lang)) === (lang === 'zh' ? 'zh-CN' : 'en'),
    {
      what: `language ${lang}`,
    },
  );
}

test('the login page rejects a wrong password', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/`);
  await page.waitForURL(/\/login$/);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
});

test('the admin logs in and sees the dashboard', async () => {
  const { page } = admin;
  await login(page, ADMIN);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('heading', { name: 'Fleet capacity' }).waitFor();
  // The page-level message (with its link to the accounts page), not the per-model chart placeholders.
  await page
    .locator('p', { hasText: 'No active accounts yet.' })
    .filter({ has: page.getByRole('link', { name: 'Accounts' }) })
    .waitFor();
  expect(await page.getByRole('link', { name: 'Settings' }).isVisible(), 'admins see the settings link');
});

test('the admin adds an account and sees its never-read quotas as "—"', async () => {
  const { page } = admin;
  // The account exists in the simulator; Service Quotas refuses it for now, so the first refresh (started when the
  // account is added) reads nothing and every value stays never read.
  await sim.control('POST', '/_sim/accounts', {
    account_id: ACCOUNT.id,
    access_key_id: ACCOUNT.accessKeyId,
    secret_access_key: ACCOUNT.secret,
  });
  await sim.control('POST', '/_sim/faults', {
    service: 'servicequotas',
    account_id: ACCOUNT.id,
    error: 'access_denied',
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: 'Add account' }).click();
  await page.getByRole('heading', { name: 'Add an AWS account' }).waitFor();
  // A wrong account id is caught before sending (the contract's pattern), shown next to the field.
  await page.getByLabel('Name', { exact: true }).fill(ACCOUNT.name);
  await page.getByLabel('Account id').fill('12345');
  await page.getByRole('checkbox', { name: 'us-west-2' }).check();
  await page.getByLabel('Add a team id').fill('ops');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByLabel('Access key id').fill(ACCOUNT.accessKeyId);
  await page.getByLabel('Secret access key').fill(ACCOUNT.secret);
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText('Exactly 12 digits, or leave it empty.').waitFor();
  expect((await page.getByLabel('Account id').getAttribute('aria-invalid')) === 'true', 'account id marked invalid');

  await page.getByLabel('Account id').fill(ACCOUNT.id);
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.waitForURL(new RegExp(`/accounts/${ACCOUNT.id}$`));
  await page.getByRole('heading', { name: ACCOUNT.name }).waitFor();
  const card = page.getByTestId('quota-card-claude-sonnet-4.5-v1');
  await card.waitFor();
  // Wait for the server's first refresh to end (the page polls while the account says "refreshing").
  await page.getByText('Reading the quotas from AWS…').waitFor({ state: 'detached' });
  const numbers = await page.locator('.quota-value__number').allTextContents();
  expect(numbers.length >= 6, `expected quota values, got ${numbers.length}`);
  expect(
    numbers.every((n) => n === '—'),
    `never-read values must show "—", got ${numbers.join(',')}`,
  );
  // Issue 16 §1: the failed first read is not "never read" but an error, and the page says why.
  expect((await card.textContent()).includes('Error'), 'the failed first read is marked');
  await page
    .getByTestId('last-refresh')
    .getByText(/^Last refresh failed: AccessDeniedException/)
    .waitFor();
  expect(await card.getByText('1M TPM').isVisible(), '1M values shown for a 1M-context model');
  await page.getByRole('button', { name: 'Refresh us-east-1 from AWS' }).waitFor();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  // (The history is not empty: it records the failed first read.)
});

test('changing the quota config changes the dashboard', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/`);
  await page.getByTestId('fleet-claude-opus-4.5').waitFor();
  expect(!(await page.getByTestId('fleet-claude-opus-4.6-v1').isVisible()), 'Opus 4.6 not on the dashboard at first');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Quota configuration' }).waitFor();
  await page.getByRole('checkbox', { name: 'Show Claude Opus 4.6 V1 on the dashboard' }).check();
  await page.getByRole('checkbox', { name: 'Show Claude Opus 4.5 on the dashboard' }).uncheck();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.getByTestId('fleet-claude-opus-4.6-v1').waitFor();
  await waitFor(async () => !(await page.getByTestId('fleet-claude-opus-4.5').isVisible()), {
    what: 'Opus 4.5 to leave the dashboard',
  });
  // The fleet totals of a never-read account are "—" with the account counted as missing.
  const totals = page.getByTestId('fleet-claude-opus-4.6-v1');
  expect((await totals.textContent()).includes('2 missing'), 'two account-regions missing');
  expect(
    (await totals.locator('.totals__value').allTextContents()).every((v) => v === '—'),
    'totals "—"',
  );
  // The grid lists the account in both regions.
  await page.getByRole('table', { name: 'Accounts × models' }).getByText('us-west-2').waitFor();
});

async function appliedValue(code) {
  const { quotas } = { quotas: await sim.control('GET', `/_sim/accounts/${ACCOUNT.id}/quotas/us-east-1`) };
  const list = Array.isArray(quotas) ? quotas : quotas.quotas;
  const q = list.find((x) => x.code === code);
  return q.unapplied ? q.default_value : q.applied_value;
}

function compact(n) {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

async function refreshNow(page) {
  const button = page.getByRole('button', { name: 'Refresh us-east-1 from AWS' });
  await button.click();
  await waitFor(async () => button.isEnabled(), { what: 'the refresh to finish', timeoutMs: 30000 });
}

test('a refresh against the simulator shows the quotas, applied or AWS default, with when read', async () => {
  const { page } = admin;
  await sim.control('DELETE', '/_sim/faults');
  await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
  await refreshNow(page);
  await page.getByText(/^us-east-1: all \d+ values were read from AWS\.$/).waitFor();
  const tpm = page.getByTestId('quota-card-claude-sonnet-4.5-v1').locator('[data-dim="tpm"]');
  const want = compact(await appliedValue(SONNET_45_TPM));
  await tpm.locator('.quota-value__number', { hasText: want }).waitFor();
  const text = await tpm.textContent();
  expect(/Applied|AWS default/.test(text), `source shown: ${text}`);
  expect(text.includes('read ') && text.includes('OK'), `state and when read shown: ${text}`);
  const numbers = await page.locator('.quota-value__number').allTextContents();
  expect(
    numbers.every((n) => n !== '0'),
    `no value shows 0 for unknown: ${numbers.join(',')}`,
  );
  // The dashboard totals follow.
  await page.goto(`${server.baseUrl}/`);
  const fleet = page.getByTestId('fleet-claude-sonnet-4.5-v1');
  await fleet.locator('.totals__value').first().filter({ hasNotText: '—' }).waitFor();
});

test('a value changed in AWS shows after the next refresh, and in the history', async () => {
  const { page } = admin;
  await sim.control('PUT', `/_sim/accounts/${ACCOUNT.id}/quotas/us-east-1/${SONNET_45_TPM}`, { value: 4_000_000 });
  await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
  await refreshNow(page);
  const tpm = page.getByTestId('quota-card-claude-sonnet-4.5-v1').locator('[data-dim="tpm"]');
  await tpm.locator('.quota-value__number', { hasText: '4M' }).waitFor();
  await page.getByLabel('Model').selectOption('claude-sonnet-4.5-v1');
  await page.getByRole('group', { name: 'History · TPM' }).waitFor();
});

test('a failed refresh keeps the last values and says why', async () => {
  const { page } = admin;
  // One value failing: the rest is read, the failure is listed with AWS's reason.
  await sim.control('POST', '/_sim/faults', {
    service: 'servicequotas',
    account_id: ACCOUNT.id,
    code: SONNET_45_TPM,
    error: 'access_denied',
  });
  await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
  await refreshNow(page);
  const partial = page.locator('.alert--warn', { hasText: 'could not be read' });
  await partial.waitFor();
  expect((await partial.textContent()).includes('Claude Sonnet 4.5 V1 · TPM'), 'the failed value is named');
  const tpm = page.getByTestId('quota-card-claude-sonnet-4.5-v1').locator('[data-dim="tpm"]');
  await tpm.locator('.quota-value__number', { hasText: '4M' }).waitFor();
  const state = await tpm.locator('.badge').first().textContent();
  expect(state === 'Stale' || state === 'Error', `the kept value is marked (${state})`);
  await shot(page, 'en-account-detail-refresh-partial');

  // Nothing readable: 502, the cached values stay.
  await sim.control('DELETE', '/_sim/faults');
  await sim.control('POST', '/_sim/faults', {
    service: 'servicequotas',
    account_id: ACCOUNT.id,
    error: 'access_denied',
  });
  await page.reload();
  await refreshNow(page);
  await page
    .getByText('Nothing could be read from AWS; the values shown are the last good ones, now marked stale.')
    .waitFor();
  await tpm.locator('.quota-value__number', { hasText: '4M' }).waitFor();
  await sim.control('DELETE', '/_sim/faults');
});

usageSteps({
  get sim() {
    return sim;
  },
  get server() {
    return server;
  },
  get admin() {
    return admin;
  },
  account: ACCOUNT,
  expect,
  shot,
  setLanguage,
});

test('fleet refresh shows live progress to the end', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/settings/fleet-refresh`);
  await page.getByRole('button', { name: 'Refresh all accounts' }).click();
  await page.getByRole('progressbar', { name: 'Fleet refresh progress' }).waitFor();
  // One item per account-region (the account has two regions).
  const job = page.getByTestId('fleet-job');
  // Issue 16 §5: a finished job says how it ended in words ("Completed: all 2 refreshed"), not only a full bar.
  await job
    .getByTestId('job-status')
    .getByText(/^Completed: all \d+ refreshed$/)
    .waitFor({ timeout: 30000 });
  await job.getByRole('row').filter({ hasText: 'us-west-2' }).getByText('OK').waitFor();
  expect((await job.getByRole('cell', { name: /read, 0 failed/ }).count()) === 2, 'both regions read');
  // The job is listed under the recent jobs too.
  await page
    .getByRole('table', { name: 'Recent jobs' })
    .getByText(/^Completed: all \d+ refreshed$/)
    .first()
    .waitFor();
  await shot(page, 'en-settings-fleet-refresh-done');
});

test('contact information is read from AWS, checked and saved', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
  await page.getByText('No contact information is stored.').waitFor();
  await page.getByRole('button', { name: 'Read from AWS' }).click();
  await page.getByText('Read from AWS. Check the values and save to keep them.').waitFor();
  const name = await page.getByLabel('Full name').inputValue();
  expect(name.length > 0, 'AWS contact name filled in');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.kv').getByText(name).waitFor();
});

test('a model discovered on Bedrock can be added back to the quota config', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/settings/quota-config`);
  await page.getByRole('button', { name: 'Remove Claude Sonnet 4.6' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  // The discovery (the account's Service Quotas, through the simulator) offers it again.
  const available = page.locator('section', {
    has: page.getByRole('heading', { name: 'Models available on Bedrock' }),
  });
  await available.getByText(/Read from the Service Quotas of account|From the built-in catalogue/).waitFor();
  await available.getByRole('button', { name: 'Add Claude Sonnet 4.6' }).click();
  const enabled = page.getByRole('checkbox', { name: 'Enable Claude Sonnet 4.6' });
  expect(await enabled.isChecked(), 'an added model is enabled');
  await enabled.uncheck(); // keep the account's quota reads as they were for the steps after this one
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.reload();
  await page.getByRole('checkbox', { name: 'Enable Claude Sonnet 4.6' }).waitFor();
});

test('exporting credentials is audited', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
  await page.getByRole('button', { name: 'Export credentials' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Export credentials' });
  await dialog.getByText('recorded in the audit log').waitFor();
  await dialog.getByRole('button', { name: 'Reveal credentials' }).click();
  await dialog.getByRole('button', { name: 'Copy Access key id' }).waitFor();
  await dialog.getByRole('button', { name: 'Show values' }).click();
  await dialog.getByText(ACCOUNT.accessKeyId).waitFor();
  await shot(page, 'en-export-credentials');
  await dialog.getByRole('button', { name: 'Close' }).first().click();

  await page.goto(`${server.baseUrl}/settings/audit`);
  await page.getByLabel('Action').fill('credentials.export');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const row = page.getByRole('row').filter({ hasText: 'credentials.export' });
  await row.first().waitFor();
  expect((await row.first().textContent()).includes(ACCOUNT.id), 'audit row names the account');
  expect((await row.first().textContent()).includes(ADMIN.email), 'audit row names the admin');
});

registerIncreaseTests(() => ({ server, admin, sim, accountId: ACCOUNT.id }), shot);
registerAlertTests(() => ({ server, admin }), shot);
registerFailedRefreshTests(() => ({ server, admin, sim, accountId: ACCOUNT.id, setLanguage }), shot);
registerBasicsTests(() => ({ server, admin, setLanguage }), shot);
registerAuditJobsTests(() => ({ server, admin, accountId: ACCOUNT.id, adminEmail: ADMIN.email, setLanguage }), shot);
registerQuotaExplainedTests(() => ({ server, admin, sim, accountId: ACCOUNT.id, setLanguage }), shot);
registerDashboardSortTests(() => ({ server, admin, sim, setLanguage }), shot);

test('a user of another team sees no settings and cannot open the account; admin APIs answer 403', async () => {
  const created = await admin.page.request.post(`${server.baseUrl}/api/admin/users`, {
    headers: CSRF,
    data: { email: VIEWER.email, password: VIEWER.password, role: 'user', teams: ['ml'] },
  });
  expect(created.status() === 201, `creating the viewer answered ${created.status()}`);

  viewer = await launchBrowser();
  const { page } = viewer;
  await login(page, VIEWER);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Accounts' }).waitFor();
  expect((await nav.getByRole('link', { name: 'Settings' }).count()) === 0, 'no settings link for users');

  await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  await page.getByText('This account is not assigned to any of your teams.').waitFor();
  await shot(page, 'en-forbidden-account');

  await page.goto(`${server.baseUrl}/accounts`);
  await page.getByText('No accounts match.').waitFor();
  await page.goto(`${server.baseUrl}/settings/users`);
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();

  for (const [method, path, data] of [
    ['get', '/api/admin/users'],
    ['get', '/api/admin/quota-config'],
    ['get', '/api/admin/audit-log'],
    ['post', '/api/admin/teams', { team_id: 'sneaky' }],
    ['get', `/api/accounts/${ACCOUNT.id}/credentials`],
  ]) {
    const res = await page.request[method](`${server.baseUrl}${path}`, { headers: CSRF, data });
    expect(res.status() === 403, `${method.toUpperCase()} ${path} answered ${res.status()}, want 403`);
  }
});

test('the language switch changes the texts and is remembered', async () => {
  const { page } = admin;
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole('heading', { name: 'Fleet capacity' }).waitFor();
  await setLanguage(page, 'zh');
  await page.getByRole('heading', { name: '全局容量' }).waitFor();
  const nav = page.getByRole('navigation', { name: '主导航' });
  for (const name of ['仪表盘', '账号', '设置']) await nav.getByRole('link', { name }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '仪表盘' }).waitFor();
  await setLanguage(page, 'en');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

const PAGES = [
  ['dashboard', '/', 'Fleet capacity', '全局容量'],
  ['accounts', '/accounts', 'Accounts', '账号'],
  ['account-new', '/accounts/new', 'Add an AWS account', '添加 AWS 账号'],
  ['account-detail', `/accounts/${ACCOUNT.id}`, 'Quotas', '配额'],
  ['settings-quota-config', '/settings/quota-config', 'Quota configuration', '配额配置'],
  ['settings-users', '/settings/users', 'Users', '用户'],
  ['settings-teams', '/settings/teams', 'Teams', '团队'],
  ['settings-audit', '/settings/audit', 'Audit log', '审计日志'],
  ['settings-fleet-refresh', '/settings/fleet-refresh', 'Fleet refresh', '全部刷新'],
  ['alerts', '/alerts', 'Alerts', '告警'],
  ['increases', '/increases?open=false', 'Quota increase requests', '配额提升申请'],
  ['settings-alert-rules', '/settings/alert-rules', 'Alert rules', '告警规则'],
  ['settings-alert-channels', '/settings/alert-channels', 'Alert channels', '告警渠道'],
  ['not-found', '/no/such/page', 'Page not found', '页面不存在'],
];

test('screenshots of every page in both languages', async () => {
  for (const lang of ['en', 'zh']) {
    // Logged-out pages first, in a fresh browser.
    const fresh = await launchBrowser();
    await fresh.page.goto(`${server.baseUrl}/login`);
    await setLanguage(fresh.page, lang);
    await fresh.page.getByRole('heading', { name: lang === 'en' ? 'Sign in' : '登录' }).waitFor();
    await shot(fresh.page, `${lang}-login`);
    await fresh.context.close();

    const { page } = admin;
    await page.goto(`${server.baseUrl}/`);
    await setLanguage(page, lang);
    for (const [name, path, en, zh] of PAGES) {
      await page.goto(`${server.baseUrl}${path}`);
      await page
        .getByRole('heading', { name: lang === 'en' ? en : zh, exact: true })
        .first()
        .waitFor();
      await page
        .locator('.loading')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => {});
      await shot(page, `${lang}-${name}`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: lang === 'en' ? 'Fleet capacity' : '全局容量' }).waitFor();
    await shot(page, `${lang}-dashboard-narrow`);
    await page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
    await page.getByTestId('quota-card-claude-sonnet-4.5-v1').waitFor();
    await shot(page, `${lang}-account-detail-narrow`);
    await page.setViewportSize({ width: 1280, height: 900 });

    await viewer.page.goto(`${server.baseUrl}/accounts/${ACCOUNT.id}`);
    await setLanguage(viewer.page, lang);
    await viewer.page.getByRole('heading', { name: lang === 'en' ? 'Access denied' : '无权访问' }).waitFor();
    await shot(viewer.page, `${lang}-forbidden`);
  }
  await setLanguage(admin.page, 'en');
});

registerConsoleTests(() => ({ server, accountId: ACCOUNT.id, admin: ADMIN, user: VIEWER }));

test('/api/docs renders Swagger UI on the served OpenAPI document, without login or console errors', async () => {
  const anonymous = await launchBrowser();
  try {
    const { page } = anonymous;
    const errors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.baseUrl}/api/docs`);
    // Swagger UI renders each operation's path in data-path (the visible text has zero-width breaks).
    const quota = page.locator('.opblock-summary-path[data-path="/api/accounts/{id}/quota"]').first();
    await quota.waitFor();
    await page.locator('.opblock-summary-path[data-path="/api/openapi.json"]').first().waitFor();
    await quota.click();
    await page.getByRole('button', { name: 'Try it out' }).first().waitFor();
    await shot(page, 'api-docs');
    expect(errors.length === 0, `console errors on /api/docs:\n${errors.join('\n')}`);
  } finally {
    await anonymous.context.close();
  }
});

registerA11yTests(
  () => ({ server, admin, viewer, sim, accountId: ACCOUNT.id, accountName: ACCOUNT.name, adminUser: ADMIN }),
  { setLanguage },
);

// Runs last: every page above (and /api/docs) was visited under the server's Content-Security-Policy.
test('the Content-Security-Policy blocks nothing the app needs (no violation in the console)', async () => {
  expect(cspViolations.length === 0, `CSP violations:\n${cspViolations.join('\n')}`);
});

// "Stale" means the last read failed and the value shown is the last good one (tested above); values do not turn
// stale with age alone, so there is nothing more to test here.

async function main() {
  let code = 1;
  clearFailureScreenshots();
  try {
    ensureFreshBuild();
    sim = await startSimulator();
    server = await startServer({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, awsEndpoint: sim.url });
    console.log(`e2e: server at ${server.baseUrl}, AWS simulator at ${sim.url}`);
    admin = await launchBrowser();
    code = await runAll({
      onFailure: async (name) => {
        const safe = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
        if (admin?.page && !admin.page.isClosed()) await shot(admin.page, `failure-${safe}`);
        if (viewer?.page && !viewer.page.isClosed()) await shot(viewer.page, `failure-viewer-${safe}`);
      },
    });
    if (code !== 0)
      console.log(`e2e: screenshots in ${SCREENSHOT_DIR}; the server's last log lines:\n${tail(server.logPath)}`);
  } catch (e) {
    console.error(`e2e: ${e?.stack ?? e}`);
    console.log('0 passed, 1 failed');
    code = 1;
  } finally {
    await cleanupAll();
  }
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void cleanupAll().finally(() => process.exit(130));
  });
}

await main();
