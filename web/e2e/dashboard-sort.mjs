// End-to-end steps of issue 16 §2 (dashboard): "where is the most Sonnet 4.5 TPM?" in one step. A second account
// with more Sonnet 4.5 TPM is added; the grid's "Sort by … TPM" header puts it first (aria-sort descending, the
// sort in the URL), the same header from the keyboard flips it, the region filter keeps only that region's rows,
// the scope line says "All accounts"; then in Chinese. The account is deleted (deactivated) at the end so that the
// steps after this one see the fleet as before.
// Registered by run.mjs with its server, browser, simulator and screenshot helper.
import { test, waitFor } from './harness.mjs';

const CSRF = { 'X-Requested-With': 'account-platform' };
const SONNET_45_TPM = 'L-27C57EE8';
const BIG = {
  id: '210987654321',
  name: 'Zeta Big Capacity Account With A Long Name',
  accessKeyId: 'AKIAZETABIGEXAMPLE01',
  secret: 'zetaBigSecretKeyForTheSimulatorOnly0000001',
};

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Registers the steps; `ctx()` gives run.mjs's { server, admin, sim, setLanguage } once started. */
export function registerDashboardSortTests(ctx, shot) {
  test('the dashboard grid sorts by Sonnet 4.5 TPM (most first, from the header or the keyboard) and filters by region (en, zh)', async () => {
    const { server, admin, sim, setLanguage } = ctx();
    const { page } = admin;
    const api = async (method, path, data) => {
      const r = await page.request.fetch(`${server.baseUrl}${path}`, { method, headers: CSRF, data });
      return { status: r.status(), json: await r.json().catch(() => null) };
    };
    await sim.control('DELETE', '/_sim/faults');
    await sim.control('POST', '/_sim/accounts', {
      account_id: BIG.id,
      access_key_id: BIG.accessKeyId,
      secret_access_key: BIG.secret,
    });
    await sim.control('PUT', `/_sim/accounts/${BIG.id}/quotas/us-east-1/${SONNET_45_TPM}`, { value: 900_000_000 });
    const created = await api('POST', '/api/accounts', {
      account_id: BIG.id,
      account_name: BIG.name,
      regions: ['us-east-1'],
      teams: ['ops'],
      credentials: { type: 'access_key', access_key_id: BIG.accessKeyId, secret_access_key: BIG.secret },
    });
    expect(created.status === 201, `create: ${created.status} ${JSON.stringify(created.json)}`);
    try {
      await waitFor(async () => (await api('GET', `/api/accounts/${BIG.id}`)).json?.refreshing === false, {
        what: 'the first refresh',
        timeoutMs: 30000,
      });
      const refreshed = await api('POST', `/api/accounts/${BIG.id}/quota/refresh?region=us-east-1`);
      expect(refreshed.status === 200, `refresh: ${refreshed.status}`);

      await page.goto(`${server.baseUrl}/`);
      // By its class: the caption (its accessible name) changes with the language.
      const table = page.locator('table.table--grid');
      await page.getByTestId('grid-scope').getByText('Showing: All accounts').waitFor();
      const firstRow = () => table.getByRole('row').nth(1);
      const nameHeader = table.getByRole('columnheader').nth(0);
      const sonnetHeader = table.getByRole('columnheader').nth(1);
      expect((await nameHeader.getAttribute('aria-sort')) === 'ascending', 'by name at first');
      // One step: the most Sonnet 4.5 TPM first.
      const sortTpm = table.getByRole('button', { name: 'Sort by Claude Sonnet 4.5 V1 TPM' });
      await sortTpm.click();
      await waitFor(async () => (await firstRow().getByRole('rowheader').textContent()).includes(BIG.name), {
        what: 'the account with the most TPM first',
      });
      expect((await sonnetHeader.getAttribute('aria-sort')) === 'descending', 'aria-sort descending');
      expect((await nameHeader.getAttribute('aria-sort')) === null, 'the name column is no longer sorted');
      expect(page.url().includes('sort=claude-sonnet-4.5-v1'), `the sort is in the URL: ${page.url()}`);
      const cell = await firstRow().getByRole('cell').first().textContent();
      expect(
        cell.includes('TPM900,000,000') || cell.includes('TPM 900,000,000'),
        `the cell names its dimension: ${cell}`,
      );
      const header = await firstRow().getByRole('rowheader').textContent();
      expect(header.includes(BIG.name) && header.includes('us-east-1'), `full name and region: ${header}`);
      await page.getByTestId('grid-sorted-by').getByText('largest first').waitFor();
      await shot(page, 'en-dashboard-sorted-by-tpm');

      // The same header from the keyboard: smallest first.
      await sortTpm.focus();
      await page.keyboard.press('Enter');
      await waitFor(async () => (await sonnetHeader.getAttribute('aria-sort')) === 'ascending', {
        what: 'aria-sort ascending',
      });
      await waitFor(async () => !(await firstRow().getByRole('rowheader').textContent()).includes(BIG.name), {
        what: 'the largest no longer first',
      });

      // Region filter: only us-west-2 rows (BIG has none there).
      await page.getByLabel('Filter by region').selectOption('us-west-2');
      await waitFor(async () => page.url().includes('region=us-west-2'), { what: 'the region in the URL' });
      await waitFor(
        async () => {
          const headers = await table.getByRole('rowheader').allTextContents();
          return headers.length > 0 && headers.every((h) => h.includes('us-west-2'));
        },
        { what: 'only us-west-2 rows' },
      );
      await shot(page, 'en-dashboard-filtered-by-region');

      // 中文
      await setLanguage(page, 'zh');
      try {
        await page.getByTestId('grid-scope').getByText('显示范围：全部账号').waitFor();
        await table.getByRole('button', { name: '按Claude Sonnet 4.5 V1 TPM排序' }).waitFor();
        await page.getByTestId('grid-sorted-by').getByText('从小到大', { exact: false }).waitFor();
        await page.getByLabel('按区域筛选').selectOption('');
        await table.getByRole('button', { name: '按Claude Sonnet 4.5 V1 TPM排序' }).click();
        await waitFor(async () => (await firstRow().getByRole('rowheader').textContent()).includes(BIG.name), {
          what: 'zh: the most TPM first',
        });
        await shot(page, 'zh-dashboard-sorted-by-tpm');
      } finally {
        await setLanguage(page, 'en');
      }
    } finally {
      await api('DELETE', `/api/accounts/${BIG.id}`);
      await page.goto(`${server.baseUrl}/`);
    }
  });
}
