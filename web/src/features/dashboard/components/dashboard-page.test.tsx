import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { account, quotaRead } from '@/test/fixtures';

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

  it('lists the visible accounts × models with values, badges and when read', async () => {
    server.use(
      http.get('/api/accounts', ({ request }) => {
        const q = new URL(request.url).searchParams;
        expect(q.get('status')).toBe('active');
        return HttpResponse.json({
          items: [account({ regions: ['us-east-1', 'us-west-2'] })],
          next: null,
          page_size: 10,
        });
      }),
    );
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3); // header + two regions
    const east = rows[1];
    expect(within(east).getByRole('rowheader')).toHaveTextContent('us-east-1');
    const cells = within(east).getAllByRole('cell');
    // Sonnet: TPM 1.5M, RPM 200, 1M TPM 200K, 1M RPM never read → "—".
    await within(cells[0]).findByText('1.5M');
    expectTexts(cells[0], 'TPM 1.5M / RPM 200', '1M 200K / —', 'Never read', 'read 2 hours ago');
    // Opus 4.5: stale badge.
    expect(cells[1]).toHaveTextContent('TPM 400K / RPM 50');
    expect(within(cells[1]).getByText('Stale')).toBeInTheDocument();
  });

  it('paginates the grid', async () => {
    const pages: string[] = [];
    server.use(
      http.get('/api/accounts', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        const page = cursor === 'c2' ? '2' : '1';
        pages.push(page);
        const id = page === '1' ? '111111111111' : '222222222222';
        return HttpResponse.json({
          items: [account({ account_id: id, account_name: `Acct ${page}` })],
          next: page === '1' ? 'c2' : null,
          page_size: 10,
        });
      }),
      http.get('/api/accounts/:id/quota', ({ params }) => HttpResponse.json(quotaRead(String(params.id)))),
    );
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Acct 1' })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'Acct 2' })).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(pages).toContain('2');
  });
});
