import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { dashboardRow, dashboardStats } from '@/test/fixtures';

function totalsRow(card: HTMLElement, label: string) {
  const dt = within(card).getByText(label, { selector: 'dt' });
  return dt.parentElement as HTMLElement;
}

describe('dashboard', () => {
  it('shows fleet totals per dashboard model with missing and stale counts', async () => {
    renderApp('/');
    const sonnet = await screen.findByTestId('fleet-claude-sonnet-4.5-v1');
    expect(within(sonnet).getByRole('heading', { name: /Claude Sonnet 4.5 V1/ })).toBeInTheDocument();
    expectTexts(totalsRow(sonnet, 'TPM'), '2.5M', '1 missing · 1 stale');
    expectTexts(totalsRow(sonnet, 'RPM'), '400', '2 missing · 0 stale');
    // 1M totals: null shows a dash, a real 0 stays 0.
    expectTexts(totalsRow(sonnet, '1M TPM'), '—', '4 missing');
    expect(totalsRow(sonnet, '1M RPM').querySelector('.totals__value')).toHaveTextContent(/^0$/);
    expect(await screen.findByText('3 active accounts · 4 account-regions', { exact: false })).toBeInTheDocument();
  });

  it('shows "—", never 0, for a model with no value anywhere', async () => {
    renderApp('/');
    const opus = await screen.findByTestId('fleet-claude-opus-4.5');
    expect(totalsRow(opus, 'TPM').querySelector('.totals__value')).toHaveTextContent('—');
    expect(totalsRow(opus, 'RPM').querySelector('.totals__value')).toHaveTextContent('—');
    expect(within(opus).queryByText('1M TPM')).not.toBeInTheDocument();
    for (const el of opus.querySelectorAll('.totals__value')) expect(el.textContent).toBe('—');
  });

  it('draws a capacity chart per model (lazy)', async () => {
    renderApp('/');
    expect(
      await screen.findByRole('img', { name: 'TPM of Claude Sonnet 4.5 V1 per account-region' }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: 'TPM of Claude Opus 4.5 per account-region' })).toBeInTheDocument();
  });

  it('lists the page of account-regions × models with values, badges and when read', async () => {
    server.use(
      http.get('/api/dashboard/stats', () =>
        HttpResponse.json({
          ...dashboardStats,
          accounts: [dashboardRow('123456789012', 'us-east-1'), dashboardRow('123456789012', 'us-west-2')],
        }),
      ),
    );
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3); // header + two regions
    const east = rows[1];
    expect(within(east).getByRole('rowheader')).toHaveTextContent('us-east-1');
    const cells = within(east).getAllByRole('cell');
    // Sonnet: TPM 1.5M, RPM 200, 1M TPM 200K, 1M RPM never read → "—": each value names its dimension.
    expectTexts(
      cells[0],
      'TPM 1,500,000',
      'RPM 200',
      '1M ctx TPM 200,000',
      '1M ctx RPM —',
      'Never read',
      'read 2 hours ago',
    );
    // Opus 4.5: stale badge.
    expectTexts(cells[1], 'TPM 400,000', 'RPM 50');
    expect(within(cells[1]).getByText('Stale')).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
  });

  it('pages the grid by cursor, keeping the cursor in the URL', async () => {
    const cursors: (string | null)[] = [];
    server.use(
      http.get('/api/dashboard/stats', ({ request }) => {
        const q = new URL(request.url).searchParams;
        const cursor = q.get('cursor');
        cursors.push(cursor);
        expect(q.get('page')).toBeNull();
        expect(q.get('page_size')).toBe('10');
        const second = cursor === 'cursor-2';
        return HttpResponse.json({
          ...dashboardStats,
          accounts: [dashboardRow(second ? '222222222222' : '111111111111', 'us-east-1', second ? 'Acct 2' : 'Acct 1')],
          next: second ? null : 'cursor-2',
        });
      }),
    );
    const { router } = renderApp('/');
    expect(await screen.findByRole('link', { name: 'Acct 1' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'Acct 2' })).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?cursor=cursor-2');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    // The totals come with every page.
    expect(await screen.findByTestId('fleet-claude-sonnet-4.5-v1')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByRole('link', { name: 'Acct 1' })).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(cursors[0]).toBeNull();
    expect(cursors).toContain('cursor-2');
  });

  it('says so when there is no active account', async () => {
    server.use(
      http.get('/api/dashboard/stats', () => HttpResponse.json({ ...dashboardStats, accounts: [], total: 0 })),
    );
    renderApp('/');
    const grid = await screen.findByRole('region', { name: 'Accounts × models' });
    expect(await within(grid).findByText('No active accounts yet.', { exact: false })).toBeInTheDocument();
    expect(within(grid).queryByRole('table')).not.toBeInTheDocument();
  });
});
