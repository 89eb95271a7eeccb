import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { account, apiError, normalUser } from '@/test/fixtures';
import { alert, alertChannel, alertRule, resolvedAlert, slackChannel } from '@/test/alert-fixtures';
import type { Alert } from '@/lib/api/contract';
import { formatDateTime } from '@/lib/format';

/** Serves GET /api/alerts from `alerts` by the state filter, recording every query string. */
function serveAlerts(alerts: Alert[], seen: URLSearchParams[] = []) {
  server.use(
    http.get('/api/alerts', ({ request }) => {
      const q = new URL(request.url).searchParams;
      seen.push(q);
      const state = q.get('state');
      const account = q.get('account_id');
      return HttpResponse.json({
        items: alerts.filter((a) => (!state || a.state === state) && (!account || a.target.account_id === account)),
        next: null,
      });
    }),
    http.get('/api/admin/alert-channels', () => HttpResponse.json({ items: [alertChannel(), slackChannel] })),
  );
  return seen;
}

const card = (name: RegExp | string) => screen.findByRole('article', { name });

describe('alerts list', () => {
  it('shows firing alerts before resolved ones, with target, value, state text and every delivery', async () => {
    const seen = serveAlerts([alert(), resolvedAlert]);
    renderApp('/alerts');
    const firing = await card('Low headroom · 123456789012');
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['Firing', 'Resolved']);
    expectTexts(firing, 'Headroom below', 'Prod (123456789012)', 'us-east-1', 'claude-opus-4.5', '12.5 %');
    expectTexts(firing, 'TPM headroom 12.5 % at peak over 1 h');
    // The state is text, not colour only.
    expect(within(firing).getAllByText('Firing')[0]).toHaveClass('badge');
    const deliveries = within(firing).getByRole('list', { name: 'Notifications of Low headroom · 123456789012' });
    const rows = within(deliveries).getAllByRole('listitem');
    expectTexts(rows[0], 'Ops webhook', 'Delivered', 'HTTP 200', '1 attempt');
    // A failing receiver is visible: the error, the status and the attempts.
    expectTexts(rows[1], 'Team Slack', 'Failed', 'receiver answered HTTP 500', 'HTTP 500', '3 attempts');
    // When the sweeper tries the failing channel again; nothing of the sort on a delivered one.
    expectTexts(rows[1], `next try at ${formatDateTime('2026-12-06T10:05:10Z', 'en')}`);
    expect(rows[0]).not.toHaveTextContent('next try');

    const resolved = await card('Refresh failing · 123456789012');
    expectTexts(resolved, 'Resolved', 'eu-west-1', '45 minutes', 'No notification sent yet.');
    expect(within(resolved).queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    // The page's two lists (the navigation badge reads its own page of 100 firing alerts).
    const lists = seen.filter((q) => q.get('limit') === '20');
    expect(lists.map((q) => q.get('state')).sort()).toEqual(['firing', 'resolved']);
  });

  it('filters by state and account (the filters live in the URL)', async () => {
    const seen = serveAlerts([alert(), resolvedAlert]);
    const user = userEvent.setup();
    const { router } = renderApp('/alerts');
    await card('Low headroom · 123456789012');
    await user.selectOptions(screen.getByLabelText('State'), 'firing');
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Resolved' })).not.toBeInTheDocument());
    expect(router.state.location.search).toBe('?state=firing');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Account' }), '123456789012');
    await waitFor(() => expect(seen.at(-1)?.get('account_id')).toBe('123456789012'));
    expect(seen.at(-1)?.get('state')).toBe('firing');
  });

  it('acknowledges, mutes for an hour and for a day, and unmutes', async () => {
    const posts: { path: string; body: unknown }[] = [];
    serveAlerts([alert(), alert({ alert_id: 'bXV0ZWQ', rule_name: 'Muted one', muted_until: '2099-01-01T00:00:00Z' })]);
    server.use(
      http.post('/api/alerts/:id/ack', ({ params }) => {
        posts.push({ path: `ack ${String(params.id)}`, body: null });
        return HttpResponse.json(alert({ acknowledged_by: 'u_admin', acknowledged_at: '2026-12-06T11:00:00Z' }));
      }),
      http.post('/api/alerts/:id/mute', async ({ params, request }) => {
        posts.push({ path: `mute ${String(params.id)}`, body: await request.json() });
        return HttpResponse.json(alert());
      }),
    );
    const user = userEvent.setup();
    renderApp('/alerts?state=firing');
    const first = await card('Low headroom · 123456789012');
    expect(within(first).queryByRole('button', { name: 'Unmute' })).not.toBeInTheDocument();
    await user.click(within(first).getByRole('button', { name: 'Acknowledge' }));
    const before = Date.now();
    await user.click(within(first).getByRole('button', { name: 'Mute 1 h' }));
    await user.click(within(first).getByRole('button', { name: 'Mute 24 h' }));
    const muted = await card('Muted one · 123456789012');
    expectTexts(muted, 'Muted', 'until');
    await user.click(within(muted).getByRole('button', { name: 'Unmute' }));
    await waitFor(() => expect(posts).toHaveLength(4));
    expect(posts[0].path).toBe(`ack ${alert().alert_id}`);
    const until = (i: number) => Date.parse((posts[i].body as { until: string }).until) - before;
    expect(Math.abs(until(1) - 3600_000)).toBeLessThan(60_000);
    expect(Math.abs(until(2) - 24 * 3600_000)).toBeLessThan(60_000);
    expect(posts[3]).toEqual({ path: 'mute bXV0ZWQ', body: { until: null } });
  });

  it('mutes until a chosen time and shows the field error of a 422', async () => {
    let body: { until: string } | undefined;
    serveAlerts([alert()]);
    server.use(
      http.post('/api/alerts/:id/mute', async ({ request }) => {
        body = (await request.json()) as typeof body;
        return HttpResponse.json(apiError('validation_failed', 'until: at most 30 days ahead', 'until'), {
          status: 422,
        });
      }),
    );
    const user = userEvent.setup();
    renderApp('/alerts?state=firing');
    const first = await card('Low headroom · 123456789012');
    await user.click(within(first).getByRole('button', { name: 'Mute until…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mute Low headroom · 123456789012' });
    const input = within(dialog).getByLabelText('Until (your local time)');
    await user.clear(input);
    await user.type(input, '2099-01-02T03:04');
    await user.click(within(dialog).getByRole('button', { name: 'Mute' }));
    expect(await within(dialog).findByText('at most 30 days ahead')).toBeInTheDocument();
    expect(body?.until).toBe(new Date(2099, 0, 2, 3, 4).toISOString());
  });

  it("follows a rule's Alerts link: that rule's alerts only, until cleared", async () => {
    const seen = serveAlerts([alert()]);
    server.use(http.get('/api/admin/alert-rules', () => HttpResponse.json({ items: [alertRule()] })));
    const user = userEvent.setup();
    const { router } = renderApp('/settings/alert-rules');
    await user.click(await screen.findByRole('link', { name: 'Alerts of rule Low headroom' }));
    expect(await screen.findByText('Alerts of the rule “Low headroom”.')).toBeInTheDocument();
    await card('Low headroom · 123456789012');
    const lists = () => seen.filter((q) => q.get('limit') === '20');
    expect(lists().every((q) => q.get('rule_id') === alertRule().id)).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Show every rule' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    await waitFor(() => expect(lists().at(-1)?.get('rule_id')).toBeNull());
  });

  it('asks a user to choose an account first, then lists that account only', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    const seen = serveAlerts([alert()]);
    const user = userEvent.setup();
    renderApp('/alerts');
    expect(await screen.findByText('Choose an account to see its alerts.')).toBeInTheDocument();
    expect(seen).toHaveLength(0); // no badge request and no list without an account
    const picker = screen.getByRole('combobox', { name: 'Account' });
    await screen.findByRole('option', { name: 'Prod (123456789012)' });
    await user.selectOptions(picker, '123456789012');
    const first = await card('Low headroom · 123456789012');
    expect(seen.every((q) => q.get('account_id') === '123456789012')).toBe(true);
    // A user of the account's team may act; channel names are admin-only, so the id shows.
    expect(within(first).getByRole('button', { name: 'Acknowledge' })).toBeInTheDocument();
    expectTexts(first, 'ch_0019396b0f6003f1c2a9e5b7d8e4c');
  });

  it('hides the actions from a user of none of the account’s teams', async () => {
    server.use(
      http.get('/api/auth/session', () => HttpResponse.json({ user: { ...normalUser, teams: ['other'] } })),
      http.get('/api/accounts', () =>
        HttpResponse.json({ items: [account({ teams: ['ops'] })], next: null, page_size: 100, total: 1 }),
      ),
    );
    serveAlerts([alert()]);
    renderApp('/alerts?account_id=123456789012');
    const first = await card('Low headroom · 123456789012');
    await screen.findByRole('option', { name: 'Prod (123456789012)' });
    expect(within(first).queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
  });

  it('reads in Chinese', async () => {
    await i18n.changeLanguage('zh');
    serveAlerts([alert()]);
    renderApp('/alerts');
    const first = await card('Low headroom · 123456789012');
    expectTexts(first, '触发中', '余量低于', '已送达', '失败', '尝试 3 次');
    expectTexts(first, `下次重试 ${formatDateTime('2026-12-06T10:05:10Z', 'zh')}`);
    expect(within(first).getByRole('button', { name: '确认' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '已恢复' })).toBeInTheDocument();
  });
});

describe('alerts navigation', () => {
  it('shows admins the number of firing alerts next to the Alerts link', async () => {
    const seen = serveAlerts([alert(), alert({ alert_id: 'c2Vjb25k' })]);
    renderApp('/settings/teams');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const link = await within(nav).findByRole('link', { name: /Alerts 2 alerts firing/ });
    expect(link).toHaveAttribute('href', '/alerts');
    expect(seen[0].get('state')).toBe('firing');
    expect(seen[0].get('limit')).toBe('100');
  });

  it('says 100+ when more firing alerts exist than one page', async () => {
    server.use(
      http.get('/api/alerts', () =>
        HttpResponse.json({
          items: Array.from({ length: 100 }, (_, i) => alert({ alert_id: `a${i}` })),
          next: 'more',
        }),
      ),
    );
    renderApp('/settings/teams');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByText('100+')).toBeInTheDocument();
  });

  it('shows users the Alerts link without a count', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    const seen = serveAlerts([alert()]);
    renderApp('/accounts');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Alerts' })).toBeInTheDocument();
    expect(seen).toHaveLength(0);
  });
});
