import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import {
  account,
  apiError,
  contactInfo,
  normalUser,
  quotaRead,
  refreshed,
  refreshReport,
  value,
} from '@/test/fixtures';

const ID = '123456789012';

/** The fake's answer to PUT /billing: the fields sent (the fixture's for those left empty). */
const stored = (put: Record<string, string>) =>
  contactInfo(Object.fromEntries(Object.entries(put).filter(([, v]) => v !== '')));

function valueRow(card: HTMLElement, dim: string) {
  return card.querySelector(`[data-dim="${dim}"]`) as HTMLElement;
}

describe('account detail: quota cards', () => {
  it('shows a card per enabled model with TPM, RPM, 1M values, source, state and when read', async () => {
    renderApp(`/accounts/${ID}`);
    const sonnet = await screen.findByTestId('quota-card-claude-sonnet-4.5-v1');
    expectTexts(valueRow(sonnet, 'tpm'), '1.5M', 'OK', 'Applied', 'read 2 hours ago');
    expectTexts(valueRow(sonnet, 'rpm'), '200', 'AWS default');
    expectTexts(valueRow(sonnet, 'tpm_1m'), '200K');
    // Never read: a dash, never 0, and no source.
    expectTexts(valueRow(sonnet, 'rpm_1m'), '—', 'Never read');
    expect(valueRow(sonnet, 'rpm_1m')).not.toHaveTextContent('Applied');
    expect(within(sonnet).getByText('1M TPM')).toBeInTheDocument();

    const opus45 = screen.getByTestId('quota-card-claude-opus-4.5');
    expectTexts(valueRow(opus45, 'tpm'), '400K', 'Stale', 'AWS default', 'throttled by AWS');
    expect(within(opus45).queryByText('1M TPM')).not.toBeInTheDocument();

    const opus46 = screen.getByTestId('quota-card-claude-opus-4.6-v1');
    expectTexts(valueRow(opus46, 'tpm'), '—', 'Error', 'AccessDenied: not authorized');
    // The card's own badge carries the worst state.
    expect(within(opus46).getByTitle('Worst state of this model’s values')).toHaveTextContent('Error');
  });

  it('reads the region chosen in the region picker', async () => {
    const regions: string[] = [];
    server.use(
      http.get('/api/accounts/:id', () => HttpResponse.json(account({ regions: ['us-east-1', 'eu-west-1'] }))),
      http.get('/api/accounts/:id/quota', ({ request }) => {
        const r = new URL(request.url).searchParams.get('region') ?? '';
        regions.push(r);
        return HttpResponse.json(quotaRead(ID, r));
      }),
    );
    renderApp(`/accounts/${ID}`);
    await userEvent.setup().selectOptions(await screen.findByLabelText('Region'), 'eu-west-1');
    await waitFor(() => expect(regions).toEqual(['us-east-1', 'eu-west-1']));
  });

  it('shows forbidden for an account outside the user’s teams', async () => {
    server.use(
      http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })),
      http.get('/api/accounts/:id', () =>
        HttpResponse.json(apiError('forbidden', 'account is not assigned to any of your teams'), { status: 403 }),
      ),
    );
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
    expect(screen.getByText('This account is not assigned to any of your teams.')).toBeInTheDocument();
  });

  it('hides admin actions from users', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp(`/accounts/${ID}`);
    await screen.findByTestId('quota-card-claude-opus-4.5');
    expect(screen.queryByRole('button', { name: 'Export credentials' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });
});

