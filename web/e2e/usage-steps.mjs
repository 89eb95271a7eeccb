// Browser steps of issue 13 §2 (usage against quota): CloudWatch traffic scripted in the simulator, the usage refresh
// clicked on the account page, then the usage bars, throttle markers, other traffic, the usage under the quota
// history, the dashboard grid's bars and the "closest to the limit" entry — in English and in Chinese.
// run.mjs calls usageSteps() where these steps belong in its sequence (after the quota refresh steps).
import { test, waitFor } from './harness.mjs';

const GLOBAL_SONNET_45 = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const UNKNOWN_SERIES = 'mystery.model-v9';

/**
 * Declares the usage steps. `ctx` gives the run's state as getters: sim, server, admin ({page}), account ({id, name}),
 * and its helpers expect(cond, message), shot(page, name) and setLanguage(page, lang).
 */
export function usageSteps(ctx) {
  test('usage from CloudWatch: the refresh shows bars, throttles, other traffic and usage under the history', async () => {
    const { sim, server, account, expect } = ctx;
    const { page } = ctx.admin;
    // The last 30 minutes in us-east-1: heavy Sonnet 4.5 traffic through the global profile, with throttles, and a
    // series the quota config does not know.
    const now = Math.floor(Date.now() / 60000) * 60;
    await sim.control('POST', `/_sim/accounts/${account.id}/traffic`, {
      region: 'us-east-1',
      model_id: GLOBAL_SONNET_45,
      per_minute: { invocations: 10, input_tokens: 800_000, output_tokens: 600_000, throttles: 2 },
      from: now - 1800,
      to: now,
    });
    await sim.control('POST', `/_sim/accounts/${account.id}/traffic`, {
      region: 'us-east-1',
      model_id: UNKNOWN_SERIES,
      per_minute: { invocations: 5, input_tokens: 100, output_tokens: 10 },
      from: now - 1800,
      to: now,
    });

    await page.goto(`${server.baseUrl}/accounts/${account.id}?region=us-east-1`);
    const button = page.getByRole('button', { name: 'Refresh usage from CloudWatch' });
    await button.click();
    await page.getByText(/^us-east-1: usage read \(\d+ series\)$/).waitFor({ timeout: 30000 });
    await waitFor(async () => button.isEnabled(), { what: 'the usage refresh to finish', timeoutMs: 30000 });
    await page
      .getByTestId('usage-status')
      .filter({ hasText: /^Usage as of / })
      .waitFor();

    const card = page.getByTestId('quota-card-claude-sonnet-4.5-v1');
    const tpm = card.getByTestId('usage-bar').first();
    await tpm.filter({ hasText: /% used|over quota/ }).waitFor();
    const tpmText = await tpm.textContent();
    expect(/^TPM/.test(tpmText), `the first bar is TPM: ${tpmText}`);
    expect((await tpm.getAttribute('title'))?.includes('peak'), 'the bar title gives the peak');
    await card
      .getByTestId('throttle-marker')
      .filter({ hasText: /⚠ \d+ throttled/ })
      .waitFor();
    // A model without traffic says so instead of 0 %.
    const opus = page.getByTestId('quota-card-claude-opus-4.5');
    if (await opus.count()) await opus.locator('.usage-block').getByText('no usage data').waitFor();

    await page.getByRole('table', { name: 'Other traffic' }).getByText(UNKNOWN_SERIES).waitFor();

    await page.getByLabel('Model').selectOption('claude-sonnet-4.5-v1');
    const history = page.getByRole('group', { name: 'History · TPM' });
    await history.waitFor();
    await waitFor(async () => (await history.getByTestId('usage-bar-tpm').count()) > 0, {
      what: 'usage bars under the quota history',
    });
    await history.getByTestId('throttle-mark-tpm').first().waitFor({ state: 'attached' });
    await ctx.shot(page, 'en-account-usage');
    await page.setViewportSize({ width: 390, height: 844 });
    await ctx.shot(page, 'en-account-usage-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('usage on the dashboard: grid bars and the "closest to the limit" entry, in both languages', async () => {
    const { server, account, expect } = ctx;
    const { page } = ctx.admin;
    await page.goto(`${server.baseUrl}/`);
    const closest = page.getByRole('table', { name: 'Closest to the limit' });
    const entry = closest.getByRole('row').filter({ hasText: 'Claude Sonnet 4.5' }).filter({ hasText: 'us-east-1' });
    await entry.first().waitFor({ timeout: 20000 });
    const link = entry.first().getByRole('link', { name: account.name });
    expect(
      (await link.getAttribute('href')) === `/accounts/${account.id}?region=us-east-1`,
      'the entry links to the account page',
    );
    await entry
      .first()
      .getByTestId('usage-bar')
      .filter({ hasText: /% used|over quota/ })
      .waitFor();

    const grid = page.getByRole('table', { name: 'Accounts × models' });
    const row = grid.getByRole('row').filter({ hasText: 'us-east-1' }).first();
    await row
      .getByTestId('usage-bar')
      .first()
      .filter({ hasText: /% used|over quota/ })
      .waitFor();
    await ctx.shot(page, 'en-dashboard-usage');

    await ctx.setLanguage(page, 'zh');
    await page.getByRole('heading', { name: '最接近上限' }).waitFor();
    await page
      .getByRole('table', { name: '最接近上限' })
      .getByTestId('usage-bar')
      .first()
      .filter({ hasText: /已用 \d+%|超出配额/ })
      .waitFor();
    await ctx.shot(page, 'zh-dashboard-usage');
    await page.goto(`${server.baseUrl}/accounts/${account.id}?region=us-east-1`);
    await page.getByRole('button', { name: '从 CloudWatch 刷新用量' }).waitFor();
    await page.getByText(/^用量截至 /).waitFor();
    await ctx.setLanguage(page, 'en');
  });
}
