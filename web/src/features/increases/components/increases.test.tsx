import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { apiError, dashboardRow, dashboardStats, job, jobItem, normalUser } from '@/test/fixtures';
import { increase, increasesOfEveryStatus, previewItem } from '@/test/increase-fixtures';
import type { QuotaIncreaseRequest } from '@/lib/api/contract';

const ACCOUNT = '123456789012';

/** Serves the account's list (and may_request), recording the query strings. */
function serveAccountList(items: QuotaIncreaseRequest[], mayRequest = true, seen: URLSearchParams[] = []) {
  server.use(
    http.get('/api/accounts/:id/quota-increases', ({ request }) => {
      seen.push(new URL(request.url).searchParams);
      return HttpResponse.json({ items, next: null, may_request: mayRequest });
    }),
  );
  return seen;
}

async function openRequestDialog() {
  const user = userEvent.setup();
  renderApp(`/accounts/${ACCOUNT}`);
  const card = await screen.findByRole('article', { name: 'Claude Sonnet 4.5 V1' });
  await user.click(await within(card).findByRole('button', { name: 'Request increase: Claude Sonnet 4.5 V1 · TPM' }));
  const dialog = await screen.findByRole('dialog', {
    name: 'Request increase: Claude Sonnet 4.5 V1 · TPM · us-east-1',
  });
  return { user, dialog };
}

describe('request one increase from a quota card', () => {
  it('previews exactly what will be sent, shows the server 422 at its field, then sends', async () => {
    const bodies: unknown[] = [];
    let attempts = 0;
    serveAccountList([]);
    server.use(
      http.post('/api/quota-increases/preview', async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ items: [previewItem()] });
      }),
      http.post('/api/accounts/:id/quota-increases', async ({ request }) => {
        bodies.push(await request.json());
        attempts += 1;
        if (attempts === 1)
          return HttpResponse.json(
            apiError(
              'validation_failed',
              'desired_value: AWS refused the value (IllegalArgumentException)',
              'desired_value',
            ),
            { status: 422 },
          );
        return HttpResponse.json(increase(), { status: 201 });
      }),
    );
    const { user, dialog } = await openRequestDialog();
    expectTexts(dialog, 'Current value: 1,500,000');
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    expect(send).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Desired value'), '3000000');
    await user.type(within(dialog).getByLabelText('Reason (optional, kept in the platform)'), 'launch week');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const preview = await within(dialog).findByRole('region', { name: 'What will be sent' });
    expectTexts(
      preview,
      'Service code',
      'bedrock',
      'Quota code',
      'L-27C57EE8',
      'Value',
      '3000000',
      'Region',
      'us-east-1',
    );
    expect(bodies[0]).toEqual({
      targets: [{ account_id: ACCOUNT, region: 'us-east-1' }],
      model_id: 'claude-sonnet-4.5-v1',
      dimension: 'tpm',
      desired_value: 3_000_000,
    });

    await user.click(send);
    const field = await within(dialog).findByText('AWS refused the value (IllegalArgumentException)');
    expect(field).toHaveClass('field__error');
    expect(within(dialog).getByLabelText('Desired value')).toHaveAttribute('aria-invalid', 'true');

    await user.click(within(dialog).getByRole('button', { name: 'Send request' }));
    expectTexts(await within(dialog).findByRole('status'), 'Request sent: Pending.');
    expect(bodies[2]).toEqual({
      region: 'us-east-1',
      model_id: 'claude-sonnet-4.5-v1',
      dimension: 'tpm',
      desired_value: 3_000_000,
      reason: 'launch week',
    });
  });

  it('says in words why nothing will be sent, and does not offer to send', async () => {
    serveAccountList([]);
    server.use(
      http.post('/api/quota-increases/preview', () =>
        HttpResponse.json({
          items: [
            previewItem({
              will_send: false,
              problem: { code: 'open_request_exists', message: 'request qr_0001 is open for L-27C57EE8' },
            }),
          ],
        }),
      ),
    );
    const { user, dialog } = await openRequestDialog();
    await user.type(within(dialog).getByLabelText('Desired value'), '3000000');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expectTexts(await within(dialog).findByRole('alert'), 'Will not send', 'An open request exists for this quota.');
    expect(within(dialog).getByRole('button', { name: 'Send request' })).toBeDisabled();
  });

  it('shows a 403 in words', async () => {
    serveAccountList([]);
    server.use(
      http.post('/api/quota-increases/preview', () => HttpResponse.json({ items: [previewItem()] })),
      http.post('/api/accounts/:id/quota-increases', () =>
        HttpResponse.json(apiError('forbidden', 'users may not request increases'), { status: 403 }),
      ),
    );
    const { user, dialog } = await openRequestDialog();
    await user.type(within(dialog).getByLabelText('Desired value'), '3000000');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Send request' }));
    expect(
      await within(dialog).findByText('Your administrator has not allowed users to request quota increases.'),
    ).toBeInTheDocument();
  });

  it('hides the request actions from a user the server does not allow', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    serveAccountList([increase()], false);
    renderApp(`/accounts/${ACCOUNT}`);
    const section = await screen.findByRole('region', { name: 'Increase requests' });
    await within(section).findByText('Pending');
    expect(screen.queryByRole('button', { name: /^Request increase/ })).not.toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: /Check now/ })).not.toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: 'Sync from AWS' })).not.toBeInTheDocument();
  });
});