describe('account detail: refresh', () => {
  it('offers the refresh at once, without asking the server whether it has the route', async () => {
    const methods: string[] = [];
    server.events.on('request:start', ({ request }) => methods.push(request.method));
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByRole('button', { name: 'Refresh us-east-1 from AWS' })).not.toHaveAttribute(
      'aria-disabled',
    );
    server.events.removeAllListeners();
    expect(methods).not.toContain('OPTIONS');
  });

  it('refreshes, shows progress, then the new values and the per-value errors', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const after = {
      ...quotaRead(),
      refresh: refreshReport([
        {
          model_id: 'claude-opus-4.6-v1',
          dimension: 'tpm',
          error: 'AccessDeniedException: not authorized to call GetServiceQuota',
        },
      ]),
    };
    after.models[0].tpm = value({
      value: 2_000_000,
      state: 'ok',
      source: 'applied',
      read_at: new Date().toISOString(),
    });
    server.use(
      http.post('/api/accounts/:id/quota/refresh', async ({ request }) => {
        expect(new URL(request.url).searchParams.get('region')).toBe('us-east-1');
        expect(request.headers.get('X-Requested-With')).toBe('account-platform');
        await gate;
        return HttpResponse.json(after);
      }),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    const button = await screen.findByRole('button', { name: 'Refresh us-east-1 from AWS' });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    await user.click(button);
    expect(await screen.findByRole('progressbar', { name: 'Refreshing…' })).toBeInTheDocument();
    release();
    const alert = await screen.findByText('1 value could not be read:');
    expect(alert.closest('.alert')).toHaveTextContent(
      'Claude Opus 4.6 V1 · TPM: AccessDeniedException: not authorized to call GetServiceQuota',
    );
    expect(valueRow(screen.getByTestId('quota-card-claude-sonnet-4.5-v1'), 'tpm')).toHaveTextContent('2M');
  });

  it('says so when every value was read', async () => {
    server.use(
      http.post('/api/accounts/:id/quota/refresh', () =>
        HttpResponse.json(refreshed(ID, 'us-east-1', { ...refreshReport(), ok: 7, values: [] })),
      ),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    const button = await screen.findByRole('button', { name: 'Refresh us-east-1 from AWS' });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    await user.click(button);
    expect(await screen.findByText('us-east-1: all 7 values were read from AWS.')).toBeInTheDocument();
  });

  it('follows a refresh the server started itself (a new account) until it ends', async () => {
    let accountReads = 0;
    let quotaReads = 0;
    server.use(
      http.get('/api/accounts/:id', () => {
        accountReads += 1;
        return HttpResponse.json(account({ refreshing: accountReads < 2 }));
      }),
      http.get('/api/accounts/:id/quota', () => {
        quotaReads += 1;
        const read = quotaRead();
        if (accountReads < 2) read.models[0].tpm = value({ state: 'never' });
        return HttpResponse.json(read);
      }),
    );
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByText('Reading the quotas from AWS…')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Reading the quotas from AWS…')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(valueRow(screen.getByTestId('quota-card-claude-sonnet-4.5-v1'), 'tpm')).toHaveTextContent('1.5M'),
    );
    expect(quotaReads).toBeGreaterThanOrEqual(2);
  });

  it('says nothing could be read on 502 and keeps the last values', async () => {
    server.use(
      http.post('/api/accounts/:id/quota/refresh', () =>
        HttpResponse.json(
          apiError(
            'aws_error',
            'no quota could be read from AWS; the last good values are kept, marked stale: STS AssumeRole failed',
          ),
          { status: 502 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    const button = await screen.findByRole('button', { name: 'Refresh us-east-1 from AWS' });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    await user.click(button);
    expect(
      await screen.findByText(
        'Nothing could be read from AWS; the values shown are the last good ones, now marked stale.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/STS AssumeRole failed/)).toBeInTheDocument();
    expect(valueRow(screen.getByTestId('quota-card-claude-sonnet-4.5-v1'), 'tpm')).toHaveTextContent('1.5M');
  });
});

describe('account detail: history', () => {
  it('says when no history was recorded yet', async () => {
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByText('No history recorded yet.')).toBeInTheDocument();
  });

  it('draws the history of the chosen model', async () => {
    const asked: string[] = [];
    server.use(
      http.get('/api/accounts/:id/quota/history', ({ request }) => {
        asked.push(new URL(request.url).searchParams.get('model_id') ?? '');
        const entry = {
          history_id: 'h_0',
          model_id: 'claude-sonnet-4.5-v1',
          quota_code: 'L-27C57EE8',
          event: 'changed',
          previous_value: null,
          source: 'applied',
          reason: null,
        };
        return HttpResponse.json({
          account_id: ID,
          region: 'us-east-1',
          model_id: 'claude-sonnet-4.5-v1',
          items: [
            { ...entry, at: '2026-01-01T00:00:00Z', dimension: 'tpm', value: 1_000_000, state: 'ok' },
            { ...entry, at: '2026-01-02T00:00:00Z', dimension: 'tpm', value: 1_500_000, state: 'ok' },
            {
              ...entry,
              at: '2026-01-01T00:00:00Z',
              dimension: 'rpm',
              value: 100,
              state: 'stale',
              event: 'became_stale',
            },
            {
              ...entry,
              at: '2026-01-01T00:00:00Z',
              model_id: null,
              dimension: null,
              quota_code: 'L-00000001',
              value: 5,
              state: 'ok',
              event: 'first_read',
            },
          ],
          next: null,
        });
      }),
    );
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByRole('group', { name: 'History · TPM' })).toBeInTheDocument();
    await userEvent.setup().selectOptions(screen.getByLabelText('Model'), 'claude-opus-4.5');
    await waitFor(() => expect(asked).toEqual(['claude-sonnet-4.5-v1', 'claude-opus-4.5']));
  });
});

describe('account detail: contact information from AWS', () => {
  it('fills the form with what AWS has, to check and save', async () => {
    let put: Record<string, string> = {};
    server.use(
      http.get('/api/accounts/:id/billing', ({ request }) =>
        new URL(request.url).searchParams.get('source') === 'aws'
          ? HttpResponse.json(
              contactInfo({
                full_name: 'Account Owner',
                address_line1: '1 Main St',
                city: 'Seattle',
                source: 'aws',
                updated_at: null,
                updated_by: null,
              }),
            )
          : new HttpResponse(null, { status: 204 }),
      ),
      http.put('/api/accounts/:id/billing', async ({ request }) => {
        put = (await request.json()) as Record<string, string>;
        return HttpResponse.json(stored(put));
      }),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    await user.click(await screen.findByRole('button', { name: 'Read from AWS' }));
    expect(await screen.findByText('Read from AWS. Check the values and save to keep them.')).toBeInTheDocument();
    expect(screen.getByLabelText('Full name')).toHaveValue('Account Owner');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('1 Main St')).toBeInTheDocument();
    expect(put.city).toBe('Seattle');
  });
});

describe('account detail: admin actions', () => {
  it('exports credentials only after a warning and on request, with copy buttons', async () => {
    let reads = 0;
    server.use(
      http.get('/api/accounts/:id/credentials', () => {
        reads += 1;
        return HttpResponse.json({
          type: 'access_key',
          access_key_id: 'AKIAIOSFODNN7EXAMPLE',
          secret_access_key: 'wJalrXUtnFEMI/K7MDENG',
          session_token: null,
        });
      }),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    await user.click(await screen.findByRole('button', { name: 'Export credentials' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Export credentials' });
    expect(dialog).toHaveTextContent('recorded in the audit log');
    expect(reads).toBe(0);
    await user.click(within(dialog).getByRole('button', { name: 'Reveal credentials' }));
    expect(await within(dialog).findByRole('button', { name: 'Copy Secret access key' })).toBeInTheDocument();
    expect(reads).toBe(1);
    expect(dialog).not.toHaveTextContent('wJalrXUtnFEMI/K7MDENG');
    await user.click(within(dialog).getByRole('button', { name: 'Show values' }));
    expect(dialog).toHaveTextContent('wJalrXUtnFEMI/K7MDENG');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('deletes after confirmation', async () => {
    let deleted = false;
    server.use(
      http.delete('/api/accounts/:id', () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    const { router } = renderApp(`/accounts/${ID}`);
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete account' });
    expect(deleted).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/accounts'));
    expect(deleted).toBe(true);
  });

  it('edits regions and status with the version read; a stale version says so', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.patch('/api/accounts/:id', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(apiError('conflict', 'account 123456789012 changed since version 1'), { status: 409 });
      }),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit account' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'eu-west-1' }));
    await user.selectOptions(within(dialog).getByLabelText('Status'), 'inactive');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText(/Someone else changed this account in the meantime/)).toBeInTheDocument();
    expect(body).toMatchObject({
      regions: ['us-east-1', 'eu-west-1'],
      status: 'inactive',
      version: 1,
      account_name: 'Prod',
    });
  });

  it('rotates credentials with the version read', async () => {
    let body: unknown;
    server.use(
      http.patch('/api/accounts/:id', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(account({ version: 2 }));
      }),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    await user.click(await screen.findByRole('button', { name: 'Rotate credentials' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate credentials' });
    await user.type(within(dialog).getByLabelText('Access key id'), 'AKIAIOSFODNN7NEWKEY1');
    await user.type(within(dialog).getByLabelText('Secret access key'), 'secret-secret-secret');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate credentials' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(body).toEqual({
      credentials: {
        type: 'access_key',
        access_key_id: 'AKIAIOSFODNN7NEWKEY1',
        secret_access_key: 'secret-secret-secret',
      },
      version: 1,
    });
  });

  it('edits contact information; "read from AWS" shows the server’s refusal', async () => {
    let put: Record<string, string> = {};
    server.use(
      http.get('/api/accounts/:id/billing', ({ request }) => {
        const source = new URL(request.url).searchParams.get('source');
        return source === 'aws'
          ? HttpResponse.json(apiError('unavailable', 'reading from AWS is not configured on this server'), {
              status: 503,
            })
          : new HttpResponse(null, { status: 204 });
      }),
      http.put('/api/accounts/:id/billing', async ({ request }) => {
        put = (await request.json()) as Record<string, string>;
        if (put.country_code === 'USA')
          return HttpResponse.json(
            apiError(
              'validation_failed',
              'country_code: must be a two-letter ISO country code such as US',
              'country_code',
            ),
            { status: 422 },
          );
        return HttpResponse.json(stored(put));
      }),
    );
    const user = userEvent.setup();
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByText('No contact information is stored.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Read from AWS' }));
    expect(await screen.findByText(/reading from AWS is not configured on this server/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add contact information' }));
    await user.type(screen.getByLabelText('Full name'), 'Jane Doe');
    await user.type(screen.getByLabelText('Country code'), 'USA');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('must be a two-letter ISO country code such as US')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Country code'));
    await user.type(screen.getByLabelText('Country code'), 'US');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Jane Doe')).toBeInTheDocument();
    expect(put.full_name).toBe('Jane Doe');
    expect(put.country_code).toBe('US');
  });
});
