// Accessibility steps (issue 15): axe-core on every page of the app, logged out, as an admin and as a plain user, in
// both languages, with data (quota cards and grids filled, a stale value, a second region) and with dialogs open;
// 0 violations of the WCAG 2.0/2.1 A and AA rules and axe's best practices. Then a keyboard-only walk (Tab,
// Shift+Tab, Enter, Space, Escape; no clicks): log in, open an account, refresh it, change the quota config, add a
// user; each step checks its result, that focus sits somewhere sensible and that the focused element shows a focus
// indicator. Registered by run.mjs with its server, browsers, simulator and helpers.
//
// axe is injected with page.evaluate (the DevTools protocol, which the page's Content-Security-Policy does not
// govern: `script-src 'self'` blocks page.addScriptTag's inline script, and the CSP step at the end of run.mjs
// would see that refusal). /api/docs (Swagger UI, a third-party page) is out of scope.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, test, waitFor, WEB_DIR } from './harness.mjs';

const AXE_SOURCE = readFileSync(join(WEB_DIR, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const SONNET_45_TPM = 'L-27C57EE8';
const CSRF = { 'X-Requested-With': 'account-platform' };

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Runs axe on the page as it is now; returns its violations, each with the rule, impact and offending nodes. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** Collects the violations of several pages, then fails once with all of them. */
function axeReport() {
  const found = [];
  return {
    async check(page, label) {
      for (const v of await axeViolations(page)) found.push({ label, ...v });
    },
    assertClean() {
      const lines = found.map(
        (v) =>
          `[${v.label}] ${v.id} (${v.impact}): ${v.help}\n` +
          v.nodes
            .slice(0, 6)
            .map((n) => `      ${n.target}\n        ${String(n.summary).replace(/\n/g, '\n        ')}`)
            .join('\n') +
          (v.nodes.length > 6 ? `\n      … ${v.nodes.length - 6} more` : ''),
      );
      // The runner prints only the first lines of an error: the whole report goes to the log first.
      if (found.length) console.log(`axe report:\n${lines.join('\n')}`);
      expect(found.length === 0, `${found.length} axe violation(s), rules: ${[...new Set(found.map((v) => v.id))]}`);
    },
  };
}

/** Waits until the routed page has its heading and nothing is loading any more. */
async function settle(page) {
  await page.locator('main h1, form h1').first().waitFor();
  await waitFor(async () => (await page.locator('.loading').count()) === 0, { what: 'loading to end' });
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
}

const SHARED_PAGES = ['/', '/accounts', '/alerts', '/exports/litellm', '/no/such/page'];
const ADMIN_PAGES = [
  ...SHARED_PAGES,
  '/accounts/new',
  '/organizations',
  '/increases',
  '/increases?open=false',
  ...['quota-config', 'users', 'teams', 'audit', 'fleet-refresh', 'alert-rules', 'alert-channels'].map(
    (t) => `/settings/${t}`,
  ),
];

/** Registers the steps; `ctx()` gives run.mjs's { server, admin, viewer, sim, accountId, adminUser } once started. */
export function registerA11yTests(ctx, { setLanguage }) {
  test('axe: the logged-out pages (login, its error, a deep link) have no violations, in English and Chinese', async () => {
    const { server, adminUser } = ctx();
    const report = axeReport();
    const fresh = await launchBrowser();
    try {
      const { page } = fresh;
      for (const lang of ['en', 'zh']) {
        await page.goto(`${server.baseUrl}/login`);
        await setLanguage(page, lang);
        await settle(page);
        await report.check(page, `${lang} /login`);
        await page.locator('input[name=email]').fill(adminUser.email);
        await page.locator('input[name=password]').fill('not-the-password');
        await page.locator('button[type=submit]').click();
        await page.getByRole('alert').waitFor();
        await report.check(page, `${lang} /login (wrong password)`);
        await page.goto(`${server.baseUrl}/no/such/page`);
        await page.waitForURL(/\/login/);
        await settle(page);
        await report.check(page, `${lang} /no/such/page (logged out)`);
      }
    } finally {
      await fresh.context.close();
    }
    report.assertClean();
  });

  test('axe: every admin page, with data, has no violations, in English and Chinese', async () => {
    const { server, admin, sim, accountId } = ctx();
    const { page } = admin;
    // Fresh values in both regions, then one value failing: the cards show OK and stale values side by side.
    await sim.control('DELETE', '/_sim/faults');
    for (const region of ['us-east-1', 'us-west-2'])
      await page.request.post(`${server.baseUrl}/api/accounts/${accountId}/quota/refresh?region=${region}`, {
        headers: CSRF,
      });
    await sim.control('POST', '/_sim/faults', {
      service: 'servicequotas',
      account_id: accountId,
      code: SONNET_45_TPM,
      error: 'access_denied',
    });
    await page.request.post(`${server.baseUrl}/api/accounts/${accountId}/quota/refresh?region=us-east-1`, {
      headers: CSRF,
    });
    await sim.control('DELETE', '/_sim/faults');

    const report = axeReport();
    for (const lang of ['en', 'zh']) {
      await page.goto(`${server.baseUrl}/`);
      await setLanguage(page, lang);
      for (const path of ADMIN_PAGES) {
        await page.goto(`${server.baseUrl}${path}`);
        await settle(page);
        await report.check(page, `${lang} admin ${path}`);
      }
      const detail = `${server.baseUrl}/accounts/${accountId}`;
      await page.goto(detail);
      await settle(page);
      await page.getByTestId('quota-card-claude-sonnet-4.5-v1').waitFor();
      await report.check(page, `${lang} admin /accounts/:id`);
      await page.goto(`${detail}?region=us-west-2`);
      await settle(page);
      await report.check(page, `${lang} admin /accounts/:id?region=us-west-2`);

      // Dialogs: the increase request (a dialog) and the credentials export (an alertdialog, a confirmation).
      await page.goto(detail);
      await settle(page);
      const tpm = page.getByTestId('quota-card-claude-sonnet-4.5-v1').locator('[data-dim="tpm"]');
      await tpm.getByRole('button', { name: /^(Request increase|申请提升)：?:? ?.+ · TPM/ }).click();
      await page.getByRole('dialog').waitFor();
      await report.check(page, `${lang} admin increase-request dialog`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: lang === 'en' ? 'Export credentials' : '导出凭证' }).click();
      await page.getByRole('alertdialog').waitFor();
      await report.check(page, `${lang} admin export-credentials dialog`);
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });

      // A confirmation: deleting a user (cancelled with Escape).
      await page.goto(`${server.baseUrl}/settings/users`);
      await settle(page);
      await page.locator('button.btn--danger[aria-label*="viewer@example.com"]').click();
      await page.getByRole('alertdialog').waitFor();
      await report.check(page, `${lang} admin delete-user confirmation`);
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    }
    await setLanguage(page, 'en');
    report.assertClean();
  });

  test('axe: the pages a plain user sees have no violations, in English and Chinese', async () => {
    const { server, viewer, accountId } = ctx();
    const { page } = viewer;
    const report = axeReport();
    for (const lang of ['en', 'zh']) {
      await page.goto(`${server.baseUrl}/`);
      await setLanguage(page, lang);
      for (const path of [...SHARED_PAGES, `/accounts/${accountId}`, '/settings/users']) {
        await page.goto(`${server.baseUrl}${path}`);
        await settle(page);
        await report.check(page, `${lang} user ${path}`);
      }
    }
    await setLanguage(page, 'en');
    report.assertClean();
  });

  registerKeyboardWalk(ctx);
}