describe('increase request lists', () => {
  it('show every AWS status in words, in English and in Chinese', async () => {
    serveAccountList(increasesOfEveryStatus());
    renderApp(`/accounts/${ACCOUNT}`);
    const section = await screen.findByRole('region', { name: 'Increase requests' });
    const en = ['Pending', 'Case opened', 'Approved', 'Denied', 'Case closed', 'Not approved', 'Invalid request'];
    for (const [i, text] of en.entries()) {
      const row = await within(section).findByTestId(`increase-qr_000${i + 1}`);
      expect(within(row).getByText(text)).toHaveClass('badge');
    }
    const external = within(section).getByTestId('increase-qr_0006');
    expectTexts(external, 'Made outside', 'case-6', 'L-27C57EE8');
    const pending = within(section).getByTestId('increase-qr_0001');
    expectTexts(pending, 'Platform', 'u_admin', 'launch week', '1,500,000 → 3,000,000');
    // Only open requests can be checked.
    expect(within(pending).getByRole('button', { name: /Check now/ })).toBeInTheDocument();
    expect(within(section).getAllByRole('button', { name: /Check now/ })).toHaveLength(2);

    await i18n.changeLanguage('zh');
    const zh = ['待处理', '已创建工单', '已批准', '已拒绝', '工单已关闭', '未批准', '无效申请'];
    for (const [i, text] of zh.entries())
      expect(await within(within(section).getByTestId(`increase-qr_000${i + 1}`)).findByText(text)).toHaveClass(
        'badge',
      );
    expectTexts(within(section).getByTestId('increase-qr_0006'), '平台外提交');
  });

  it('fleet page: filters in the URL, "Load more" by cursor, "Check now" shows the new status', async () => {
    const seen: URLSearchParams[] = [];
    let status: QuotaIncreaseRequest['status'] = 'PENDING';
    server.use(
      http.get('/api/quota-increases', ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q);
        if (q.get('cursor') === 'c2')
          return HttpResponse.json({
            items: [increase({ request_id: 'qr_0009', account_id: '210987654321' })],
            next: null,
          });
        return HttpResponse.json({ items: [increase({ status, open: status === 'PENDING' })], next: 'c2' });
      }),
      http.post('/api/quota-increases/:id/check', () => {
        status = 'APPROVED';
        return HttpResponse.json(increase({ status, open: false, checked_at: new Date().toISOString() }));
      }),
    );
    const user = userEvent.setup();
    const { router } = renderApp('/increases');
    const row = await screen.findByTestId('increase-qr_0001');
    expect(seen[0].get('open')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByTestId('increase-qr_0009');
    expect(seen.at(-1)?.get('cursor')).toBe('c2');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: /Check now/ }));
    await waitFor(() =>
      expect(within(screen.getByTestId('increase-qr_0001')).getByText('Approved')).toBeInTheDocument(),
    );

    await user.selectOptions(screen.getByLabelText('Status'), 'DENIED');
    await waitFor(() => expect(router.state.location.search).toContain('status=DENIED'));
    await waitFor(() => expect(seen.at(-1)?.get('status')).toBe('DENIED'));
    await user.selectOptions(screen.getByLabelText('Show'), 'all');
    await waitFor(() => expect(seen.at(-1)?.get('open')).toBeNull());
  });
});

