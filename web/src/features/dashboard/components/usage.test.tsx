import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { dashboardRow, dashboardStats, headroomEntry, headroomPage, normalUser } from '@/test/fixtures';

function gridWithUsage() {
  const row = {
    ...dashboardRow('123456789012', 'us-east-1'),
    usage_state: 'ok' as const,
    headroom: {
      'claude-sonnet-4.5-v1': { headroom: 0.05, headroom_tpm: 0.05, headroom_rpm: 0.4, throttles: 12 },
      // Opus: absent → "no usage data".
    },
  };
  const stale = {
    ...dashboardRow('210987654321', 'us-west-2', 'Dev'),
    usage_state: 'stale' as const,
    headroom: {
      'claude-sonnet-4.5-v1': { headroom: 0.7, headroom_tpm: 0.7, headroom_rpm: null, throttles: null },
      'claude-opus-4.5': { headroom: -0.25, headroom_tpm: -0.25, headroom_rpm: 0.5, throttles: 0 },
    },
  };
  server.use(http.get('/api/dashboard/stats', () => HttpResponse.json({ ...dashboardStats, accounts: [row, stale] })));
}

describe('dashboard: usage in the grid', () => {
  it('shows TPM / RPM bars per row × model, throttles, and "no usage data" when absent', async () => {
    gridWithUsage();
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    const [, prod, dev] = within(table).getAllByRole('row');
    const [sonnet, opus] = within(prod).getAllByRole('cell');
    const [tpm, rpm] = within(sonnet).getAllByTestId('usage-bar');
    expectTexts(tpm, 'TPM', '95 % used');
    expect(tpm.dataset.level).toBe('high');
    expectTexts(rpm, 'RPM', '60 % used');
    expect(within(sonnet).getByTestId('throttle-marker')).toHaveTextContent('⚠ 12 throttled');
    expect(opus).toHaveTextContent('no usage data');
    expect(within(opus).queryByTestId('usage-bar')).not.toBeInTheDocument();

    const [devSonnet, devOpus] = within(dev).getAllByRole('cell');
    expect(within(dev).getByRole('rowheader')).toHaveTextContent('usage stale');
    // An unknown RPM headroom is "no usage data", and unreported throttles "—", never 0.
    expectTexts(devSonnet, '30 % used', 'no usage data', 'throttles —');
    expectTexts(devOpus, 'over quota (125 %)');
    // A reported 0 throttles is not marked in the grid.
    expect(devOpus.querySelector('.throttles')).toBeNull();
  });

  it('says when a row has never been polled', async () => {
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Accounts × models' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('Usage not polled yet');
  });
});

describe('dashboard: closest to the limit', () => {
  it('admins: the fleet, least headroom first, linked to the account page, with "Load more"', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get('/api/usage/headroom', ({ request }) => {
        const q = new URL(request.url).searchParams;
        asked.push(q);
        return q.get('cursor') === 'c2'
          ? HttpResponse.json(
              headroomPage([headroomEntry({ account_name: 'Dev', account_id: '210987654321', headroom: 0.6 })]),
            )
          : HttpResponse.json(
              headroomPage(
                [
                  headroomEntry({ headroom: -0.1, headroom_tpm: -0.1 }),
                  headroomEntry({
                    model_id: 'claude-opus-4.5',
                    display_name: 'Claude Opus 4.5',
                    headroom: 0.2,
                    headroom_tpm: 0.5,
                    headroom_rpm: 0.2,
                  }),
                ],
                'c2',
              ),
            );
      }),
    );
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Closest to the limit' });
    let rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expectTexts(rows[0], 'Prod', 'us-east-1', 'Claude Sonnet 4.5 V1', 'TPM', 'over quota (110 %)');
    expectTexts(rows[1], 'Claude Opus 4.5', 'RPM', '80 % used');
    expect(within(rows[0]).getByRole('link', { name: 'Prod' })).toHaveAttribute(
      'href',
      '/accounts/123456789012?region=us-east-1',
    );
    expect(asked[0].get('team')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    rows = within(table).getAllByRole('row').slice(1);
    expectTexts(rows[2], 'Dev', '40 % used');
    expect(asked.at(-1)?.get('cursor')).toBe('c2');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('users: one of their teams, the first by default, and a picker over them', async () => {
    const teams: (string | null)[] = [];
    server.use(
      http.get('/api/auth/session', () => HttpResponse.json({ user: { ...normalUser, teams: ['ops', 'ml'] } })),
      http.get('/api/usage/headroom', ({ request }) => {
        const team = new URL(request.url).searchParams.get('team');
        teams.push(team);
        return HttpResponse.json(headroomPage([headroomEntry({ account_name: `Acct of ${team}` })], null, team));
      }),
    );
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Acct of ops' })).toBeInTheDocument();
    const picker = screen.getByLabelText('Team');
    expect(within(picker).queryByRole('option', { name: 'Whole fleet' })).not.toBeInTheDocument();
    await userEvent.setup().selectOptions(picker, 'ml');
    expect(await screen.findByRole('link', { name: 'Acct of ml' })).toBeInTheDocument();
    expect(teams).not.toContain(null);
  });

  it('users without a team: says so and asks nothing', async () => {
    let asked = 0;
    server.use(
      http.get('/api/auth/session', () => HttpResponse.json({ user: { ...normalUser, teams: [] } })),
      http.get('/api/usage/headroom', () => {
        asked += 1;
        return HttpResponse.json(headroomPage([]));
      }),
    );
    renderApp('/');
    expect(await screen.findByText('You are in no team, so there is nothing to list.')).toBeInTheDocument();
    expect(asked).toBe(0);
  });

  it('empty, in Chinese', async () => {
    await i18n.changeLanguage('zh');
    renderApp('/');
    expect(await screen.findByRole('heading', { name: '最接近上限' })).toBeInTheDocument();
    expect(await screen.findByText('尚未读取用量。')).toBeInTheDocument();
  });
});
