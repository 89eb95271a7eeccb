// End-to-end steps of issue 16 §1: a fleet refresh that AWS refuses (AccessDenied on every call) for one
// account-region is never shown as healthy. The dashboard counts its values stale, the grid row and its cells say
// the refresh failed with AWS's reason, the account page says "Last refresh failed: … (at …)" with the fix hint and
// the cards show stale values; in English and Chinese. A later successful refresh clears it.
// Registered by run.mjs with its server, browser, simulator and screenshot helper.
import { test, waitFor } from './harness.mjs';

const CSRF = { 'X-Requested-With': 'account-platform' };

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Registers the steps; `ctx()` gives run.mjs's { server, admin, sim, accountId, setLanguage } once started. */
export function registerFailedRefreshTests(ctx, shot) {
  test('a fleet refresh AWS refuses for one account-region: 1 stale on the dashboard, the row, cards and account page say why (en, zh)', async () => {
    const { server, admin, sim, accountId, setLanguage } = ctx();
    const { page } = admin;
    const api = async (method, path, data) => {
      const r = await page.request.fetch(`${server.baseUrl}${path}`, { method, headers: CSRF, data });
      return { status: r.status(), json: await r.json().catch(() => null) };
    };
    // Fresh values first (both regions), so that the failure has last good values to keep.
    await sim.control('DELETE', '/_sim/faults');
    for (const region of ['us-east-1', 'us-west-2']) {
      const r = await api('POST', `/api/accounts/${accountId}/quota/refresh?region=${region}`);
      expect(r.status === 200, `refresh ${region}: ${r.status}`);
    }
    // Service Quotas refuses us-east-1 on every call; the fleet job reads it anyway.
    await sim.control('POST', '/_sim/faults', {
      service: 'servicequotas',
      account_id: accountId,
      region: 'us-east-1',
      error: 'access_denied',
    });
    try {
      const started = await api('POST', '/api/admin/quota/refresh-all', { include_usage: false });
      expect(started.status === 202, `fleet job: ${started.status}`);
      await waitFor(async () => (await api('GET', `/api/jobs/${started.json.job_id}`)).json?.state !== 'running', {
        what: 'the fleet job',
        timeoutMs: 30000,
      });
    } finally {
      await sim.control('DELETE', '/_sim/faults');
    }

    // The dashboard: 1 stale, the row and its cell say the refresh failed, with AWS's reason.
    await page.goto(`${server.baseUrl}/`);
    const totals = page.getByTestId('fleet-claude-sonnet-4.5-v1');
    await totals.getByText('1 stale').first().waitFor();
    const table = page.getByRole('table', { name: 'Accounts × models' });
    const row = table.getByRole('row').filter({ hasText: 'us-east-1' });
    const badge = row.getByTestId('row-last-refresh');
    await badge.getByText('refresh failed').waitFor();
    expect((await badge.textContent()).includes('AccessDeniedException'), 'the row names the reason');
    const cell = row.getByRole('cell').first();
    expect((await cell.textContent()).includes('Stale'), `the cell is stale: ${await cell.textContent()}`);
    expect((await cell.textContent()).includes('AccessDeniedException'), 'the cell names the reason');
    const west = table.getByRole('row').filter({ hasText: 'us-west-2' });
    expect((await west.getByTestId('row-last-refresh').count()) === 0, 'the other region is not marked');
    await shot(page, 'en-dashboard-failed-refresh');

    // The account page: "Last refresh failed: … (at …)" with the hint; the cards keep their values, stale.
    await page.goto(`${server.baseUrl}/accounts/${accountId}?region=us-east-1`);
    const status = page.getByTestId('last-refresh');
    await status.waitFor();
    const text = await status.textContent();
    expect(/Last refresh failed: AccessDeniedException: .* \(at .+\)/.test(text), `status line: ${text}`);
    expect(text.includes('Check the role’s permissions'), `the AccessDenied hint: ${text}`);
    const tpm = page.getByTestId('quota-card-claude-sonnet-4.5-v1').locator('[data-dim="tpm"]');
    expect((await tpm.locator('.badge').first().textContent()) === 'Stale', 'the card value is stale');
    expect((await tpm.locator('.quota-value__number').textContent()) !== '—', 'the last good value is kept');
    expect((await tpm.textContent()).includes('AccessDeniedException'), 'the card names the reason');
    await shot(page, 'en-account-detail-failed-refresh');

    // 中文
    await setLanguage(page, 'zh');
    try {
      const zhStatus = page.getByTestId('last-refresh');
      await zhStatus.getByText(/^最近一次刷新失败：AccessDeniedException/).waitFor();
      expect((await zhStatus.textContent()).includes('请检查该角色的权限'), 'the hint in Chinese');
      expect((await tpm.locator('.badge').first().textContent()) === '过期', 'stale in Chinese');
      await shot(page, 'zh-account-detail-failed-refresh');
      await page.goto(`${server.baseUrl}/`);
      await page.getByTestId('fleet-claude-sonnet-4.5-v1').getByText('1 个过期').first().waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: 'us-east-1' })
        .getByTestId('row-last-refresh')
        .getByText('刷新失败')
        .waitFor();
      await shot(page, 'zh-dashboard-failed-refresh');
    } finally {
      await setLanguage(page, 'en');
    }

    // A later successful refresh clears it.
    const again = await api('POST', `/api/accounts/${accountId}/quota/refresh?region=us-east-1`);
    expect(again.status === 200, `refresh after the fault: ${again.status}`);
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('fleet-claude-sonnet-4.5-v1').getByText('0 stale').first().waitFor();
    expect((await page.getByTestId('row-last-refresh').count()) === 0, 'no row is marked any more');
  });
}
