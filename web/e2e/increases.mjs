// End-to-end steps of the quota increase requests (issue 14 §1): from the account page's quota card, preview and
// send an increase against the simulator (PENDING), approve it through the simulator's control API, "Check now"
// shows APPROVED and the quota card the new value (the server refreshes an approved value). Registered by run.mjs
// with its server, browser, simulator and screenshot helper.
import { test, waitFor } from './harness.mjs';

const SONNET_45_TPM = 'L-27C57EE8';
const DESIRED = 8_000_000;

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Registers the increase steps; `ctx()` gives run.mjs's { server, admin, sim, accountId } once started. */
export function registerIncreaseTests(ctx, shot) {
  test('an increase request from a quota card: preview, send, PENDING; approved in AWS, "Check now" shows APPROVED and the new value', async () => {
    const { server, admin, sim, accountId } = ctx();
    const { page } = admin;
    await sim.control('DELETE', '/_sim/faults');
    await page.goto(`${server.baseUrl}/accounts/${accountId}`);
    const tpm = page.getByTestId('quota-card-claude-sonnet-4.5-v1').locator('[data-dim="tpm"]');
    await tpm.locator('.quota-value__number').waitFor();
    await tpm.getByRole('button', { name: /^Request increase: .+ · TPM$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Desired value').fill(String(DESIRED));
    await dialog.getByLabel('Reason (optional, kept in the platform)').fill('e2e: launch week');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'What will be sent' });
    await preview.getByText(SONNET_45_TPM, { exact: true }).waitFor();
    await preview.getByText(String(DESIRED), { exact: true }).waitFor();
    await preview.getByText('us-east-1', { exact: true }).waitFor();
    await shot(page, 'en-increase-preview');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.getByText('Request sent: Pending.').waitFor({ timeout: 30000 });
    // The footer's Close (the × is named Close too).
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });

    // The account's list shows it PENDING, with the reason; AWS (the simulator) has it too.
    const section = page.getByRole('region', { name: 'Increase requests' });
    const row = section.getByRole('row').filter({ hasText: SONNET_45_TPM });
    await row.getByText('Pending', { exact: true }).waitFor();
    await row.getByText('e2e: launch week').waitFor();
    const { requests } = await sim.control('GET', `/_sim/accounts/${accountId}/requests`);
    const sent = requests.find((r) => r.quota_code === SONNET_45_TPM && r.status === 'PENDING');
    expect(sent && sent.desired_value === DESIRED, `the simulator has the request: ${JSON.stringify(requests)}`);

    // AWS approves it; "Check now" reads the status, and the server refreshes the value.
    await sim.control('POST', `/_sim/accounts/${accountId}/requests/${sent.id}`, { status: 'APPROVED' });
    await row.getByRole('button', { name: /^Check now/ }).click();
    await row.getByText('Approved', { exact: true }).waitFor({ timeout: 30000 });
    expect(
      (await row.getByRole('button', { name: /^Check now/ }).count()) === 0,
      'a closed request has no "Check now"',
    );
    await waitFor(
      async () => {
        const shown = await tpm.locator('.quota-value__number').getAttribute('title');
        if (shown && shown.replace(/\D/g, '') === String(DESIRED)) return true;
        await page.reload();
        await tpm.locator('.quota-value__number').waitFor();
        return false;
      },
      { timeoutMs: 30000, intervalMs: 1000, what: `the approved value ${DESIRED} on the quota card` },
    );
    await shot(page, 'en-increase-approved');

    // The fleet list has it too, closed (shown with "Open and closed").
    await page.goto(`${server.baseUrl}/increases?open=false`);
    await page
      .getByRole('row')
      .filter({ hasText: SONNET_45_TPM })
      .getByText('Approved', { exact: true })
      .first()
      .waitFor();
  });
}
