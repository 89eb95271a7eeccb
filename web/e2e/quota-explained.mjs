// End-to-end steps of issue 16 §2, "numbers that explain themselves": a quota that goes from AWS's default to an
// applied value shows the default beside the applied value, its AWS name and scope (cards and the quota config
// page, with the note that other scopes are not shown), the help on applied vs default, and a history chart whose
// points take keyboard focus, whose default → applied step is annotated and which has a table view; in English and
// Chinese, and readable at 390 px (no horizontal overflow of the chart).
// Registered by run.mjs with its server, browser, simulator and screenshot helper.
import { test, waitFor } from './harness.mjs';

const CSRF = { 'X-Requested-With': 'account-platform' };
const OPUS_TPM = 'L-3ABF6ACC';
const OPUS_TPM_NAME = 'Global cross-region model inference tokens per minute for Anthropic Claude Opus 4.5';
const REGION = 'us-west-2';

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Registers the steps; `ctx()` gives run.mjs's { server, admin, sim, accountId, setLanguage } once started. */
/** The outermost elements that stick out of a 390 px page, for the failure message (empty when none). */
async function wideParts(page) {
  const parts = await page.evaluate(() => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      const parent = el.parentElement?.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && (!parent || parent.right <= window.innerWidth + 1))
        out.push(`${el.tagName.toLowerCase()}.${el.className} (right ${Math.round(r.right)} px)`);
    }
    return out.slice(0, 8);
  });
  return parts.length ? `: ${parts.join('; ')}` : '';
}

