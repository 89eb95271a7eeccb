// End-to-end tests of the web app against the real server binary and Debian's Chromium.
//   npm run e2e            (after `npm run build`; AP_BINARY overrides ../build/bin/account-platform)
// Screenshots of every page in both languages go to <repo>/build/screenshots/.
import { join } from 'node:path';
import {
  clearFailureScreenshots,
  cleanupAll,
  ensureScreenshotDir,
  launchBrowser,
  runAll,
  SCREENSHOT_DIR,
  startServer,
  tail,
  test,
  waitFor,
} from './harness.mjs';

const ADMIN = { email: 'admin@example.com', password: 'admin-e2e-password' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-e2e-password' };
const ACCOUNT = { id: '123456789012', name: 'Prod Bedrock' };
const CSRF = { 'X-Requested-With': 'account-platform' };

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
  await page.getByRole('button', { name: lang === 'zh' ? '中文' : 'English' }).first().click();
  await waitFor(async () => (await page.evaluate(() => document.documentElement.lang)) === (lang === 'zh' ? 'zh-CN' : 'en'), {
    what: `language ${lang}`,
  });
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
  await page.getByText('No active accounts yet.').waitFor();
  expect(await page.getByRole('link', { name: 'Settings' }).isVisible(), 'admins see the settings link');
});

test('the admin adds an account and sees its never-read quotas as "—"', async () => {
  const { page } = admin;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: 'Add account' }).click();
  await page.getByRole('heading', { name: 'Add an AWS account' }).waitFor();
  // A wrong account id comes back as a 422 shown next to the field.
  await page.getByLabel('Name', { exact: true }).fill(ACCOUNT.name);
  await page.getByLabel('Account id').fill('12345');
  await page.getByRole('checkbox', { name: 'us-west-2' }).check();
  await page.getByLabel('Add a team id').fill('ops');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByLabel('Access key id').fill('AKIAIOSFODNN7EXAMPLE');
  await page.getByLabel('Secret access key').fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByText('must be a 12-digit AWS account id').waitFor();
  expect((await page.getByLabel('Account id').getAttribute('aria-invalid')) === 'true', 'account id marked invalid');

  await page.getByLabel('Account id').fill(ACCOUNT.id);
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.waitForURL(new RegExp(`/accounts/${ACCOUNT.id}$`));
  await page.getByRole('heading', { name: ACCOUNT.name }).waitFor();
  const card = page.getByTestId('quota-card-claude-sonnet-4.5-v1');
  await card.waitFor();
  const numbers = await page.locator('.quota-value__number').allTextContents();
  expect(numbers.length >= 6, `expected quota values, got ${numbers.length}`);
  expect(numbers.every((n) => n === '—'), `never-read values must show "—", got ${numbers.join(',')}`);
  expect((await card.textContent()).includes('Never read'), 'never-read badge');
  expect(await card.getByText('1M TPM').isVisible(), '1M values shown for a 1M-context model');
  await page.getByRole('button', { name: 'Refresh from AWS' }).waitFor();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  // A server without the history route says so; one with it has nothing yet for a never-read account.
  await page.getByText(/^(No history recorded yet\.|Quota history is not available on this server yet\.)$/).waitFor();
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
  await waitFor(async () => !(await page.getByTestId('fleet-claude-opus-4.5').isVisible()), { what: 'Opus 4.5 to leave the dashboard' });
  // The fleet totals of a never-read account are "—" with the account counted as missing.
  const totals = page.getByTestId('fleet-claude-opus-4.6-v1');
  expect((await totals.textContent()).includes('2 missing'), 'two account-regions missing');
  expect((await totals.locator('.totals__value').allTextContents()).every((v) => v === '—'), 'totals "—"');
  // The grid lists the account in both regions.
  await page.getByRole('table', { name: 'Accounts × models' }).getByText('us-west-2').waitFor();
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
  await dialog.getByText('AKIAIOSFODNN7EXAMPLE').waitFor();
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
      await page.getByRole('heading', { name: lang === 'en' ? en : zh, exact: true }).first().waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => {});
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

// Need the AWS simulator and the refresh route (parallel issue); to be written then.
test.todo('quotas appear on the account page after a refresh against the simulator');
test.todo('values changed in the simulator show after the next refresh, with history');
test.todo('a failed refresh keeps the last values and shows them as stale with the reason');
test.todo('fleet refresh shows live progress and per-account failures');

async function main() {
  let code = 1;
  clearFailureScreenshots();
  try {
    server = await startServer({ adminEmail: ADMIN.email, adminPassword: ADMIN.password });
    console.log(`e2e: server at ${server.baseUrl}`);
    admin = await launchBrowser();
    code = await runAll({
      onFailure: async (name) => {
        const safe = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
        if (admin?.page && !admin.page.isClosed()) await shot(admin.page, `failure-${safe}`);
        if (viewer?.page && !viewer.page.isClosed()) await shot(viewer.page, `failure-viewer-${safe}`);
      },
    });
    if (code !== 0) console.log(`e2e: screenshots in ${SCREENSHOT_DIR}; the server's last log lines:\n${tail(server.logPath)}`);
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