/** What has focus: tag, role, accessible-ish name, and whether it shows a focus indicator. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { body: true };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    const label = el.getAttribute('aria-label') ?? (el.labels?.[0]?.textContent || el.textContent || '').trim();
    return {
      body: false,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      name: label.replace(/\s+/g, ' '),
      focusVisible: el.matches(':focus-visible'),
      indicator: Boolean(outline || shadow),
    };
  });
}

/** Tabs (or Shift+Tabs) until the focused element matches; fails after `max` presses. Checks the focus ring. */
async function tabTo(page, matches, { what, shift = false, max = 80 } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (!f.body && matches(f)) {
      expect(f.focusVisible && f.indicator, `no visible focus indicator on ${what} (${JSON.stringify(f)})`);
      return f;
    }
  }
  throw new Error(`${what} not reached with ${max} ${shift ? 'Shift+Tab' : 'Tab'} presses`);
}

async function focusNotOnBody(page, what) {
  const f = await focused(page);
  expect(!f.body, `focus fell back to <body> after ${what}`);
  return f;
}

function registerKeyboardWalk(ctx) {
  test('keyboard only: log in, open an account, refresh it, change the quota config, add a user', async () => {
    const { server, adminUser, accountId, accountName } = ctx();
    const kb = await launchBrowser();
    try {
      const { page } = kb;
      const key = (k) => page.keyboard.press(k);
      await page.goto(`${server.baseUrl}/login`);
      await page.locator('input[name=email]').waitFor();

      // Log in.
      await tabTo(page, (f) => f.tag === 'input' && f.type === 'email', { what: 'the email field' });
      await page.keyboard.type(adminUser.email);
      await tabTo(page, (f) => f.tag === 'input' && f.type === 'password', { what: 'the password field' });
      await page.keyboard.type(adminUser.password);
      await key('Enter');
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

      // The skip link comes first and moves focus to the page.
      await tabTo(page, (f) => f.tag === 'a' && /Skip/.test(f.name), { what: 'the skip link', max: 3 });
      await key('Enter');
      expect((await focused(page)).tag === 'main', 'the skip link focuses <main>');

      // Accounts list → the account.
      await tabTo(page, (f) => f.tag === 'a' && f.name === 'Accounts', { what: 'the Accounts link', shift: true });
      await key('Enter');
      await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
      await tabTo(page, (f) => f.tag === 'a' && f.name.includes(accountName), { what: `the ${accountName} link` });
      await key('Enter');
      await page.waitForURL(new RegExp(`/accounts/${accountId}$`));
      await page.getByRole('heading', { name: accountName }).waitFor();
      await focusNotOnBody(page, 'opening the account');

      // Refresh its quotas.
      const refresh = page.getByRole('button', { name: 'Refresh us-east-1 from AWS' });
      await refresh.waitFor();
      await tabTo(page, (f) => f.tag === 'button' && f.name === 'Refresh us-east-1 from AWS', {
        what: 'Refresh us-east-1 from AWS',
      });
      await key('Enter');
      await page.getByText(/^us-east-1: all \d+ values were read from AWS\.$/).waitFor({ timeout: 30000 });
      await waitFor(() => refresh.isEnabled(), { what: 'the refresh to end', timeoutMs: 30000 });
      const afterRefresh = await focusNotOnBody(page, 'the refresh');
      expect(
        afterRefresh.name === 'Refresh us-east-1 from AWS',
        `focus stays on the refresh button (${afterRefresh.name})`,
      );

      // Settings → quota config: toggle a model's "show on the dashboard", save.
      await tabTo(page, (f) => f.tag === 'a' && f.name === 'Settings', { what: 'the Settings link', shift: true });
      await key('Enter');
      await page.getByRole('heading', { name: 'Quota configuration' }).waitFor();
      const show = page.getByRole('checkbox', { name: 'Show Claude Sonnet 4.5 V1 on the dashboard' });
      await show.waitFor();
      const before = await show.isChecked();
      await tabTo(page, (f) => f.tag === 'input' && f.name.includes('Show Claude Sonnet 4.5 V1'), {
        what: 'the show-on-dashboard checkbox',
        max: 200,
      });
      await key('Space');
      expect((await show.isChecked()) === !before, 'Space toggles the checkbox');
      await tabTo(page, (f) => f.tag === 'button' && f.name === 'Save', { what: 'Save', max: 300 });
      await key('Enter');
      await page.getByText('Saved.').waitFor();
      await focusNotOnBody(page, 'saving the quota config');
      await page.reload();
      await show.waitFor();
      expect((await show.isChecked()) === !before, 'the changed show-on-dashboard choice was saved');

      // Settings → users: add a user.
      await tabTo(page, (f) => f.tag === 'a' && f.name === 'Users', { what: 'the Users tab', max: 60 });
      await key('Enter');
      await page.getByRole('heading', { name: 'Create a user' }).waitFor();
      await tabTo(page, (f) => f.tag === 'input' && f.type === 'email', { what: 'the new user email field' });
      await page.keyboard.type('keyboard@example.com');
      await tabTo(page, (f) => f.tag === 'button' && f.name === 'Create user', { what: 'Create user' });
      await key('Enter');
      await page.getByRole('alert').filter({ hasText: 'Password generated for keyboard@example.com' }).waitFor();
      await page.getByRole('cell', { name: 'keyboard@example.com', exact: true }).waitFor();
      await focusNotOnBody(page, 'creating the user');
    } finally {
      await kb.context.close();
    }
  });
}
