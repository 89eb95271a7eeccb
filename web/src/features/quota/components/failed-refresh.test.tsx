// Issue 16 §1: a refresh that read nothing is never shown as healthy — the account page says "Last refresh failed"
// with the reason, the time and a fix hint; the dashboard row and its cells show it; in both languages.
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { dashboardRow, dashboardStats, quotaRead, value } from '@/test/fixtures';
import type { QuotaRead } from '@/lib/api/contract';

const ID = '123456789012';
const DENIED = 'AccessDeniedException: User is not authorized to perform servicequotas:GetServiceQuota';
const at = new Date(Date.now() - 4 * 60_000).toISOString();
const readAt = new Date(Date.now() - 2 * 3600_000).toISOString();

/** The fixture's read after a refresh that AWS refused on every call: every value stale with its last good figure. */
function failedRead(): QuotaRead {
  const read = quotaRead(ID);
  const stale = (v: number) =>
    value({
      value: v,
      state: 'stale',
      source: 'applied',
      read_at: readAt,
      attempted_at: at,
      reason: DENIED,
      reason_kind: 'access_denied',
    });
  return {
    ...read,
    last_refresh: { at, state: 'failed', read: 0, failed: 5, reason: DENIED, reason_kind: 'access_denied' },
    models: read.models.slice(0, 2).map((m) => ({
      ...m,
      tpm: stale(1_500_000),
      rpm: stale(200),
      tpm_1m: m.tpm_1m && stale(200_000),
      rpm_1m: m.rpm_1m && value({ state: 'error', attempted_at: at, reason: DENIED, reason_kind: 'access_denied' }),
      status: m.rpm_1m ? 'error' : 'stale',
    })),
  };
}

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('a failed refresh on the account page', () => {
  it('says "Last refresh failed" with the reason, the time and the AccessDenied hint; the cards show stale', async () => {
    server.use(http.get('/api/accounts/:id/quota', () => HttpResponse.json(failedRead())));
    renderApp(`/accounts/${ID}`);
    const status = await screen.findByTestId('last-refresh');
    expect(status).toHaveAttribute('data-state', 'failed');
    expect(status).toHaveTextContent(`Last refresh failed: ${DENIED} (at`);
    expect(status).toHaveTextContent(/Check the role’s permissions .* trust policy/);
    expect(status).toHaveTextContent('the last good ones, marked stale');
    const card = screen.getByTestId('quota-card-claude-opus-4.5');
    const tpm = card.querySelector('[data-dim="tpm"]') as HTMLElement;
    expect(tpm).toHaveTextContent('1.5M');
    expect(tpm).toHaveTextContent('Stale');
    expect(tpm).toHaveTextContent(DENIED);
    expect(tpm).not.toHaveTextContent('OK');
  });

  it('says it in Chinese', async () => {
    await i18n.changeLanguage('zh');
    server.use(http.get('/api/accounts/:id/quota', () => HttpResponse.json(failedRead())));
    renderApp(`/accounts/${ID}`);
    const status = await screen.findByTestId('last-refresh');
    expect(status).toHaveTextContent(`最近一次刷新失败：${DENIED}`);
    expect(status).toHaveTextContent('请检查该角色的权限');
    expect(within(screen.getByTestId('quota-card-claude-opus-4.5')).getAllByText('过期').length).toBeGreaterThan(0);
  });

  it('shows the hint of each kind, and nothing after a refresh that read everything', async () => {
    const read = failedRead();
    server.use(
      http.get('/api/accounts/:id/quota', () =>
        HttpResponse.json({
          ...read,
          last_refresh: {
            ...read.last_refresh,
            state: 'partial',
            read: 4,
            failed: 1,
            reason: 'ThrottlingException: Rate exceeded',
            reason_kind: 'throttled',
          },
        }),
      ),
    );
    const { unmount } = renderApp(`/accounts/${ID}`);
    const status = await screen.findByTestId('last-refresh');
    expect(status).toHaveTextContent('Last refresh could not read 1 value: ThrottlingException: Rate exceeded');
    expect(status).toHaveTextContent('AWS throttled the reads');
    unmount();
    server.resetHandlers();
    renderApp(`/accounts/${ID}`);
    await screen.findByTestId('quota-card-claude-opus-4.5');
    expect(screen.queryByTestId('last-refresh')).not.toBeInTheDocument();
  });
});

describe('a failed refresh on the dashboard', () => {
  function failedRow() {
    const row = dashboardRow(ID, 'us-east-1', 'Prod');
    const read = failedRead();
    const cell = (v: NonNullable<QuotaRead['models'][number]['tpm']>) => ({
      value: v.value,
      state: v.state,
      source: v.source,
      read_at: v.read_at,
      attempted_at: v.attempted_at,
      reason: v.reason,
      reason_kind: v.reason_kind,
    });
    const values: typeof row.values = {};
    for (const m of read.models) values[m.model_id] = { tpm: cell(m.tpm), rpm: cell(m.rpm) };
    return { ...row, last_refresh: read.last_refresh, values };
  }

  it('marks the row and its cells stale with the reason', async () => {
    server.use(
      http.get('/api/dashboard/stats', () => HttpResponse.json({ ...dashboardStats, accounts: [failedRow()] })),
    );
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    const [, prod] = within(table).getAllByRole('row');
    const header = within(prod).getByRole('rowheader');
    expect(within(header).getByTestId('row-last-refresh')).toHaveTextContent('refresh failed');
    expect(header).toHaveTextContent('AccessDeniedException');
    const [sonnet] = within(prod).getAllByRole('cell');
    expect(sonnet).toHaveTextContent('Stale');
    expect(sonnet).toHaveTextContent('AccessDeniedException');
    expect(sonnet).toHaveTextContent('last tried 4 minutes ago');
  });

  it('in Chinese too', async () => {
    await i18n.changeLanguage('zh');
    server.use(
      http.get('/api/dashboard/stats', () => HttpResponse.json({ ...dashboardStats, accounts: [failedRow()] })),
    );
    renderApp('/');
    const badge = await screen.findByTestId('row-last-refresh');
    expect(badge).toHaveTextContent('刷新失败');
  });
});
