// End-to-end steps of issue 16 §3 and §5, in English and Chinese: enabling a model offers "Refresh <model> across the
// fleet now" (a job limited to it), a shown but disabled model is refused (the form greys the box, the API says
// 422 naming the field), never-read dashboard cells say so with an action, the account page's refresh names its
// region; the audit log names actions, actors (filterable by email), targets and config changes, a fleet refresh is
// one entry linking its job, a refused registration is recorded; fleet jobs say "Completed…" with who started them.
// Registered by run.mjs with its server, browser, simulator and screenshot helper.
import { test, waitFor } from './harness.mjs';

const CSRF = { 'X-Requested-With': 'account-platform' };
const MODEL = 'Claude Sonnet 4.6';

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Registers the steps; `ctx()` gives run.mjs's { server, admin, accountId, adminEmail, setLanguage } once started. */
export function registerAuditJobsTests(ctx, shot) {
  test('a model enabled in the quota config is offered a fleet refresh limited to it; never-read cells say so (en, zh)', async () => {
    const { server, admin, accountId, adminEmail, setLanguage } = ctx();
    const { page } = admin;
    const api = async (method, path, data) => {
      const r = await page.request.fetch(`${server.baseUrl}${path}`, { method, headers: CSRF, data });
      return { status: r.status(), json: await r.json().catch(() => null) };
    };
    const config = (await api('GET', '/api/admin/quota-config')).json;
    const model = config.models.find((m) => m.display_name === MODEL);
    expect(model && !model.enabled, `${MODEL} is in the config, disabled (an earlier step leaves it so)`);
    const idx = config.models.indexOf(model);

    // Shown but not enabled: refused, naming the field; the form greys the box.
    const shown = config.models.map((m) => (m === model ? { ...m, show_in_dashboard: true } : m));
    const refused = await api('PUT', '/api/admin/quota-config', { version: config.version, models: shown });
    expect(refused.status === 422, `shown + disabled: ${refused.status}`);
    expect(refused.json.error.field === `models[${idx}].show_in_dashboard`, `field: ${refused.json.error.field}`);
    await page.goto(`${server.baseUrl}/settings/quota-config`);
    const show = page.getByRole('checkbox', { name: `Show ${MODEL} on the dashboard` });
    await show.waitFor();
    expect(await show.isDisabled(), 'the dashboard box of a disabled model is greyed');

    // Enable and show it: never read anywhere yet.
    await page.getByRole('checkbox', { name: `Enable ${MODEL}` }).check();
    await show.check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    const offer = page.getByTestId('fleet-refresh-offer');
    await offer.getByText(`${MODEL} is not read yet on any account.`).waitFor();
    await offer.getByRole('button', { name: `Refresh ${MODEL} across the fleet now` }).waitFor();
    await shot(page, 'en-quota-config-refresh-offer');

    // The dashboard says why its cells are empty, and one refreshes from there.
    await page.goto(`${server.baseUrl}/`);
    const table = page.getByRole('table', { name: 'Accounts × models' });
    const west = table.getByRole('row').filter({ hasText: 'us-west-2' });
    const never = west.getByTestId('never-read');
    await never.first().waitFor();
    expect((await never.first().textContent()).includes('never read — refresh now'), 'the cell says why');
    await shot(page, 'en-dashboard-never-read');
    await never
      .first()
      .getByRole('button', { name: /^Refresh .* in us-west-2 now$/ })
      .click();
    await waitFor(async () => (await west.getByTestId('never-read').count()) === 0, {
      what: 'the us-west-2 row to be read',
      timeoutMs: 30000,
    });

    // The account page names the region on its refresh button; the result goes with the region.
    await page.goto(`${server.baseUrl}/accounts/${accountId}?region=us-east-1`);
    const button = page.getByRole('button', { name: 'Refresh us-east-1 from AWS' });
    await button.click();
    await page
      .getByText(/^us-east-1: /)
      .first()
      .waitFor({ timeout: 30000 });
    await page.getByLabel('Region').selectOption('us-west-2');
    await page.getByRole('button', { name: 'Refresh us-west-2 from AWS' }).waitFor();
    expect((await page.getByText(/^us-east-1: /).count()) === 0, 'the us-east-1 result went with its region');

    // Disable it again (through the API), then enable it in the page: the offer starts a job limited to it.
    const now = (await api('GET', '/api/admin/quota-config')).json;
    const off = now.models.map((m) =>
      m.model_id === model.model_id ? { ...m, enabled: false, show_in_dashboard: false } : m,
    );
    expect((await api('PUT', '/api/admin/quota-config', { version: now.version, models: off })).status === 200, 'off');
    await page.goto(`${server.baseUrl}/settings/quota-config`);
    await page.getByRole('checkbox', { name: `Enable ${MODEL}` }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page
      .getByTestId('fleet-refresh-offer')
      .getByRole('button', { name: `Refresh ${MODEL} across the fleet now` })
      .click();
    await page.getByText(/^Fleet refresh started \(\d+ account-regions, only the new models\)\./).waitFor();
    await page.getByRole('link', { name: 'Follow it on the fleet refresh page' }).click();
    const job = page.getByTestId('fleet-job');
    await job
      .getByTestId('job-status')
      .getByText(/^Completed/)
      .waitFor({ timeout: 30000 });
    const jobText = await job.textContent();
    expect(jobText.includes(`Started by ${adminEmail}`), `who started it: ${jobText}`);
    expect(jobText.includes(`Only: ${model.model_id}`), `limited to the model: ${jobText}`);
    await job.getByRole('link', { name: 'Prod Bedrock' }).first().waitFor();
    await shot(page, 'en-fleet-job-limited');

    await setLanguage(page, 'zh');
    try {
      await job
        .getByTestId('job-status')
        .getByText(/^已完成/)
        .waitFor();
      expect((await job.textContent()).includes(`发起人：${adminEmail}`), 'who started it, in Chinese');
      await shot(page, 'zh-fleet-job-limited');
    } finally {
      await setLanguage(page, 'en');
    }
    // Leave the config as the later steps expect it.
    const last = (await api('GET', '/api/admin/quota-config')).json;
    const restored = last.models.map((m) =>
      m.model_id === model.model_id ? { ...m, enabled: false, show_in_dashboard: false } : m,
    );
    expect(
      (await api('PUT', '/api/admin/quota-config', { version: last.version, models: restored })).status === 200,
      'restore',
    );
  });

  test('the audit log names actions, actors, targets and config changes; one entry per fleet refresh; refused registrations (en, zh)', async () => {
    const { server, admin, accountId, adminEmail, setLanguage } = ctx();
    const { page } = admin;
    // A refused registration: the account is registered already (409).
    const dup = await page.request.post(`${server.baseUrl}/api/accounts`, {
      headers: CSRF,
      data: {
        account_name: 'Duplicate attempt',
        account_id: accountId,
        credentials: {
          type: 'access_key',
          access_key_id: 'AKIAIOSFODNN7EXAMPLE',
          secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
      },
    });
    expect(dup.status() === 409, `the duplicate answered ${dup.status()}`);

    await page.goto(`${server.baseUrl}/settings/audit`);
    await page.getByLabel('Actor (email)').fill(adminEmail);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.getByRole('row');
    const config = rows.filter({ hasText: 'Changed the quota configuration' }).first();
    await config.waitFor();
    const changes = await config.getByTestId('audit-changes').textContent();
    expect(/Enabled: claude-sonnet-4\.6|Disabled: claude-sonnet-4\.6/.test(changes), `the change: ${changes}`);
    const refused = rows.filter({ hasText: 'Duplicate attempt' }).first();
    await refused.waitFor();
    const refusedText = await refused.textContent();
    expect(refusedText.includes('Registered an account') && refusedText.includes('Denied'), refusedText);
    expect(refusedText.includes('already registered'), `why: ${refusedText}`);
    const fleet = rows.filter({ hasText: 'Started a fleet refresh' }).first();
    await fleet.waitFor();
    // One entry per fleet refresh: no per-account quota.refresh entries for the job.
    await shot(page, 'en-audit-log-readable');
    await fleet.getByRole('link', { name: 'Show the job' }).click();
    await page.getByTestId('fleet-job').getByTestId('job-status').waitFor();

    await page.goto(`${server.baseUrl}/settings/audit`);
    await setLanguage(page, 'zh');
    try {
      await page.getByRole('row').filter({ hasText: '修改配额配置' }).first().waitFor();
      await page.getByRole('row').filter({ hasText: '开始全量刷新' }).first().waitFor();
      await page.getByLabel('操作者（邮箱）').waitFor();
      await shot(page, 'zh-audit-log-readable');
    } finally {
      await setLanguage(page, 'en');
    }
  });
}
