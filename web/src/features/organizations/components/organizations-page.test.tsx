import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { account, apiError, checked, normalUser } from '@/test/fixtures';
import {
  zOrganizationAccountPage,
  zOrganizationRegistrationResult,
  type OrganizationAccount,
  type OrganizationAccountPage,
  type OrganizationRegistration,
  type OrganizationRegistrationResult,
} from '@/lib/api/contract';

const MGMT = '123456789012';

function member(i: number, overrides: Partial<OrganizationAccount> = {}): OrganizationAccount {
  return {
    account_id: String(710000000100 + i),
    name: `team-${i}`,
    email: `t${i}@example.com`,
    status: 'ACTIVE',
    joined_method: 'CREATED',
    joined_at: '2024-01-01T00:00:00Z',
    ou_id: 'ou-ab12-11111111',
    ou_path: 'Root/Workloads/Prod',
    registered: false,
    platform_status: null,
    ...overrides,
  };
}

function page(items: OrganizationAccount[], next: string | null = null): OrganizationAccountPage {
  return checked(zOrganizationAccountPage, {
    management_account_id: MGMT,
    organization_accounts: 31,
    listed_at: '2026-12-06T15:00:00Z',
    items,
    next,
    page_size: 50,
  });
}

function serve(listing: (url: URL) => OrganizationAccountPage) {
  server.use(
    http.get('/api/accounts', () =>
      HttpResponse.json({
        items: [account({ account_id: MGMT, account_name: 'Management' })],
        next: null,
        page_size: 200,
      }),
    ),
    http.get(`/api/admin/organizations/${MGMT}/accounts`, ({ request }) =>
      HttpResponse.json(listing(new URL(request.url))),
    ),
  );
}

describe('organizations onboarding page', () => {
  it('lists the organization through the chosen management account, unregistered only by default', async () => {
    const queries: string[] = [];
    serve((url) => {
      queries.push(url.search);
      return url.searchParams.get('registered') === 'false'
        ? page([member(1), member(2, { status: 'SUSPENDED', ou_path: 'Root' })], 'c1')
        : page([member(1), member(3, { registered: true, platform_status: 'active' })]);
    });
    const user = userEvent.setup();
    renderApp('/organizations');
    expect(await screen.findByText('Choose the management account to list its organization.')).toBeInTheDocument();
    await screen.findByRole('option', { name: 'Management (123456789012)' });
    await user.selectOptions(screen.getByLabelText('Management account'), MGMT);
    const table = await screen.findByRole('table', { name: 'Accounts of the organization' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('710000000101');
    expect(rows[1]).toHaveTextContent('Root/Workloads/Prod');
    expect(rows[1]).toHaveTextContent('Not registered');
    expect(rows[2]).toHaveTextContent('SUSPENDED');
    expect(screen.getByText(/31 accounts in the organization/)).toBeInTheDocument();
    expect(queries[0]).toContain('registered=false');
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();

    await user.click(screen.getByLabelText('Not registered only'));
    const all = await screen.findByText('710000000103');
    const row = all.closest('tr')!;
    expect(row).toHaveTextContent('Registered');
    expect(within(row).getByRole('checkbox')).toBeDisabled();
  });

  it('registers the selection with the role and external id and shows per-account results', async () => {
    let body: OrganizationRegistration | undefined;
    serve(() => page([member(1), member(2)]));
    server.use(
      http.post(`/api/admin/organizations/${MGMT}/register`, async ({ request }) => {
        body = (await request.json()) as OrganizationRegistration;
        const result: OrganizationRegistrationResult = checked(zOrganizationRegistrationResult, {
          management_account_id: MGMT,
          registered: 1,
          already_registered: 0,
          failed: 1,
          results: [
            {
              account_id: '710000000101',
              result: 'registered',
              error: null,
              account: account({ account_id: '710000000101', account_name: 'team-1' }),
            },
            {
              account_id: '710000000102',
              result: 'failed',
              account: null,
              error: {
                code: 'validation_failed',
                message: 'AWS rejected the credentials: AccessDenied',
                field: 'credentials',
              },
            },
          ],
        });
        return HttpResponse.json(result);
      }),
    );
    const user = userEvent.setup();
    renderApp('/organizations');
    await screen.findByRole('option', { name: 'Management (123456789012)' });
    await user.selectOptions(screen.getByLabelText('Management account'), MGMT);
    await screen.findByRole('table', { name: 'Accounts of the organization' });
    expect(screen.getByRole('button', { name: 'Register 0 accounts' })).toBeDisabled();
    await user.click(screen.getByLabelText('Select 710000000101'));
    await user.click(screen.getByLabelText('Select 710000000102'));
    const role = screen.getByLabelText('Role name');
    expect(role).toHaveValue('OrganizationAccountAccessRole');
    await user.type(screen.getByLabelText('External id'), 'ext-org-1');
    await user.click(screen.getByRole('button', { name: 'Register 2 accounts' }));
    const results = await screen.findByRole('table', { name: 'Registration results' });
    expect(body).toEqual({
      account_ids: ['710000000101', '710000000102'],
      role_name: 'OrganizationAccountAccessRole',
      external_id: 'ext-org-1',
      teams: [],
    });
    const rows = within(results).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Registered');
    expect(rows[2]).toHaveTextContent('Failed');
    expect(rows[2]).toHaveTextContent('AccessDenied');
    expect(screen.getByText('1 registered, 0 already registered, 1 failed')).toBeInTheDocument();
  });

  it('shows AWS refusing the listing with its code', async () => {
    server.use(
      http.get('/api/accounts', () =>
        HttpResponse.json({
          items: [account({ account_id: MGMT, account_name: 'Management' })],
          next: null,
          page_size: 200,
        }),
      ),
      http.get(`/api/admin/organizations/${MGMT}/accounts`, () =>
        HttpResponse.json(apiError('conflict', 'AccessDeniedException: not the management account', 'account_id'), {
          status: 409,
        }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/organizations');
    await screen.findByRole('option', { name: 'Management (123456789012)' });
    await user.selectOptions(screen.getByLabelText('Management account'), MGMT);
    expect(await screen.findByText(/AccessDeniedException/)).toBeInTheDocument();
  });

  it('is for admins only', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/organizations');
    expect(await screen.findByRole('heading', { level: 1 })).not.toHaveTextContent('Onboard from AWS Organizations');
    expect(screen.queryByRole('link', { name: 'Organizations' })).not.toBeInTheDocument();
  });
});
