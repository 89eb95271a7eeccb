// Issue 16 §3 and §5: from configuration to data (a fleet refresh offered for new models, a 422 for a shown but
// disabled model, never-read cells with an action, region-scoped refresh results) and an audit log and fleet jobs
// people can read (action names, actor by email, target names, config changes, job status, starter, names), en + zh.
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { account, apiError, dashboardRow, dashboardStats, job, jobItem, quotaConfig } from '@/test/fixtures';

afterEach(async () => {
  await i18n.changeLanguage('en');
});

const base = {
  at: '2026-01-02T03:04:05Z',
  actor_id: 'u_admin',
  actor_email: 'admin@example.com',
  client_ip: '127.0.0.1',
  user_agent: 'x',
  request_id: 'r',
  count: 1,
  last_at: '2026-01-02T03:04:05Z',
  outcome: 'success',
};

const entries = [
  {
    ...base,
    audit_id: 'a_1',
    action: 'quota_config.update',
    target_type: 'quota_config',
    target_id: 'global-quota-config',
    target_name: null,
    detail: JSON.stringify({
      version: 7,
      added: ['claude-haiku-4.5'],
      removed: ['claude-3-haiku'],
      enabled: [],
      disabled: ['claude-opus-4.5'],
      shown: [],
      hidden: [],
      edited: [],
    }),
  },
  {
    ...base,
    audit_id: 'a_2',
    action: 'account.create',
    target_type: 'account',
    target_id: '123456789012',
    target_name: 'Prod EU',
    outcome: 'denied',
    detail: JSON.stringify({
      target_name: 'Prod EU',
      code: 'ALREADY_EXISTS',
      field: 'account_id',
      error: 'account 123456789012 is already registered',
    }),
  },
  {
    ...base,
    audit_id: 'a_3',
    action: 'quota.refresh_all',
    target_type: 'job',
    target_id: 'j_42',
    target_name: null,
    detail: '{"accounts":12}',
  },
  {
    ...base,
    audit_id: 'a_4',
    actor_id: 'system',
    actor_email: '',
    action: 'something.new',
    target_type: 'widget',
    target_id: 'w1',
    target_name: null,
    detail: '',
  },
];

function useAuditLog(seen: URLSearchParams[] = []) {
  server.use(
    http.get('/api/admin/audit-log', ({ request }) => {
      seen.push(new URL(request.url).searchParams);
      return HttpResponse.json({ items: entries, next: null, page_size: 25 });
    }),
  );
  return seen;
}

describe('the audit log people can read', () => {
  it('names actions, targets and config changes; links the job; filters by actor email (en)', async () => {
    const seen = useAuditLog();
    const user = userEvent.setup();
    renderApp('/settings/audit');
    expect(await screen.findByText('Changed the quota configuration')).toBeInTheDocument();
    const changes = screen.getByTestId('audit-changes');
    expect(changes).toHaveTextContent('version 7');
    expect(changes).toHaveTextContent('Added: claude-haiku-4.5');
    expect(changes).toHaveTextContent('Removed: claude-3-haiku');
    expect(changes).toHaveTextContent('Disabled: claude-opus-4.5');
    // A refused registration: its name beside the id, and why.
    expect(screen.getByText('Registered an account')).toBeInTheDocument();
    expect(screen.getByText('Prod EU')).toBeInTheDocument();
    expect(screen.getByText('Refused: account 123456789012 is already registered')).toBeInTheDocument();
    expect(screen.getByText('Denied', { selector: '.badge' })).toBeInTheDocument();
    // One entry per fleet refresh, with its job.
    expect(screen.getByText('Started a fleet refresh')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Show the job' })).toHaveAttribute(
      'href',
      '/settings/fleet-refresh?job=j_42',
    );
    // Unknown codes are shown raw; the system actor by name.
    expect(screen.getByText('something.new')).toBeInTheDocument();
    expect(screen.getByText('System')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Actor (email)'), 'ops@example.com');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(seen.at(-1)?.get('actor_email')).toBe('ops@example.com'));
  });

  it('reads in Chinese', async () => {
    useAuditLog();
    await i18n.changeLanguage('zh');
    renderApp('/settings/audit');
    expect(await screen.findByText('修改配额配置')).toBeInTheDocument();
    expect(screen.getByTestId('audit-changes')).toHaveTextContent('新增: claude-haiku-4.5');
    expect(screen.getByText('注册账号')).toBeInTheDocument();
    expect(screen.getByText('开始全量刷新')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '查看任务' })).toBeInTheDocument();
    expect(screen.getByText('系统')).toBeInTheDocument();
    expect(screen.getByLabelText('操作者（邮箱）')).toBeInTheDocument();
  });
});

