import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { dashboardRow, dashboardStats, normalUser } from '@/test/fixtures';

/** Serves the dashboard stats echoing the sort and filters asked for, and records each request's params. */
function recordStats(extra: Partial<typeof dashboardStats> = {}) {
  const asked: URLSearchParams[] = [];
  server.use(
    http.get('/api/dashboard/stats', ({ request }) => {
      const q = new URL(request.url).searchParams;
      asked.push(q);
      const sort = q.get('sort') ?? 'name';
      return HttpResponse.json({
        ...dashboardStats,
        accounts: [
          dashboardRow('123456789012', 'us-east-1', 'A very long account name that wraps instead of being cut off'),
        ],
        sort,
        order: (q.get('order') ?? (sort === 'name' ? 'asc' : 'desc')) as 'asc' | 'desc',
        team: q.get('team'),
        region: q.get('region'),
        next: q.get('cursor') ? null : 'c2',
        ...extra,
      });
    }),
  );
  return asked;
}

describe('dashboard: sort and filter the grid', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('sorts by a model × dimension from its column header, largest first, then flips; aria-sort follows', async () => {
    const asked = recordStats();
    const { router } = renderApp('/');
    const table = await screen.findByRole('table', { name: 'Accounts × models' }, { timeout: 10_000 });
    const [nameHeader, sonnetHeader] = within(table).getAllByRole('columnheader');
    expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    expect(sonnetHeader).not.toHaveAttribute('aria-sort');
    expect(screen.getByTestId('grid-sorted-by')).toHaveTextContent('Sorted by Account name, ascending.');
    const user = userEvent.setup();
    await user.click(within(table).getByRole('button', { name: 'Sort by Claude Sonnet 4.5 V1 TPM' }));
    await waitFor(() => expect(asked.at(-1)?.get('sort')).toBe('claude-sonnet-4.5-v1:tpm'));
    expect(asked.at(-1)?.get('order')).toBeNull(); // desc is the default for a value
    expect(router.state.location.search).toContain('sort=claude-sonnet-4.5-v1%3Atpm');
    await waitFor(() =>
      expect(within(table).getAllByRole('columnheader')[1]).toHaveAttribute('aria-sort', 'descending'),
    );
    expect(within(table).getAllByRole('columnheader')[0]).not.toHaveAttribute('aria-sort');
    expect(within(table).getByRole('button', { name: 'Sort by Claude Sonnet 4.5 V1 TPM' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expectTexts(
      screen.getByTestId('grid-sorted-by'),
      'Sorted by Claude Sonnet 4.5 V1 TPM, largest first.',
      'Rows without a value (never read or failed) come last.',
    );
  }, 30_000); // the first test of the file also pays for the lazy dashboard route's first import

  it('the same header from the keyboard flips the order; 1M-context dimensions have their own buttons', async () => {
    const asked = recordStats();
    renderApp('/?sort=claude-sonnet-4.5-v1:tpm');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    const user = userEvent.setup();
    // A real button: Enter works.
    within(table).getByRole('button', { name: 'Sort by Claude Sonnet 4.5 V1 TPM' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(asked.at(-1)?.get('order')).toBe('asc'));
    // 1M-context dimensions have their own, labelled buttons.
    await user.click(within(table).getByRole('button', { name: 'Sort by Claude Sonnet 4.5 V1 1M ctx RPM' }));
    await waitFor(() => expect(asked.at(-1)?.get('sort')).toBe('claude-sonnet-4.5-v1:rpm_1m'));
    expect(asked.at(-1)?.get('order')).toBeNull();
  });

  it('back to names: A→Z only (never a descending name order, which the API refuses)', async () => {
    const asked = recordStats();
    const { router } = renderApp('/?sort=claude-sonnet-4.5-v1:tpm&order=asc');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    const user = userEvent.setup();
    for (let i = 0; i < 2; i++) {
      await user.click(within(table).getByRole('button', { name: 'Sort by Account · region' }));
      await waitFor(() => expect(router.state.location.search).not.toContain('sort='));
      expect(router.state.location.search).not.toContain('order=');
    }
    expect(asked.at(-1)?.get('sort')).toBeNull();
    expect(asked.at(-1)?.get('order')).toBeNull();
  });

  it('filters by team and region in the URL, dropping the cursor; names and regions are shown in full', async () => {
    const asked = recordStats();
    const { router } = renderApp('/?cursor=c1');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    expect(asked[0].get('cursor')).toBe('c1');
    const row = within(table).getAllByRole('row')[1];
    expectTexts(
      within(row).getByRole('rowheader'),
      'A very long account name that wraps instead of being cut off',
      'us-east-1',
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Filter by region'), 'us-west-2');
    await waitFor(() => expect(asked.at(-1)?.get('region')).toBe('us-west-2'));
    expect(asked.at(-1)?.get('cursor')).toBeNull();
    expect(router.state.location.search).toContain('region=us-west-2');
    expect(screen.getByTestId('grid-sorted-by')).toHaveTextContent('the team and region filters apply to the grid');
  });

  it('states the scope: all accounts for admins, your teams’ accounts for users', async () => {
    recordStats();
    renderApp('/');
    expect(await screen.findByTestId('grid-scope')).toHaveTextContent('Showing: All accounts');
  });

  it('users: their teams in the team filter and "Your teams’ accounts"', async () => {
    const asked = recordStats({ scope: 'teams' });
    server.use(
      http.get('/api/auth/session', () => HttpResponse.json({ user: { ...normalUser, teams: ['ops', 'ml'] } })),
    );
    renderApp('/');
    expect(await screen.findByTestId('grid-scope')).toHaveTextContent('Showing: Your teams’ accounts');
    const picker = screen.getByLabelText('Filter by team');
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['All teams', 'ops', 'ml']);
    await userEvent.setup().selectOptions(picker, 'ml');
    await waitFor(() => expect(asked.at(-1)?.get('team')).toBe('ml'));
  });

  it('says when a filtered page is empty but more may follow', async () => {
    recordStats({ accounts: [], next: 'c2' });
    renderApp('/?region=eu-west-1');
    expect(
      await screen.findByText('No row on this page matches the filters; the next page may have more.'),
    ).toBeInTheDocument();
  });

  it('in Chinese: scope, sort words and 1M-context labels', async () => {
    recordStats();
    await i18n.changeLanguage('zh');
    renderApp('/?sort=claude-sonnet-4.5-v1:tpm');
    expect(await screen.findByTestId('grid-scope')).toHaveTextContent('显示范围：全部账号');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('button', { name: '按Claude Sonnet 4.5 V1 1M 上下文 TPM排序' })).toBeInTheDocument();
    expectTexts(screen.getByTestId('grid-sorted-by'), '从大到小', '没有数值的行');
    expectTexts(within(table).getAllByRole('row')[1], '1M 上下文 TPM');
  });
});
