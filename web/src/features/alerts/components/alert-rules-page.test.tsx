import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { apiError, normalUser, quotaConfig } from '@/test/fixtures';
import { alertChannel, alertRule, slackChannel } from '@/test/alert-fixtures';
import type { AlertRule, AlertRuleInput, AlertRulePut } from '@/lib/api/contract';

function serveRules(rules: AlertRule[]) {
  server.use(
    http.get('/api/admin/alert-rules', () => HttpResponse.json({ items: rules })),
    http.get('/api/admin/alert-channels', () => HttpResponse.json({ items: [alertChannel(), slackChannel] })),
    http.get('/api/admin/quota-config', () => HttpResponse.json(quotaConfig(3))),
  );
}

describe('alert rules (admin settings)', () => {
  it('lists the rules with their condition, scope, channels and state', async () => {
    serveRules([
      alertRule(),
      alertRule({
        id: 'ar_2',
        name: 'Throttled',
        condition: 'throttles_above',
        threshold: 50,
        window: '24h',
        enabled: false,
        channel_ids: [],
        scope: { kind: 'team', team: 'ops', account_id: null, model_id: null },
      }),
    ]);
    renderApp('/settings/alert-rules');
    const table = await screen.findByRole('table', { name: 'Alert rules' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Low headroom');
    expect(rows[1]).toHaveTextContent('Headroom below 20 % over 1 hour');
    expect(rows[1]).toHaveTextContent('Fleet');
    expect(rows[1]).toHaveTextContent('Ops webhook');
    expect(rows[1]).toHaveTextContent('Enabled');
    expect(rows[2]).toHaveTextContent('More than 50 throttles over 24 hours');
    expect(rows[2]).toHaveTextContent('Team: ops');
    expect(rows[2]).toHaveTextContent('Disabled');
    expect(screen.getByRole('link', { name: 'Alert rules' })).toHaveAttribute('aria-current', 'page');
  });

  it('creates a headroom rule with the threshold typed as a percentage, a model scope and channels', async () => {
    let body: AlertRuleInput | undefined;
    serveRules([]);
    server.use(
      http.post('/api/admin/alert-rules', async ({ request }) => {
        body = (await request.json()) as AlertRuleInput;
        return HttpResponse.json(alertRule({ name: body.name }), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-rules');
    expect(await screen.findByText('No alert rules yet.')).toBeInTheDocument();
    const form = screen.getByRole('heading', { name: 'New alert rule' }).parentElement!;
    await user.type(within(form).getByLabelText('Name'), 'Opus low');
    const pct = within(form).getByLabelText('Headroom below (%)');
    await user.clear(pct);
    await user.type(pct, '12.5');
    await user.selectOptions(within(form).getByLabelText('Window'), '24h');
    await user.selectOptions(within(form).getByLabelText('Scope'), 'model');
    await within(form).findByRole('option', { name: 'Prod (123456789012)' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Account' }), '123456789012');
    await within(form).findByRole('option', { name: 'Claude Opus 4.5 (claude-opus-4.5)' });
    await user.selectOptions(within(form).getByLabelText('Model'), 'claude-opus-4.5');
    await user.click(within(form).getByRole('checkbox', { name: /Team Slack/ }));
    const renotify = within(form).getByLabelText('Notify again after (minutes)');
    await user.clear(renotify);
    await user.type(renotify, '30');
    await user.click(within(form).getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByText('Rule “Opus low” created.')).toBeInTheDocument();
    expect(body).toEqual({
      name: 'Opus low',
      enabled: true,
      condition: 'headroom_below',
      scope: { kind: 'model', team: null, account_id: '123456789012', model_id: 'claude-opus-4.5' },
      threshold: 0.125,
      window: '24h',
      duration_minutes: null,
      channel_ids: ['ch_0019396b0f6003f1c2a9e5b7d8e4d'],
      renotify_minutes: 30,
    });
  });

  it('sends a duration, not a threshold, for refresh_failing; a 422 shows next to its field', async () => {
    let body: AlertRuleInput | undefined;
    serveRules([]);
    server.use(
      http.post('/api/admin/alert-rules', async ({ request }) => {
        body = (await request.json()) as AlertRuleInput;
        return HttpResponse.json(apiError('validation_failed', 'scope.team: no team "nope"', 'scope.team'), {
          status: 422,
        });
      }),
      http.get('/api/admin/teams', () =>
        HttpResponse.json({ items: [{ team_id: 'nope', name: 'nope', created_at: null }], total: 1 }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-rules');
    const form = (await screen.findByRole('heading', { name: 'New alert rule' })).parentElement!;
    await user.type(within(form).getByLabelText('Name'), 'Refresh broken');
    await user.selectOptions(within(form).getByLabelText('Condition'), 'refresh_failing');
    expect(within(form).queryByLabelText('Headroom below (%)')).not.toBeInTheDocument();
    const duration = within(form).getByLabelText('For longer than (minutes)');
    await user.clear(duration);
    await user.type(duration, '45');
    await user.selectOptions(within(form).getByLabelText('Scope'), 'team');
    await within(form).findByRole('option', { name: 'nope' });
    await user.selectOptions(within(form).getByLabelText('Team'), 'nope');
    await user.click(within(form).getByRole('button', { name: 'Create rule' }));
    const team = within(form).getByLabelText('Team');
    await waitFor(() => expect(team).toHaveAttribute('aria-invalid', 'true'));
    expect(within(form).getByText('no team "nope"')).toBeInTheDocument();
    expect(body).toMatchObject({
      condition: 'refresh_failing',
      threshold: null,
      window: null,
      duration_minutes: 45,
      scope: { kind: 'team', team: 'nope', account_id: null, model_id: null },
    });
  });

  it('edits with the version read; a 409 says someone else changed it and Reload restarts from the stored rule', async () => {
    const puts: AlertRulePut[] = [];
    serveRules([alertRule()]);
    server.use(
      http.put('/api/admin/alert-rules/:id', async ({ request }) => {
        const b = (await request.json()) as AlertRulePut;
        puts.push(b);
        if (b.version === 3)
          return HttpResponse.json(apiError('conflict', 'the rule changed since version 3'), { status: 409 });
        return HttpResponse.json(alertRule({ ...b, scope: alertRule().scope, version: b.version + 1 }));
      }),
      http.get('/api/admin/alert-rules/:id', () =>
        HttpResponse.json(alertRule({ name: 'Renamed elsewhere', version: 4 })),
      ),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-rules');
    await user.click(await screen.findByRole('button', { name: 'Edit rule Low headroom' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit rule Low headroom' });
    expect(within(dialog).getByLabelText('Headroom below (%)')).toHaveValue(20);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText('This rule was changed by someone else. Reload it and make your change again.'),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(within(dialog).getByLabelText('Name')).toHaveValue('Renamed elsewhere'));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(puts.map((p) => p.version)).toEqual([3, 4]);
    expect(puts[1]).toMatchObject({ name: 'Renamed elsewhere', threshold: 0.2, window: '1h', renotify_minutes: 60 });
  });

  it('disables a rule by sending the whole rule with its version', async () => {
    let body: AlertRulePut | undefined;
    serveRules([alertRule()]);
    server.use(
      http.put('/api/admin/alert-rules/:id', async ({ request }) => {
        body = (await request.json()) as AlertRulePut;
        return HttpResponse.json(alertRule({ enabled: false, version: 4 }));
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-rules');
    await user.click(await screen.findByRole('button', { name: 'Disable rule Low headroom' }));
    await waitFor(() => expect(body).toBeDefined());
    expect(body).toMatchObject({ enabled: false, version: 3, threshold: 0.2, channel_ids: alertRule().channel_ids });
  });

  it('deletes with ?version=; a 409 offers to reload', async () => {
    const versions: (string | null)[] = [];
    serveRules([alertRule()]);
    server.use(
      http.delete('/api/admin/alert-rules/:id', ({ request }) => {
        versions.push(new URL(request.url).searchParams.get('version'));
        return HttpResponse.json(apiError('conflict', 'the rule changed since version 3'), { status: 409 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-rules');
    await user.click(await screen.findByRole('button', { name: 'Delete rule Low headroom' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete alert rule' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText(/changed by someone else/)).toBeInTheDocument();
    expect(versions).toEqual(['3']);
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
  });

  it('reads in Chinese, and is forbidden to users', async () => {
    await i18n.changeLanguage('zh');
    serveRules([alertRule()]);
    const { unmount } = renderApp('/settings/alert-rules');
    expect(await screen.findByRole('heading', { name: '告警规则' })).toBeInTheDocument();
    expect(await screen.findByText('1 小时内余量低于 20 %')).toBeInTheDocument();
    unmount();
    await i18n.changeLanguage('en');
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/settings/alert-rules');
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
  });
});