describe('fleet jobs people can read', () => {
  const finished = job({
    job_id: 'j_42',
    state: 'failed',
    total: 12,
    done: 12,
    ok: 11,
    partial: 0,
    failed: 1,
    eta_seconds: null,
    finished_at: '2026-01-02T00:01:00Z',
    model_ids: ['claude-haiku-4.5'],
    quota_codes: ['L-11111111'],
  });
  function useJobs() {
    server.use(
      http.get('/api/jobs', () =>
        HttpResponse.json({
          items: [
            finished,
            job({
              job_id: 'j_1',
              kind: 'quota_refresh_scheduled',
              created_by: 'system',
              created_by_email: null,
              state: 'succeeded',
              done: 4,
              ok: 4,
              eta_seconds: null,
            }),
          ],
          next: null,
        }),
      ),
      http.get('/api/jobs/:id', ({ params }) => HttpResponse.json(params.id === 'j_42' ? finished : job())),
      http.get('/api/jobs/:id/items', () =>
        HttpResponse.json({
          items: [
            jobItem({ account_name: 'Prod EU' }),
            jobItem({
              seq: 1,
              account_id: '210987654321',
              account_name: null,
              outcome: 'failed',
              error: 'AccessDenied',
            }),
          ],
          next: null,
        }),
      ),
    );
  }

  it('says "completed with 1 of 12 failed", shows failures in the bar, the starter and account names (en)', async () => {
    useJobs();
    renderApp('/settings/fleet-refresh?job=j_42');
    const card = await screen.findByTestId('fleet-job');
    expect(within(card).getByTestId('job-status')).toHaveTextContent('Completed with 1 of 12 failed');
    const bar = within(card).getByRole('progressbar', { name: 'Fleet refresh progress' });
    expect(bar).toHaveAttribute('aria-valuetext', '11 ok, 0 partial, 1 failed, 0 pending');
    expect(bar.querySelector('[data-segment="failed"]')).not.toBeNull();
    expect(card).toHaveTextContent('Started by admin@example.com');
    expect(card).toHaveTextContent('Only: claude-haiku-4.5');
    expect(await within(card).findByRole('link', { name: 'Prod EU' })).toHaveAttribute(
      'href',
      '/accounts/123456789012?region=us-east-1',
    );
    expect(within(card).getByRole('link', { name: '210987654321' })).toBeInTheDocument();
    const recent = screen.getByRole('table', { name: 'Recent jobs' });
    expect(within(recent).getByText('Started by Schedule')).toBeInTheDocument();
    expect(within(recent).getByText('Completed: all 4 refreshed')).toBeInTheDocument();
  });

  it('reads in Chinese', async () => {
    useJobs();
    await i18n.changeLanguage('zh');
    renderApp('/settings/fleet-refresh?job=j_42');
    const card = await screen.findByTestId('fleet-job');
    expect(within(card).getByTestId('job-status')).toHaveTextContent('已完成，12 个中有 1 个失败');
    expect(card).toHaveTextContent('发起人：admin@example.com');
  });
});