describe('bulk request from the dashboard', () => {
  it('selects rows, previews per account, starts the job and shows per-account outcomes with links', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get('/api/dashboard/stats', () =>
        HttpResponse.json({
          ...dashboardStats,
          accounts: [dashboardRow(ACCOUNT, 'us-east-1'), dashboardRow('210987654321', 'us-west-2', 'Dev')],
        }),
      ),
      http.post('/api/quota-increases/preview', async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({
          items: [
            previewItem(),
            previewItem({
              account_id: '210987654321',
              account_name: 'Dev',
              region: 'us-west-2',
              current_value: 4_000_000,
              will_send: false,
              problem: { code: 'not_above_current', message: 'desired 3000000 is not above 4000000' },
              request: {
                ServiceCode: 'bedrock',
                QuotaCode: 'L-27C57EE8',
                DesiredValue: 3_000_000,
                Region: 'us-west-2',
              },
            }),
          ],
        });
      }),
      http.post('/api/quota-increases/bulk', async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ job_id: 'j9', total: 2 }, { status: 202 });
      }),
      http.get('/api/jobs/j9', () =>
        HttpResponse.json(
          job({ job_id: 'j9', kind: 'quota_increase', state: 'succeeded', total: 2, done: 2, ok: 1, failed: 1 }),
        ),
      ),
      http.get('/api/jobs/j9/items', () =>
        HttpResponse.json({
          items: [
            jobItem({ seq: 0, ref: 'qr_0001' }),
            jobItem({
              seq: 1,
              account_id: '210987654321',
              region: 'us-west-2',
              outcome: 'failed',
              error: 'not_above_current: desired 3000000 is not above 4000000',
            }),
          ],
          next: null,
        }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/');
    await user.click(await screen.findByRole('checkbox', { name: 'Select all on this page' }));
    expect(screen.getByRole('checkbox', { name: 'Select Prod us-east-1' })).toBeChecked();
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Request increase for selected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Request an increase for 2 account regions' });
    await user.selectOptions(within(dialog).getByLabelText('Dimension'), 'tpm');
    await user.type(within(dialog).getByLabelText('Desired value'), '3000000');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expectTexts(await within(dialog).findByTestId('preview-123456789012-us-east-1'), 'Prod', '1,500,000', 'Will send');
    expectTexts(
      within(dialog).getByTestId('preview-210987654321-us-west-2'),
      'Dev',
      '4,000,000',
      'The desired value is not above the current one.',
    );
    expect(within(dialog).getByText('1 will be sent, 1 refused.')).toBeInTheDocument();
    expect(bodies[0]).toMatchObject({
      targets: [
        { account_id: ACCOUNT, region: 'us-east-1' },
        { account_id: '210987654321', region: 'us-west-2' },
      ],
      model_id: 'claude-sonnet-4.5-v1',
      dimension: 'tpm',
      desired_value: 3_000_000,
    });

    await user.click(within(dialog).getByRole('button', { name: 'Start requests' }));
    const progress = await within(dialog).findByTestId('increase-job');
    await within(progress).findByText('Done');
    expectTexts(progress, '2 of 2 done, 1 refused or failed');
    expect(await within(progress).findByText('Sent')).toHaveClass('badge');
    expect(within(progress).getByRole('link', { name: 'View request' })).toHaveAttribute(
      'href',
      '/increases?request=qr_0001&open=false',
    );
    expectTexts(progress, 'Not sent', 'not_above_current: desired 3000000 is not above 4000000');
  });

  it('offers no bulk request to users', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    renderApp('/');
    await screen.findByRole('table', { name: 'Accounts × models' });
    expect(screen.queryByRole('button', { name: 'Request increase for selected' })).not.toBeInTheDocument();
  });
});
