import { http, HttpResponse } from 'msw';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { adminUser, apiError, job, jobItem, normalUser, quotaConfig } from '@/test/fixtures';

describe('settings visibility', () => {
  it('shows the settings link to admins', async () => {
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Settings' })).toBeInTheDocument();
  });

  it('does not render the settings link for users, and the route is forbidden', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Accounts' })).toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Settings' })).not.toBeInTheDocument();
  });

  it('answers a user who types the settings address with access denied, without calling admin APIs', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/settings/quota-config');
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
  });
});

describe('quota config', () => {
  it('saves toggles with the version read', async () => {
    let body:
      { version: number; models: { model_id: string; enabled: boolean; show_in_dashboard: boolean }[] } | undefined;
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(3))),
      http.put('/api/admin/quota-config', async ({ request }) => {
        body = (await request.json()) as typeof body;
        const saved = quotaConfig(4);
        saved.models = body!.models as typeof saved.models;
        return HttpResponse.json({ ...saved, newly_read_models: [] });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    const show = await screen.findByRole('checkbox', { name: 'Show Claude Sonnet 4.5 V1 on the dashboard' });
    expect(show).not.toBeChecked();
    expect(screen.getByRole('button', { name: 'Save' })).toHaveAttribute('aria-disabled', 'true');
    await user.click(show);
    await user.click(screen.getByRole('checkbox', { name: 'Enable Claude Opus 4.5' }));
    expect(screen.getByText('You have unsaved changes.')).toBeInTheDocument();
    // Codes are read-only text.
    expect(screen.getByText('L-4B26E44A').tagName).toBe('CODE');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(body?.version).toBe(3);
    expect(body?.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1')?.show_in_dashboard).toBe(true);
    expect(body?.models.find((m) => m.model_id === 'claude-opus-4.5')?.enabled).toBe(false);
    expect(screen.getByText(/Version 4/)).toHaveTextContent('by admin@example.com');
  });

  it("edits the output token burndown, checks it as typed and sends every model's value on save", async () => {
    let body: { version: number; models: { model_id: string; output_token_burndown: number }[] } | undefined;
    const config = quotaConfig(3);
    config.models[0].output_token_burndown = 1; // a non-default value the page must send back unchanged
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(config)),
      http.put('/api/admin/quota-config', async ({ request }) => {
        body = (await request.json()) as typeof body;
        return HttpResponse.json({ ...quotaConfig(4), models: body!.models, newly_read_models: [] });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    const sonnet = await screen.findByRole('spinbutton', { name: 'Output token burndown of Claude Sonnet 4.5 V1' });
    expect(sonnet).toHaveValue(5);
    expect(screen.getByRole('spinbutton', { name: 'Output token burndown of Claude Opus 4.5' })).toHaveValue(1);
    expect(screen.getByText(/one output token uses N tokens of the model’s TPM quota/)).toBeInTheDocument();
    const save = screen.getByRole('button', { name: 'Save' });

    for (const bad of ['0', '101', '2.5']) {
      await user.clear(sonnet);
      await user.type(sonnet, bad);
      expect(sonnet).toHaveAttribute('aria-invalid', 'true');
      expect(screen.getByRole('alert')).toHaveTextContent('Enter a whole number from 1 to 100.');
      expect(save).toHaveAttribute('aria-disabled', 'true');
    }
    await user.clear(sonnet);
    expect(sonnet).toHaveAttribute('aria-invalid', 'true'); // empty is not a number either
    await user.type(sonnet, '12');
    expect(sonnet).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('Enter a whole number from 1 to 100.')).not.toBeInTheDocument();
    expect(screen.getByText('You have unsaved changes.')).toBeInTheDocument();
    await user.click(save);
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(body?.version).toBe(3);
    expect(body?.models.find((m) => m.model_id === 'claude-sonnet-4.5-v1')?.output_token_burndown).toBe(12);
    expect(body?.models.find((m) => m.model_id === 'claude-opus-4.5')?.output_token_burndown).toBe(1);
  });

  it('discards an invalid burndown with the other changes', async () => {
    server.use(http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(3))));
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    const opus = await screen.findByRole('spinbutton', { name: 'Output token burndown of Claude Opus 4.5' });
    await user.clear(opus);
    await user.type(opus, '0');
    expect(screen.getByRole('button', { name: 'Save' })).toHaveAttribute('aria-disabled', 'true');
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(opus).toHaveValue(5);
    expect(opus).not.toHaveAttribute('aria-invalid');
  });

  it('on 409 says who saved which version, and re-applies my edit on it or drops it', async () => {
    let version = 3;
    let sent: { version: number; models: { model_id: string }[] } | undefined;
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(version))),
      http.put('/api/admin/quota-config', async ({ request }) => {
        const body = (await request.json()) as { version: number; models: { model_id: string }[] };
        if (body.version !== version) {
          return HttpResponse.json(
            apiError('conflict', `the quota configuration changed since version ${body.version}`),
            {
              status: 409,
            },
          );
        }
        sent = body;
        version += 1;
        return HttpResponse.json({ ...quotaConfig(version), models: body.models, newly_read_models: [] });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    await user.click(await screen.findByRole('button', { name: 'Remove Claude Opus 4.5' }));
    version = 5; // someone else saved
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const conflict = await screen.findByTestId('config-conflict');
    expect(conflict).toHaveTextContent('Someone else saved first');
    expect(conflict).toHaveTextContent(/admin@example\.com saved version 5/);
    expect(document.activeElement).toBe(conflict); // announced and reachable from the keyboard
    await user.click(within(conflict).getByRole('button', { name: 'Re-apply my edit on version 5' }));
    expect(screen.queryByRole('button', { name: 'Remove Claude Opus 4.5' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(sent?.version).toBe(5);
    expect(sent?.models.map((m) => m.model_id)).not.toContain('claude-opus-4.5');
  });

  it('on 409 drops my edit on request and shows the newer version', async () => {
    let version = 3;
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(version))),
      http.put('/api/admin/quota-config', () =>
        HttpResponse.json(apiError('conflict', 'the quota configuration changed since version 3'), { status: 409 }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    await user.click(await screen.findByRole('button', { name: 'Remove Claude Opus 4.5' }));
    version = 5;
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const conflict = await screen.findByTestId('config-conflict');
    await user.click(within(conflict).getByRole('button', { name: 'Discard my edit' }));
    expect(await screen.findByText(/Version 5/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove Claude Opus 4.5' })).toBeInTheDocument();
    expect(screen.queryByTestId('config-conflict')).not.toBeInTheDocument();
  });

  it('adds models from available-models when the server has them', async () => {
    let body: { models: { model_id: string; enabled: boolean; output_token_burndown: number }[] } | undefined;
    server.use(
      http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(3))),
      http.get('/api/admin/available-models', () =>
        HttpResponse.json({
          source: 'aws',
          fallback_reason: null,
          account_id: '123456789012',
          region: 'us-east-1',
          quotas_seen: 806,
          discovered_at: '2026-01-01T00:00:00Z',
          models: [
            {
              display_name: 'Claude Opus 4.5',
              model_id: 'claude-opus-4.5',
              scope: 'global-cross-region',
              version: 4.5,
              has_1m_context: false,
              quota_code_tpm: 'L-3ABF6ACC',
              quota_code_rpm: 'L-58424D95',
              quota_code_tpm_1m: null,
              quota_code_rpm_1m: null,
              output_token_burndown: 5,
              in_config: true,
            },
            {
              display_name: 'Claude Haiku 4.5',
              model_id: 'claude-haiku-4.5',
              scope: 'global-cross-region',
              version: 4.5,
              has_1m_context: false,
              quota_code_tpm: 'L-9A11C666',
              quota_code_rpm: 'L-E5084BBA',
              quota_code_tpm_1m: null,
              quota_code_rpm_1m: null,
              output_token_burndown: 3,
              in_config: false,
            },
          ],
        }),
      ),
      http.put('/api/admin/quota-config', async ({ request }) => {
        body = (await request.json()) as typeof body;
        return HttpResponse.json({ ...quotaConfig(4), models: body!.models, newly_read_models: [] });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/quota-config');
    expect(
      await screen.findByText(/Read from the Service Quotas of account 123456789012 in us-east-1/),
    ).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Add Claude Haiku 4.5' }));
    expect(screen.getByRole('checkbox', { name: 'Enable Claude Haiku 4.5' })).toBeChecked();
    expect(screen.getByText('Every available model is in the configuration.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(body?.models.map((m) => m.model_id)).toContain('claude-haiku-4.5'));
    // The added model carries the catalogue's burndown.
    expect(body?.models.find((m) => m.model_id === 'claude-haiku-4.5')?.output_token_burndown).toBe(3);
  });

  it('says when the available models come from the built-in catalogue', async () => {
    server.use(http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(3))));
    renderApp('/settings/quota-config');
    expect(await screen.findByText(/From the built-in catalogue .*: no account could be asked\./)).toBeInTheDocument();
  });
});

describe('audit log', () => {
  const entry = (i: number) => ({
    audit_id: `a_${i}`,
    at: '2026-01-02T03:04:05Z',
    actor_id: 'u_admin',
    actor_email: 'admin@example.com',
    action: i % 2 ? 'credentials.export' : 'account.create',
    target_type: 'account',
    target_id: '123456789012',
    target_name: null,
    outcome: 'success',
    client_ip: '127.0.0.1',
    user_agent: 'test',
    request_id: `r${i}`,
    detail: '',
    count: 1,
    last_at: '2026-01-02T03:04:05Z',
  });

  it('filters by action, outcome and time and pages', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get('/api/admin/audit-log', ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q);
        // Two pages: the first (no cursor) points at the second with cursor "c2".
        const second = q.get('cursor') === 'c2';
        return HttpResponse.json({ items: [entry(second ? 2 : 1)], next: second ? null : 'c2', page_size: 25 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/audit');
    expect(await screen.findByText('credentials.export')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Action'), 'credentials.export');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'denied');
    await user.type(screen.getByLabelText('Target id'), '123456789012');
    await user.type(screen.getByLabelText('From (UTC)'), '2026-01-01T00:00');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(seen.at(-1)?.get('action')).toBe('credentials.export'));
    const q = seen.at(-1)!;
    expect(q.get('outcome')).toBe('denied');
    expect(q.get('target_id')).toBe('123456789012');
    expect(q.get('from')).toBe('2026-01-01T00:00:00Z');
    expect(q.get('page_size')).toBe('25');
    expect(q.get('cursor')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(seen.at(-1)?.get('cursor')).toBe('c2'));
    expect(seen.at(-1)?.get('action')).toBe('credentials.export');
    expect(await screen.findByText('account.create')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('credentials.export')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('account.create')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.getByLabelText('Action')).toHaveValue('');
    // A filter change goes back to the first page (served from the cache of the first load).
    expect(await screen.findByText('credentials.export')).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
  });
});

describe('audit log counts', () => {
  it('shows how many times a coalesced entry happened', async () => {
    server.use(
      http.get('/api/admin/audit-log', () =>
        HttpResponse.json({
          items: [
            {
              audit_id: 'a_1',
              at: '2026-01-02T03:04:05Z',
              actor_id: 'anonymous',
              actor_email: '',
              action: 'auth.login',
              target_type: 'user',
              target_id: 'nobody@example.com',
              target_name: null,
              outcome: 'failure',
              client_ip: '203.0.113.9',
              user_agent: 'x',
              request_id: 'r1',
              detail: '',
              count: 200,
              last_at: '2026-01-02T03:14:05Z',
            },
            {
              audit_id: 'a_2',
              at: '2026-01-02T03:04:05Z',
              actor_id: 'u_admin',
              actor_email: 'admin@example.com',
              action: 'account.create',
              target_type: 'account',
              target_id: '123456789012',
              target_name: 'Prod',
              outcome: 'success',
              client_ip: '127.0.0.1',
              user_agent: 'x',
              request_id: 'r2',
              detail: '',
              count: 1,
              last_at: '2026-01-02T03:04:05Z',
            },
          ],
          next: null,
          page_size: 25,
        }),
      ),
    );
    renderApp('/settings/audit');
    expect(await screen.findByText(/^200 times, the last at /)).toBeInTheDocument();
    expect(screen.queryByText(/^1 times/)).not.toBeInTheDocument();
  });
});

describe('users and teams', () => {
  it('creates a user and shows the generated password once', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.get('/api/admin/users', () =>
        HttpResponse.json({ items: [adminUser], next: null, total: 1, page_size: 50 }),
      ),
      http.post('/api/admin/users', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(
          { ...normalUser, email: 'new@example.com', generated_password: 'Gen-Pass-1234' },
          { status: 201 },
        );
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/users');
    expect(await screen.findByText('admin@example.com', { selector: 'td' })).toBeInTheDocument();
    // One cannot delete oneself.
    expect(screen.queryByRole('button', { name: 'Delete admin@example.com' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), 'new@example.com');
    await user.click(screen.getByRole('checkbox', { name: 'ops' }));
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('Gen-Pass-1234')).toBeInTheDocument();
    expect(body).toEqual({ email: 'new@example.com', role: 'user', teams: ['ops'] });
  });

  it('pages the users list by cursor and shows the total', async () => {
    const asked: (string | null)[] = [];
    server.use(
      http.get('/api/admin/users', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        asked.push(cursor);
        return cursor === 'u2'
          ? HttpResponse.json({ items: [normalUser], next: null, total: 2, page_size: 50 })
          : HttpResponse.json({ items: [adminUser], next: 'u2', total: 2, page_size: 50 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/users');
    expect(await screen.findByText('admin@example.com', { selector: 'td' })).toBeInTheDocument();
    expect(screen.getByText('2 users in all')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText(normalUser.email, { selector: 'td' })).toBeInTheDocument();
    expect(asked.at(-1)).toBe('u2');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
  });

  it('creates and deletes teams', async () => {
    const teams = [{ team_id: 'ops', name: 'Ops', created_at: null as string | null }];
    server.use(
      http.get('/api/admin/teams', () => HttpResponse.json({ items: teams, total: teams.length })),
      http.post('/api/admin/teams', async ({ request }) => {
        const b = (await request.json()) as { team_id: string; name?: string };
        teams.push({ team_id: b.team_id, name: b.name ?? b.team_id, created_at: null });
        return HttpResponse.json(teams.at(-1), { status: 201 });
      }),
      http.delete('/api/admin/teams/:id', ({ params }) => {
        teams.splice(
          teams.findIndex((t) => t.team_id === params.id),
          1,
        );
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/teams');
    await user.type(await screen.findByLabelText('Team id'), 'ml');
    await user.type(screen.getByLabelText('Name'), 'Machine learning');
    await user.click(screen.getByRole('button', { name: 'Create team' }));
    expect(await screen.findByText('Machine learning')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete team ops' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByText('Ops')).not.toBeInTheDocument());
  });
});

describe('fleet refresh', () => {
  it('offers the form at once, without asking the server whether it has the route', async () => {
    const methods: string[] = [];
    server.events.on('request:start', ({ request }) => methods.push(request.method));
    renderApp('/settings/fleet-refresh');
    expect(await screen.findByRole('button', { name: 'Refresh all accounts' })).toBeEnabled();
    server.events.removeAllListeners();
    expect(methods).not.toContain('OPTIONS');
  });

  it('starts a job and follows it to the end', async () => {
    // The poll runs on a fake clock, moved on explicitly: nothing here waits for wall-clock time.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    onTestFinished(() => void vi.useRealTimers());
    let polls = 0;
    let itemReads = 0;
    let startBody: unknown;
    const finished = () => polls >= 2;
    server.use(
      http.post('/api/admin/quota/refresh-all', async ({ request }) => {
        startBody = await request.json();
        return HttpResponse.json({ job_id: 'j1', total: 2 }, { status: 202 });
      }),
      http.get('/api/jobs/:id', () => {
        polls += 1;
        const done = finished();
        return HttpResponse.json(
          job({
            state: done ? 'succeeded' : 'running',
            region: 'us-east-1',
            finished_at: done ? '2026-01-02T00:00:02Z' : null,
            total: 2,
            done: done ? 2 : 1,
            ok: 1,
            failed: done ? 1 : 0,
            eta_seconds: done ? null : 5,
          }),
        );
      }),
      http.get('/api/jobs/:id/items', () => {
        itemReads += 1;
        const done = finished();
        return HttpResponse.json({
          items: [
            jobItem({ seq: 0, account_id: '123456789012' }),
            jobItem({
              seq: 1,
              account_id: '210987654321',
              outcome: done ? 'failed' : 'pending',
              values_ok: 0,
              values_failed: done ? 8 : 0,
              error: done ? 'AccessDenied' : null,
              finished_at: done ? '2026-01-02T00:00:02Z' : null,
            }),
          ],
          next: null,
        });
      }),
    );
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderApp('/settings/fleet-refresh');
    await user.selectOptions(await screen.findByLabelText('Region'), 'us-east-1');
    await user.click(await screen.findByRole('button', { name: 'Refresh all accounts' }));
    // Issue 16 §5: the status says how the job stands in words (not a bare state).
    const card = () => screen.getByTestId('fleet-job');
    expect(await within(await screen.findByTestId('fleet-job')).findByText('Running: 1 of 2 done')).toBeInTheDocument();
    expect(startBody).toEqual({ team: null, region: 'us-east-1' });
    expect(screen.getByText(/about 5 s left/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Fleet refresh progress' })).toHaveAttribute('aria-valuenow', '1');
    const items = () => screen.getByRole('table', { name: 'Accounts of the job' });
    expect(within(await screen.findByRole('table', { name: 'Accounts of the job' })).getByText('Pending')).toHaveClass(
      'badge--muted',
    );
    expect(within(card()).getByText('Running: 1 of 2 done')).toHaveClass('badge--info');
    await act(() => vi.advanceTimersByTimeAsync(1000)); // one poll interval: the next read finds the job finished
    expect(await within(card()).findByText('Completed with 1 of 2 failed')).toBeInTheDocument();
    expect(screen.getByText(/^1 ok, 0 partial, 1 failed/)).toBeInTheDocument();
    // The items are read again once the job has ended.
    expect(await within(items()).findByText('AccessDenied')).toBeInTheDocument();
    // Tones by the contract's closed sets: the job's state and each account's outcome.
    // A finished job with a failed account: completed, with a warning (not "Failed", not a plain success).
    expect(within(card()).getByText('Completed with 1 of 2 failed')).toHaveClass('badge--warn');
    expect(within(items()).getByText('Failed')).toHaveClass('badge--error');
    expect(within(items()).getByText('OK')).toHaveClass('badge--ok');
    expect(within(items()).getByText('8 read, 0 failed')).toBeInTheDocument();
    // A finished job (and its items) is not read again, however many poll intervals pass.
    const after = [polls, itemReads];
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect([polls, itemReads]).toEqual(after);
  });

  it("pages through a job's items by cursor and narrows them to an outcome", async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get('/api/jobs/:id', () => HttpResponse.json(job({ state: 'failed', total: 120, done: 120, failed: 3 }))),
      http.get('/api/jobs', () => HttpResponse.json({ items: [job({ state: 'failed' })], next: null })),
      http.get('/api/jobs/:id/items', ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q);
        if (q.get('outcome') === 'failed')
          return HttpResponse.json({
            items: [jobItem({ seq: 7, account_id: '777777777777', outcome: 'failed', error: 'AccessDenied' })],
            next: null,
          });
        const second = q.get('cursor') === 'c-50';
        return HttpResponse.json({
          items: [jobItem({ seq: second ? 50 : 0, account_id: second ? '500000000000' : '100000000000' })],
          next: second ? null : 'c-50',
        });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/fleet-refresh');
    await user.click(await screen.findByRole('button', { name: 'Show' }));
    expect(await screen.findByText('100000000000')).toBeInTheDocument();
    const job1 = screen.getByTestId('fleet-job');
    await user.click(within(job1).getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('500000000000')).toBeInTheDocument();
    expect(seen.at(-1)?.get('cursor')).toBe('c-50');
    expect(within(job1).getByRole('button', { name: 'Next' })).toBeDisabled();
    await user.selectOptions(within(job1).getByLabelText('Outcome'), 'failed');
    expect(await screen.findByText('777777777777')).toBeInTheDocument();
    // A new filter starts at the first page.
    expect(seen.at(-1)?.get('cursor')).toBeNull();
    expect(seen.at(-1)?.get('outcome')).toBe('failed');
  });

  it('pages through the jobs by cursor, kept in the URL', async () => {
    const cursors: (string | null)[] = [];
    server.use(
      http.get('/api/jobs', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return cursor === 'c-j2'
          ? HttpResponse.json({ items: [job({ job_id: 'j_old', state: 'succeeded', done: 4 })], next: null })
          : HttpResponse.json({ items: [job({ job_id: 'j_new', state: 'succeeded', done: 4 })], next: 'c-j2' });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/fleet-refresh');
    const recent = await screen.findByRole('table', { name: 'Recent jobs' });
    expect(within(recent).getAllByRole('row')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(cursors.at(-1)).toBe('c-j2'));
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('Page 1')).toBeInTheDocument(); // the first page again (cached: no new read)
  });

  it('follows a job already running, says so on 409, and resumes an interrupted one', async () => {
    let resumed = '';
    server.use(
      http.get('/api/jobs', () =>
        HttpResponse.json({
          items: [job({ job_id: 'j2' }), job({ job_id: 'j1', state: 'interrupted' })],
          next: null,
        }),
      ),
      http.get('/api/jobs/:id', ({ params }) => HttpResponse.json(job({ job_id: String(params.id) }))),
      http.post('/api/admin/quota/refresh-all', () =>
        HttpResponse.json(apiError('conflict', 'a fleet job is running'), { status: 409 }),
      ),
      http.post('/api/jobs/:id/resume', ({ params }) => {
        resumed = String(params.id);
        return HttpResponse.json({ job_id: String(params.id), total: 4, done: 1 }, { status: 202 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/fleet-refresh');
    // The running job is followed at once.
    const followed = await screen.findByTestId('fleet-job');
    expect(followed).toHaveTextContent('Running: 1 of 4 done');
    expect(screen.getByRole('button', { name: 'Refreshing…' })).toBeDisabled();
    const recent = screen.getByRole('table', { name: 'Recent jobs' });
    expect(within(recent).getByText('Interrupted: 1 of 4 done')).toBeInTheDocument();
    await user.click(within(recent).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(resumed).toBe('j1'));
  });
});

describe('fleet refresh: the contract', () => {
  it('fails loudly on a job item the contract does not describe (state instead of outcome)', async () => {
    server.use(
      http.get('/api/jobs', () => HttpResponse.json({ items: [job({ job_id: 'j3' })], next: null })),
      http.get('/api/jobs/:id', () => HttpResponse.json(job({ job_id: 'j3' }))),
      http.get('/api/jobs/:id/items', () =>
        HttpResponse.json({
          items: [{ seq: 0, account_id: '123456789012', account_name: 'Prod', region: 'us-east-1', state: 'done' }],
          next: null,
        }),
      ),
    );
    renderApp('/settings/fleet-refresh');
    expect(await screen.findByText(/unexpected response from \/api\/jobs\/j3\/items: items\.0\./)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Accounts of the job' })).not.toBeInTheDocument();
  });
});