describe('from configuration to data', () => {
  it('offers to refresh a newly enabled model across the fleet, limited to it', async () => {
    const config = quotaConfig(3);
    const opus46 = config.models.find((m) => m.model_id === 'claude-opus-4.6-v1') ?? config.models[0];
    let started: Record<string, unknown> | undefined;
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(config)),
      http.put('/api/admin/quota-config', async ({ request }) => {
        const body = (await request.json()) as { models: typeof config.models };
        return HttpResponse.json({ ...quotaConfig(4), models: body.models, newly_read_models: [opus46.model_id] });
      }),
      http.post('/api/admin/quota/refresh-all', async ({ request }) => {
        started = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ job_id: 'j_9', total: 4 }, { status: 202 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    await user.click(
      await screen.findByRole('button', { name: `Remove ${config.models[config.models.length - 1].display_name}` }),
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const offer = await screen.findByTestId('fleet-refresh-offer');
    expect(offer).toHaveTextContent(`${opus46.display_name} is not read yet on any account.`);
    await user.click(
      within(offer).getByRole('button', { name: `Refresh ${opus46.display_name} across the fleet now` }),
    );
    expect(await within(offer).findByText(/Fleet refresh started \(4 account-regions/)).toBeInTheDocument();
    expect(started?.model_ids).toEqual([opus46.model_id]);
    expect(within(offer).getByRole('link', { name: 'Follow it on the fleet refresh page' })).toHaveAttribute(
      'href',
      '/settings/fleet-refresh?job=j_9', // opens the job just started
    );
  });

  it('never lets a disabled model be shown: the checkbox is off, disabling hides it and says so; a 422 shows', async () => {
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(3))),
      http.put('/api/admin/quota-config', () =>
        HttpResponse.json(
          apiError(
            'validation_failed',
            'a model shown on the dashboard must be enabled',
            'models[0].show_in_dashboard',
          ),
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    const enable = await screen.findByRole('checkbox', { name: 'Enable Claude Opus 4.5' });
    const show = screen.getByRole('checkbox', { name: 'Show Claude Opus 4.5 on the dashboard' });
    expect(show).toBeChecked();
    await user.click(enable);
    expect(show).not.toBeChecked();
    expect(show).toBeDisabled();
    expect(screen.getByText(/Claude Opus 4.5 is no longer shown on the dashboard/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/a model shown on the dashboard must be enabled/)).toBeInTheDocument();
    expect(screen.queryByText('Saved.')).not.toBeInTheDocument();
  });

  it('says why a dashboard cell is empty and refreshes that account-region from it', async () => {
    const row = dashboardRow('123456789012', 'us-west-2', 'Prod');
    for (const dims of Object.values(row.values)) {
      for (const v of Object.values(dims))
        Object.assign(v, {
          value: null,
          state: 'never',
          source: null,
          read_at: null,
          attempted_at: null,
          reason: null,
          reason_kind: null,
        });
    }
    let refreshed: string | null = null;
    server.use(
      http.get('/api/dashboard/stats', () => HttpResponse.json({ ...dashboardStats, accounts: [row] })),
      http.post('/api/accounts/:id/quota/refresh', ({ request }) => {
        refreshed = new URL(request.url).searchParams.get('region');
        return HttpResponse.json(apiError('aws_error', 'no quota could be read'), { status: 502 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/');
    const cells = await screen.findAllByTestId('never-read');
    expect(cells[0]).toHaveTextContent('never read — refresh now');
    await user.click(within(cells[0]).getByRole('button', { name: 'Refresh Prod in us-west-2 now' }));
    await waitFor(() => expect(refreshed).toBe('us-west-2'));
  });

  it('names the region on the refresh button, and a result goes when the region changes', async () => {
    server.use(
      http.get('/api/accounts/:id', () => HttpResponse.json(account({ regions: ['us-east-1', 'us-west-2'] }))),
    );
    const user = userEvent.setup();
    renderApp('/accounts/123456789012');
    await screen.findByTestId('quota-card-claude-opus-4.5', {}, { timeout: 5000 });
    await user.click(await screen.findByRole('button', { name: 'Refresh us-east-1 from AWS' }));
    expect(await screen.findByText(/^us-east-1: /)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Region'), 'us-west-2');
    expect(await screen.findByRole('button', { name: 'Refresh us-west-2 from AWS' })).toBeInTheDocument();
    expect(screen.queryByText(/^us-east-1: /)).not.toBeInTheDocument();
  });

  it('reads in Chinese', async () => {
    await i18n.changeLanguage('zh');
    renderApp('/accounts/123456789012');
    await screen.findByTestId('quota-card-claude-opus-4.5', {}, { timeout: 5000 });
    expect(await screen.findByRole('button', { name: '从 AWS 刷新 us-east-1' })).toBeInTheDocument();
  });
});