export function registerQuotaExplainedTests(ctx, shot) {
  test('a quota raised from the AWS default: default beside applied, AWS name and scope, annotated history (en, zh, 390 px)', async () => {
    const { server, admin, sim, accountId, setLanguage } = ctx();
    const { page } = admin;
    const api = async (method, path, data) => {
      const r = await page.request.fetch(`${server.baseUrl}${path}`, { method, headers: CSRF, data });
      return { status: r.status(), json: await r.json().catch(() => null) };
    };
    const refresh = async () => {
      const r = await api('POST', `/api/accounts/${accountId}/quota/refresh?region=${REGION}`);
      expect(r.status === 200, `refresh ${REGION}: ${r.status}`);
      return r.json;
    };
    const simPath = `/_sim/accounts/${accountId}/quotas/${REGION}/${OPUS_TPM}`;

    // Opus 4.5 TPM in us-west-2: first on AWS's default (no applied value), then AWS applies twice the default.
    await sim.control('DELETE', '/_sim/faults');
    await sim.control('PUT', simPath, { unapplied: true });
    try {
      const first = await refresh();
      const opus = first.models.find((m) => m.model_id === 'claude-opus-4.5');
      expect(opus?.tpm.source === 'aws_default', `first read on the default: ${JSON.stringify(opus?.tpm)}`);
      const def = opus.tpm.value;
      expect(opus.tpm.aws_default === def, 'the default is the value itself');
      expect(opus.tpm.quota_name === OPUS_TPM_NAME, `quota_name: ${opus.tpm.quota_name}`);
      expect(opus.tpm.quota_scope === 'global-cross-region', `quota_scope: ${opus.tpm.quota_scope}`);
      await sim.control('PUT', simPath, { value: def * 2 });
      const second = await refresh();
      const tpm = second.models.find((m) => m.model_id === 'claude-opus-4.5').tpm;
      expect(tpm.source === 'applied' && tpm.value === def * 2, `applied now: ${JSON.stringify(tpm)}`);
      expect(tpm.aws_default === def, `the default is kept beside it: ${tpm.aws_default}`);

      // The card: Applied with the AWS default beside it; the legend names the AWS quota and its scope.
      await page.goto(`${server.baseUrl}/accounts/${accountId}?region=${REGION}`);
      const card = page.getByTestId('quota-card-claude-opus-4.5');
      const value = card.locator('[data-dim="tpm"]');
      await value.getByTestId('aws-default').waitFor();
      expect((await value.textContent()).includes('Applied'), 'the value is applied');
      expect((await value.getByTestId('aws-default').textContent()).startsWith('AWS default: '), 'default beside it');
      const about = card.getByTestId('quota-about-claude-opus-4.5');
      await about.locator('summary').click();
      await about.getByText(OPUS_TPM_NAME).waitFor();
      expect((await about.textContent()).includes('Global cross-Region'), 'the scope is named');
      const help = page.getByTestId('quota-help');
      await help.locator('summary').click();
      await help.getByText('they are separate quotas and are not shown here', { exact: false }).waitFor();
      await shot(page, 'en-quota-explained-card');

      // The history: the step from the default to the applied value is annotated; points take keyboard focus.
      await page.locator('#history-model').selectOption('claude-opus-4.5');
      const panel = page.getByTestId('history-panel-tpm');
      await panel.getByTestId('history-step-tpm').first().waitFor();
      expect((await panel.textContent()).includes('went from the AWS default to an applied value'), 'step in words');
      const point = panel.locator('[data-point][tabindex="0"]');
      await point.focus();
      const readout = page.getByTestId('history-readout-tpm');
      await waitFor(async () => (await readout.textContent()).includes('(Applied)'), { what: 'the focused point' });
      await page.keyboard.press('ArrowLeft');
      await waitFor(async () => (await readout.textContent()).includes('(AWS default)'), {
        what: 'the previous point',
      });
      await panel.getByTestId('history-tip-tpm').waitFor();
      await shot(page, 'en-quota-explained-history');
      await page.getByRole('button', { name: 'Show as table' }).click();
      const table = page.getByTestId('history-table');
      await table.getByText('AWS default → applied').first().waitFor();
      await page.getByRole('button', { name: 'Show as chart' }).click();

      // The quota config page: AWS name and scope under each code, and the note on other scopes.
      await page.goto(`${server.baseUrl}/settings/quota-config`);
      const code = page.getByTestId(`quota-code-${OPUS_TPM}`);
      await code.getByText(OPUS_TPM_NAME, { exact: false }).waitFor();
      expect((await code.textContent()).includes('Global cross-Region'), 'scope on the config page');
      await page.getByTestId('quota-scope-note').getByText('not shown here', { exact: false }).waitFor();

      // 中文
      await setLanguage(page, 'zh');
      try {
        await page.getByTestId(`quota-code-${OPUS_TPM}`).getByText('全球跨区域', { exact: false }).waitFor();
        await page.getByTestId('quota-scope-note').getByText('这里不显示', { exact: false }).waitFor();
        await page.goto(`${server.baseUrl}/accounts/${accountId}?region=${REGION}`);
        const zhValue = page.getByTestId('quota-card-claude-opus-4.5').locator('[data-dim="tpm"]');
        await zhValue
          .getByTestId('aws-default')
          .getByText(/^AWS 默认值：/)
          .waitFor();
        const zhText = await zhValue.textContent();
        expect(zhText.includes('已应用值') && !zhText.includes('已申请值'), `applied is 已应用值: ${zhText}`);
        await page.getByTestId('quota-help').getByText('已应用值与 AWS 默认值').waitFor();
        await page.locator('#history-model').selectOption('claude-opus-4.5');
        await page.getByTestId('history-step-tpm').getByText('AWS 默认值 → 已应用值').first().waitFor();
        await page.getByRole('button', { name: '以表格显示' }).click();
        await page.getByTestId('history-table').getByText('已变化', { exact: false }).first().waitFor();
        await shot(page, 'zh-quota-explained-history-table');
        await page.getByRole('button', { name: '以图表显示' }).click();
      } finally {
        await setLanguage(page, 'en');
      }

      // 390 px wide (a phone): the chart fits, nothing scrolls sideways.
      const before = page.viewportSize();
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await page.goto(`${server.baseUrl}/accounts/${accountId}?region=${REGION}`);
        await page.locator('#history-model').selectOption('claude-opus-4.5');
        const narrow = page.getByTestId('history-panel-tpm');
        await narrow.getByTestId('history-step-tpm').first().waitFor();
        // Let the panel measure itself (ResizeObserver) and redraw at its width.
        await waitFor(
          async () =>
            narrow.evaluate((el) => {
              const svg = el.querySelector('svg');
              return svg !== null && Number(svg.getAttribute('viewBox').split(' ')[2]) <= el.clientWidth + 1;
            }),
          { what: 'the chart drawn at the panel width' },
        );
        const overflow = await page.evaluate(() => {
          const out = [];
          for (const el of document.querySelectorAll('[data-testid^="history-panel-"], .chart--multiples')) {
            const r = el.getBoundingClientRect();
            if (el.scrollWidth > el.clientWidth + 1 || r.right > window.innerWidth + 1 || r.left < -1)
              out.push(`${el.className}: scroll ${el.scrollWidth} > ${el.clientWidth} or right ${r.right}`);
          }
          return out;
        });
        // Nothing on the page scrolls sideways either (a table scrolls inside its own box).
        const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(pageWidth <= 391, `the account page fits 390 px: ${pageWidth} px wide${await wideParts(page)}`);
        expect(overflow.length === 0, `no horizontal overflow at 390 px: ${overflow.join('; ')}`);
        const fontPx = await narrow.evaluate((el) => {
          const svg = el.querySelector('svg');
          const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('viewBox').split(' ')[2]);
          return 12 * scale;
        });
        expect(fontPx >= 11, `chart labels stay readable (${fontPx.toFixed(1)} px)`);
        await narrow.scrollIntoViewIfNeeded();
        await shot(page, 'en-quota-explained-390px');
        // The widest table of the app (the quota config) scrolls inside its box, not the page.
        await page.goto(`${server.baseUrl}/settings/quota-config`);
        await page.getByRole('heading', { name: 'Quota configuration' }).waitFor();
        const configWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(configWidth <= 391, `the quota config page fits 390 px: ${configWidth} px wide${await wideParts(page)}`);
      } finally {
        await page.setViewportSize(before ?? { width: 1280, height: 900 });
      }
    } finally {
      // Back to the profile's value for the steps that follow.
      await sim.control('DELETE', simPath);
    }
  });
}
