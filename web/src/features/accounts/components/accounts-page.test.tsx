import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { account, apiError, normalUser } from '@/test/fixtures';

describe('accounts list', () => {
  it('sends search, status and team filters and follows cursors', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get('/api/accounts', ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q);
        const page = q.get('cursor') === 'c2' ? 2 : 1;
        return HttpResponse.json({
          items: [account({ account_name: `Prod ${page}` })],
          next: page === 1 ? 'c2' : null,
          page_size: 20,
        });
      }),
      http.get('/api/admin/teams', () =>
        HttpResponse.json({
          items: [
            { team_id: 'ops', name: 'Ops', created_at: null },
            { team_id: 'ml', name: 'ML', created_at: null },
          ],
          total: 2,
        }),
      ),
    );
    const user = userEvent.setup();
    const { router } = renderApp('/accounts');
    expect(await screen.findByRole('link', { name: 'Prod 1' })).toBeInTheDocument();
    expect(seen.at(-1)?.get('status')).toBe('active');
    expect(seen.at(-1)?.has('cursor')).toBe(false);
    expect(seen.at(-1)?.has('page')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'Prod 2' })).toBeInTheDocument();
    expect(seen.at(-1)?.get('cursor')).toBe('c2');
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(router.state.location.search).toContain('cursor=c2');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    // A filter change goes back to the first page: the cursor belongs to the old filters.
    await user.selectOptions(screen.getByLabelText('Status'), 'all');
    await waitFor(() => expect(seen.at(-1)?.get('status')).toBe('all'));
    expect(seen.at(-1)?.has('cursor')).toBe(false);
    expect(await screen.findByRole('link', { name: 'Prod 1' })).toBeInTheDocument();
    expect(router.state.location.search).not.toContain('cursor');

    await user.selectOptions(await screen.findByLabelText('Team'), 'ml');
    await waitFor(() => expect(seen.at(-1)?.get('team')).toBe('ml'));

    await user.type(screen.getByLabelText('Search'), 'prod');
    await waitFor(() => expect(seen.at(-1)?.get('search')).toBe('prod'));
    expect(seen.at(-1)?.get('team')).toBe('ml');
    expect(seen.at(-1)?.get('status')).toBe('all');
    expect(router.state.location.search).toContain('search=prod');
  });

  it('opens the page a URL names, filters and cursor included', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get('/api/accounts', ({ request }) => {
        seen.push(new URL(request.url).searchParams);
        return HttpResponse.json({ items: [account({ account_name: 'Later' })], next: null, page_size: 20 });
      }),
    );
    renderApp('/accounts?status=inactive&search=la&cursor=abc');
    expect(await screen.findByRole('link', { name: 'Later' })).toBeInTheDocument();
    expect(seen.at(-1)?.get('status')).toBe('inactive');
    expect(seen.at(-1)?.get('search')).toBe('la');
    expect(seen.at(-1)?.get('cursor')).toBe('abc');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeEnabled();
  });

  it('shows the total only when the server sends one', async () => {
    server.use(
      http.get('/api/accounts', ({ request }) => {
        const team = new URL(request.url).searchParams.get('team');
        return HttpResponse.json({
          items: [account()],
          next: null,
          page_size: 20,
          ...(team ? {} : { total: 45 }),
        });
      }),
      http.get('/api/admin/teams', () =>
        HttpResponse.json({ items: [{ team_id: 'ml', name: 'ML', created_at: null }], total: 1 }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/accounts');
    expect(await screen.findByText('45 accounts in all')).toBeInTheDocument();
    await user.selectOptions(await screen.findByLabelText('Team'), 'ml');
    await waitFor(() => expect(screen.queryByText(/in all/)).not.toBeInTheDocument());
  });

  it('offers a user only their own teams and no add button', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/accounts');
    const team = await screen.findByLabelText('Team');
    expect(
      within(team)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['All teams', 'ops']);
    expect(screen.queryByRole('link', { name: 'Add account' })).not.toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    server.use(http.get('/api/accounts', () => HttpResponse.json({ items: [], next: null, page_size: 20 })));
    renderApp('/accounts');
    expect(await screen.findByText('No accounts match.')).toBeInTheDocument();
  });
});

