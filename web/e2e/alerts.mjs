// End-to-end steps of the alerts pages (issue 13 §3): a channel pointing at a loopback webhook receiver, a test
// delivery from the UI (delivered, signed; then a failing receiver, retried, with the failure shown), a rule with
// the channel, and the alerts list. Registered by run.mjs with its server, browser and screenshot helper.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { onCleanup, test } from './harness.mjs';

const SECRET = 'e2e-signing-secret-0123456789';

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * A webhook receiver on 127.0.0.1:0: records every request (headers and raw body) and answers `status` (settable:
 * 200 to accept, 500 to fail). Closed by the harness's cleanup.
 */
export async function startReceiver() {
  const requests = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(state.status, { 'Content-Type': 'text/plain' });
      res.end(state.status < 300 ? 'ok' : 'receiver failure');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/hook`, requests, state };
}

/** Registers the alerts steps; `ctx()` gives run.mjs's { server, admin } once they are started. */
export function registerAlertTests(ctx, shot) {
  let receiver;

  test('an alert channel to a loopback receiver: a test delivery is signed and shown; a failing receiver too', async () => {
    const { server, admin } = ctx();
    const { page } = admin;
    receiver = await startReceiver();
    await page.goto(`${server.baseUrl}/settings/alert-channels`);
    await page.getByRole('heading', { name: 'Alert channels', level: 2 }).waitFor();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create channel' }) });
    await form.getByLabel('Name', { exact: true }).fill('Loopback receiver');
    await form.getByLabel('URL', { exact: true }).fill(receiver.url);
    await form.getByLabel('Signing secret').fill(SECRET);
    await form.getByRole('button', { name: 'Create channel' }).click();
    await page.getByText('Channel “Loopback receiver” created.').waitFor();
    const table = page.getByRole('table', { name: 'Alert channels' });
    await table.getByText(receiver.url).waitFor();
    expect(!(await page.content()).includes(SECRET), 'the secret is never shown');

    await page.getByRole('button', { name: 'Send test to Loopback receiver' }).click();
    await page.getByText('Test delivered to Loopback receiver.').waitFor({ timeout: 30000 });
    expect(receiver.requests.length === 1, `one request, got ${receiver.requests.length}`);
    const [req] = receiver.requests;
    const payload = JSON.parse(req.body.toString('utf8'));
    expect(payload.state === 'test', `a test notification, got state ${payload.state}`);
    const ts = req.headers['x-ap-timestamp'];
    const want = 'v1=' + createHmac('sha256', SECRET).update(`${ts}.`).update(req.body).digest('hex');
    expect(req.headers['x-ap-signature'] === want, 'the signature verifies with the secret');
    const report = page.getByRole('status').filter({ hasText: 'Test delivered to Loopback receiver.' });
    expect((await report.textContent()).includes(req.headers['x-ap-delivery']), 'the delivery id is shown');
    await shot(page, 'en-settings-alert-channels-test');

    // A failing receiver: retried (3 attempts), and the failure is visible with its HTTP status.
    receiver.state.status = 500;
    await page.getByRole('button', { name: 'Send test to Loopback receiver' }).click();
    const failed = page.getByRole('status').filter({ hasText: 'Test to Loopback receiver not delivered.' });
    await failed.waitFor({ timeout: 30000 });
    const text = await failed.textContent();
    expect(text.includes('HTTP 500') && text.includes('3 attempts'), `failure report: ${text}`);
    expect(receiver.requests.length === 4, `three more attempts, got ${receiver.requests.length - 1} in all`);
    receiver.state.status = 200;
  });

  test('an alert rule is created with the channel, and the alerts page lists what fires', async () => {
    const { server, admin } = ctx();
    const { page } = admin;
    await page.getByRole('link', { name: 'Alert rules' }).click();
    await page.getByRole('heading', { name: 'Alert rules', level: 2 }).waitFor();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create rule' }) });
    // A 422 comes back next to its field: no name.
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.locator('[aria-invalid="true"]').first().waitFor();
    await form.getByLabel('Name', { exact: true }).fill('E2E headroom');
    await form.getByLabel('Headroom below (%)').fill('20');
    await form.getByRole('checkbox', { name: /Loopback receiver/ }).check();
    await form.getByRole('button', { name: 'Create rule' }).click();
    await page.getByText('Rule “E2E headroom” created.').waitFor();
    const row = page.getByRole('table', { name: 'Alert rules' }).getByRole('row').filter({ hasText: 'E2E headroom' });
    await row.getByText('Headroom below 20 % over 1 hour').waitFor();
    await row.getByText('Loopback receiver').waitFor();
    await shot(page, 'en-settings-alert-rules');

    // The channel is in use: deleting it is refused with the reason.
    await page.getByRole('link', { name: 'Alert channels' }).click();
    await page.getByRole('button', { name: 'Delete channel Loopback receiver' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete alert channel' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByText(/a rule still uses it/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Alerts/ })
      .click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Firing', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Resolved', level: 2 }).waitFor();
    await page
      .locator('.loading')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => {});
    await shot(page, 'en-alerts');
    // Nothing crossed a threshold here (no usage traffic in this run): the page says so instead of showing 0.
    expect(await page.getByText('Nothing is firing.').isVisible(), 'no alert fires without traffic');
    expect(server.baseUrl.startsWith('http://127.0.0.1'), 'loopback only');
  });
}
