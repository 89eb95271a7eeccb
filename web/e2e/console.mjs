// A clean console on every page (issue 15): each page of src/app/routes.tsx, logged out, as the admin and as a user,
// in English and Chinese, with no console error or warning, no uncaught exception, no failed request and no
// response >= 400 except the deliberate ones listed in EXPECTED_STATUS. Registered by run.mjs with its server, the
// account it added and the two logins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, test, WEB_DIR } from './harness.mjs';

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Every page, as the router's path patterns (checked against routes.tsx below, so a new route must be added here)
 * and a concrete URL to visit.
 */
const pages = (accountId) => [
  { route: '/login', url: '/login' },
  { route: '', url: '/' },
  { route: 'accounts', url: '/accounts' },
  { route: 'accounts/new', url: '/accounts/new' },
  { route: 'accounts/:accountId', url: `/accounts/${accountId}` },
  { route: 'alerts', url: '/alerts' },
  { route: 'organizations', url: '/organizations' },
  { route: 'exports/litellm', url: '/exports/litellm' },
  { route: 'increases', url: '/increases' },
  { route: 'settings', url: '/settings' },
  { route: 'quota-config', url: '/settings/quota-config' },
  { route: 'users', url: '/settings/users' },
  { route: 'teams', url: '/settings/teams' },
  { route: 'audit', url: '/settings/audit' },
  { route: 'fleet-refresh', url: '/settings/fleet-refresh' },
  { route: 'alert-rules', url: '/settings/alert-rules' },
  { route: 'alert-channels', url: '/settings/alert-channels' },
  { route: 'account/password', url: '/account/password' },
  { route: '*', url: '/no/such/page' },
];

/**
 * Responses >= 400 that are the point of the page, by role: a user of another team opening an account that is not
 * theirs gets 403 from the account's reads (the page shows "Access denied"), which the browser logs as a failed
 * resource load. Nothing else may fail.
 */
const EXPECTED_STATUS = {
  user: [{ status: 403, path: /^\/api\/accounts\/\d{12}(\/|$)/, page: /^\/accounts\/\d{12}$/ }],
};
const isExpected = (role, status, path, pageUrl) =>
  (EXPECTED_STATUS[role] ?? []).some((e) => e.status === status && e.path.test(path) && e.page.test(pageUrl));
// Chromium prints one console error per failed resource load (the resource is the message's location).
const FAILED_LOAD = /^Failed to load resource: the server responded with a status of (\d+)/;

/** The `path: '...'` patterns of routes.tsx (and '/login'), so the list above cannot silently miss a page. */
function routePatterns() {
  const source = readFileSync(join(WEB_DIR, 'src/app/routes.tsx'), 'utf8');
  return [...source.matchAll(/path: '([^']*)'/g)].map((m) => m[1]);
}

async function apiLogin(baseUrl, { email, password }) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'account-platform' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return (await res.json()).token;
}

/** Visits every page in `lang` and returns the problems seen (an empty list when the console stayed clean). */
async function visitAll({ baseUrl, role, token, lang, list }) {
  const { context, page } = await launchBrowser({ locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  const problems = [];
  try {
    if (token) {
      await context.addCookies([
        { name: 'ap_session', value: token, url: baseUrl, httpOnly: true, sameSite: 'Strict' },
      ]);
    }
    await context.addInitScript((l) => window.localStorage.setItem('ap.language', l), lang);
    let current = '';
    let currentUrl = '';
    const resourcePath = (url) => (url ? new URL(url).pathname : '');
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      const failed = msg.text().match(FAILED_LOAD);
      if (failed && isExpected(role, Number(failed[1]), resourcePath(msg.location()?.url), currentUrl)) return;
      problems.push(`${current}: console ${msg.type()}: ${msg.text()} (${msg.location()?.url ?? ''})`);
    });
    page.on('pageerror', (e) => problems.push(`${current}: uncaught ${e.message}`));
    page.on('requestfailed', (req) => {
      // Navigating away cancels what the previous page still had in flight (a poll, a prefetch): not a failure.
      if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`${current}: request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText}`);
    });
    page.on('response', (res) => {
      if (res.status() < 400) return;
      const path = new URL(res.url()).pathname;
      if (isExpected(role, res.status(), path, currentUrl)) return;
      problems.push(`${current}: ${res.request().method()} ${path} answered ${res.status()}`);
    });
    for (const { url } of list) {
      current = `${role}/${lang} ${url}`;
      currentUrl = url;
      await page.goto(`${baseUrl}${url}`, { waitUntil: 'networkidle' });
      // Loaded: the app frame's main landmark, or (logged out, or the login page) the login form.
      await page.locator('main, form.login__card').first().waitFor();
      await page
        .locator('.loading')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => {});
      expect(
        (await page.evaluate(() => document.documentElement.lang)) === (lang === 'zh' ? 'zh-CN' : 'en'),
        `${current}: page language`,
      );
    }
  } finally {
    await context.close();
  }
  return problems;
}

/** Registers the console step; `ctx()` gives run.mjs's { server, accountId, admin, user } (logins) once started. */
export function registerConsoleTests(ctx) {
  test('every page, logged out and logged in (admin, user), in en and zh: no console error or warning, no failed request', async () => {
    const { server, accountId, admin, user } = ctx();
    const list = pages(accountId);
    const listed = new Set(list.map((p) => p.route));
    const missing = routePatterns().filter((p) => !listed.has(p));
    expect(missing.length === 0, `routes.tsx has pages the console check does not visit: ${missing.join(', ')}`);
    const tokens = {
      anonymous: null,
      admin: await apiLogin(server.baseUrl, admin),
      user: await apiLogin(server.baseUrl, user),
    };
    const problems = [];
    for (const role of ['anonymous', 'admin', 'user']) {
      for (const lang of ['en', 'zh']) {
        problems.push(...(await visitAll({ baseUrl: server.baseUrl, role, token: tokens[role], lang, list })));
      }
    }
    expect(problems.length === 0, `console problems:\n${problems.join('\n')}`);
  });
}