describe('add account form', () => {
  async function fill(user: ReturnType<typeof userEvent.setup>) {
    await user.type(await screen.findByLabelText('Name'), 'Prod');
    await user.type(screen.getByLabelText('Account id'), '123456789012');
    await user.type(screen.getByLabelText('Access key id'), 'AKIAIOSFODNN7EXAMPLE');
    await user.type(screen.getByLabelText('Secret access key'), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  }

  it.each([
    ['account_id', 'account_id: must be a 12-digit AWS account id', 'Account id', 'must be a 12-digit AWS account id'],
    [
      'credentials.access_key_id',
      'credentials.access_key_id: must be 16-128 characters of A-Z and 0-9',
      'Access key id',
      'must be 16-128 characters of A-Z and 0-9',
    ],
  ])('shows the 422 message for %s next to that field', async (field, message, label, detail) => {
    server.use(
      http.post('/api/accounts', () =>
        HttpResponse.json(apiError('validation_failed', message, field), { status: 422 }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/accounts/new');
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const input = await screen.findByLabelText(label);
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'));
    expect(input).toHaveAccessibleDescription(expect.stringContaining(detail));
  });

  it('shows AWS rejecting the credentials on the credentials group, and a taken id (409) on the id', async () => {
    let calls = 0;
    server.use(
      http.post('/api/accounts', () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              apiError(
                'validation_failed',
                'credentials: AWS rejected the credentials: InvalidClientTokenId',
                'credentials',
              ),
              { status: 422 },
            )
          : HttpResponse.json(
              apiError('already_exists', 'account_id: account 123456789012 is already registered', 'account_id'),
              { status: 409 },
            );
      }),
    );
    const user = userEvent.setup();
    renderApp('/accounts/new');
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const group = await screen.findByRole('group', { name: 'Credentials' });
    expect(await within(group).findByRole('alert')).toHaveTextContent(
      'AWS rejected the credentials: InvalidClientTokenId',
    );
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Account id')).toHaveAccessibleDescription(
        expect.stringContaining('already registered'),
      ),
    );
  });

  it('leaves the account id out when empty (the server takes it from the credentials)', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('/api/accounts', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(account({ account_id: '100000000001' }), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    const { router } = renderApp('/accounts/new');
    await user.type(await screen.findByLabelText('Name'), 'From STS');
    await user.type(screen.getByLabelText('Access key id'), 'AKIAIOSFODNN7EXAMPLE');
    await user.type(screen.getByLabelText('Secret access key'), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/accounts/100000000001'));
    expect(body).not.toHaveProperty('account_id');
  });

  it('shows a region error (regions[1]) on the regions group', async () => {
    server.use(
      http.post('/api/accounts', () =>
        HttpResponse.json(apiError('validation_failed', 'regions[1]: unknown AWS region "mars-1"', 'regions[1]'), {
          status: 422,
        }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/accounts/new');
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const group = await screen.findByRole('group', { name: 'Regions' });
    expect(await within(group).findByRole('alert')).toHaveTextContent('unknown AWS region "mars-1"');
  });

  it('sends a role ARN with external id and opens the new account', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('/api/accounts', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(account({ account_id: '210987654321', account_name: 'Staging' }), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    const { router } = renderApp('/accounts/new');
    await user.type(await screen.findByLabelText('Name'), 'Staging');
    await user.type(screen.getByLabelText('Account id'), '210987654321');
    await user.click(screen.getByRole('checkbox', { name: 'us-west-2' }));
    await user.click(screen.getByRole('checkbox', { name: 'ops' }));
    await user.click(screen.getByRole('radio', { name: 'Assume role' }));
    await user.type(screen.getByLabelText('Role ARN'), 'arn:aws:iam::210987654321:role/Reader');
    await user.clear(screen.getByLabelText('External id')); // generated at random; replaced here
    await user.type(screen.getByLabelText('External id'), 'ext-1');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/accounts/210987654321'));
    expect(body).toEqual({
      account_name: 'Staging',
      account_id: '210987654321',
      regions: ['us-east-1', 'us-west-2'],
      teams: ['ops'],
      credentials: { type: 'assume_role', role_arn: 'arn:aws:iam::210987654321:role/Reader', external_id: 'ext-1' },
    });
  });

  it('is not offered to users', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/accounts/new');
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
  });
});
