// Time to first render of the login page on localhost: the production build served by the real server binary,
// loaded by Debian's Chromium (playwright-core). For each run, a fresh browser profile (cold cache) and then a
// reload (warm cache); reports navigation start → first contentful paint and → the login form in the DOM.
//   node scripts/first-render.mjs [runs=7]
import { cleanupAll, launchBrowser, startServer } from '../e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 7);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Records when the login form first appears, relative to navigation start.
const WATCH_FORM = () => {
  const mark = () => {
    if (document.querySelector('form.login__card')) {
      window.__formAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, obs) => mark() && obs.disconnect()).observe(document, { childList: true, subtree: true });
};

async function measure(page) {
  await page.waitForFunction(
    () => window.__formAt !== undefined && performance.getEntriesByName('first-contentful-paint').length > 0,
  );
  return page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
    form: window.__formAt,
    domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  }));
}

try {
  const server = await startServer({ adminEmail: 'admin@example.com', adminPassword: 'bench-password-1' });
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i += 1) {
    const { context, page } = await launchBrowser();
    await page.addInitScript(WATCH_FORM);
    await page.goto(`${server.baseUrl}/login`);
    cold.push(await measure(page));
    await page.reload();
    warm.push(await measure(page));
    await context.close();
  }
  const row = (name, xs) =>
    `| ${name} | ${median(xs.map((x) => x.fcp)).toFixed(0)} ms | ${median(xs.map((x) => x.form)).toFixed(0)} ms | ${median(xs.map((x) => x.domContentLoaded)).toFixed(0)} ms |`;
  console.log(`login page, ${runs} runs, medians (${server.baseUrl})`);
  console.log('| cache | first contentful paint | login form rendered | DOMContentLoaded |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('cold (fresh profile)', cold));
  console.log(row('warm (reload)', warm));
} finally {
  await cleanupAll();
}
