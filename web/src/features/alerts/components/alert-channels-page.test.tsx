import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { apiError } from '@/test/fixtures';
import { alertChannel, deliveryReport, slackChannel } from '@/test/alert-fixtures';
import type { AlertChannel, AlertChannelInput, AlertChannelPut } from '@/lib/api/contract';

function serveChannels(channels: AlertChannel[]) {
  server.use(http.get('/api/admin/alert-channels', () => HttpResponse.json({ items: channels })));
}

const createForm = async () => (await screen.findByRole('heading', { name: 'New alert channel' })).parentElement!;

describe('alert channels (admin settings)', () => {
  it('lists channels without secrets: the webhook URL, the masked Slack URL, signed or not', async () => {
    serveChannels([alertChannel(), slackChannel]);
    renderApp('/settings/alert-channels');
    const table = await screen.findByRole('table', { name: 'Alert channels' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Ops webhook');
    expect(rows[1]).toHaveTextContent('https://hooks.example.com/alerts · signed');
    expect(rows[2]).toHaveTextContent('Slack');
    expect(rows[2]).toHaveTextContent('https://hooks.slack.com/…');
  });

  it('creates a webhook with a secret, sending only the fields of its kind', async () => {
    let body: AlertChannelInput | undefined;
    serveChannels([]);
    server.use(
      http.post('/api/admin/alert-channels', async ({ request }) => {
        body = (await request.json()) as AlertChannelInput;
        return HttpResponse.json(alertChannel({ name: body.name }), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-channels');
    const form = await createForm();
    await user.type(within(form).getByLabelText('Name'), 'Receiver');
    await user.type(within(form).getByLabelText('URL'), 'http://127.0.0.1:9000/hook');
    await user.type(within(form).getByLabelText('Signing secret'), 'a-long-signing-secret');
    expect(within(form).queryByLabelText('Topic ARN')).not.toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Create channel' }));
    expect(await screen.findByText('Channel “Receiver” created.')).toBeInTheDocument();
    expect(body).toEqual({
      kind: 'webhook',
      name: 'Receiver',
      enabled: true,
      url: 'http://127.0.0.1:9000/hook',
      secret: 'a-long-signing-secret',
    });
    expect(within(form).getByLabelText('Name')).toHaveValue('');
  });

  it('creates an SNS channel; a 422 shows next to the field it names', async () => {
    let body: AlertChannelInput | undefined;
    serveChannels([]);
    server.use(
      http.post('/api/admin/alert-channels', async ({ request }) => {
        body = (await request.json()) as AlertChannelInput;
        return HttpResponse.json(apiError('validation_failed', 'topic_arn: not an SNS topic ARN', 'topic_arn'), {
          status: 422,
        });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-channels');
    const form = await createForm();
    await user.selectOptions(within(form).getByLabelText('Kind'), 'sns');
    expect(within(form).queryByLabelText('URL')).not.toBeInTheDocument();
    await user.type(within(form).getByLabelText('Name'), 'Pager');
    await user.type(within(form).getByLabelText('Topic ARN'), 'arn:nope');
    await user.type(within(form).getByLabelText('Region'), 'us-east-1');
    await user.click(within(form).getByRole('button', { name: 'Create channel' }));
    await waitFor(() => expect(within(form).getByLabelText('Topic ARN')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(form).getByText('not an SNS topic ARN')).toBeInTheDocument();
    expect(body).toEqual({ kind: 'sns', name: 'Pager', enabled: true, topic_arn: 'arn:nope', region: 'us-east-1' });
  });

  it('edits a Slack channel keeping its URL when left empty (write-only), with the version read', async () => {
    let body: AlertChannelPut | undefined;
    serveChannels([slackChannel]);
    server.use(
      http.put('/api/admin/alert-channels/:id', async ({ request }) => {
        body = (await request.json()) as AlertChannelPut;
        return HttpResponse.json({ ...slackChannel, name: body.name, version: 2 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-channels');
    await user.click(await screen.findByRole('button', { name: 'Edit channel Team Slack' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit channel Team Slack' });
    const url = within(dialog).getByLabelText('Slack webhook URL');
    expect(url).toHaveValue('');
    expect(url).toHaveAttribute('placeholder', 'Set — leave empty to keep');
    expect(within(dialog).getByLabelText('Kind')).toBeDisabled();
    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Slack #ops');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(body).toEqual({ version: 1, kind: 'slack', name: 'Slack #ops', enabled: true });
  });

  it('keeps, replaces or removes a webhook secret; a 409 offers to reload', async () => {
    const bodies: AlertChannelPut[] = [];
    serveChannels([alertChannel()]);
    server.use(
      http.put('/api/admin/alert-channels/:id', async ({ request }) => {
        bodies.push((await request.json()) as AlertChannelPut);
        return HttpResponse.json(apiError('conflict', 'the channel changed since version 2'), { status: 409 });
      }),
      http.get('/api/admin/alert-channels/:id', () => HttpResponse.json(alertChannel({ version: 5 }))),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-channels');
    await user.click(await screen.findByRole('button', { name: 'Edit channel Ops webhook' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit channel Ops webhook' });
    const secret = within(dialog).getByLabelText('Signing secret');
    expect(secret).toHaveValue('');
    expect(secret).toHaveAttribute('placeholder', 'Set — leave empty to keep');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText(
        'This channel was changed by someone else. Reload it and make your change again.',
      ),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(within(dialog).queryByText(/changed by someone else/)).not.toBeInTheDocument());
    await user.click(within(dialog).getByRole('checkbox', { name: 'Remove the signing secret' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(bodies).toHaveLength(2));
    // The first: the URL shown, no secret key (kept). The second, after reload: version 5, the secret removed.
    expect(bodies[0]).toEqual({
      version: 2,
      kind: 'webhook',
      name: 'Ops webhook',
      enabled: true,
      url: 'https://hooks.example.com/alerts',
    });
    expect(bodies[1]).toMatchObject({ version: 5, secret: null });
  });

  it('sends a test and shows the delivery report: delivered, or the error, HTTP status and attempts', async () => {
    let calls = 0;
    serveChannels([alertChannel(), slackChannel]);
    server.use(
      http.post('/api/admin/alert-channels/:id/test', () => {
        calls += 1;
        return HttpResponse.json(
          calls === 1
            ? deliveryReport()
            : deliveryReport({ delivered: false, attempts: 3, http_status: 503, error: 'receiver answered HTTP 503' }),
        );
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-channels');
    await user.click(await screen.findByRole('button', { name: 'Send test to Ops webhook' }));
    const ok = await screen.findByText('Test delivered to Ops webhook.');
    expect(ok.parentElement).toHaveTextContent('HTTP 200 · 1 attempt · delivery d_test_1');
    await user.click(screen.getByRole('button', { name: 'Send test to Team Slack' }));
    const failed = await screen.findByText('Test to Team Slack not delivered.');
    expect(failed.parentElement).toHaveTextContent('receiver answered HTTP 503');
    expect(failed.parentElement).toHaveTextContent('HTTP 503 · 3 attempts');
  });

  it('says why a delete failed with 409 (stale, or a rule uses the channel)', async () => {
    serveChannels([alertChannel()]);
    let version: string | null = null;
    server.use(
      http.delete('/api/admin/alert-channels/:id', ({ request }) => {
        version = new URL(request.url).searchParams.get('version');
        return HttpResponse.json(apiError('conflict', 'the channel is used by rules: Low headroom'), { status: 409 });
      }),
    );
    const user = userEvent.setup();
    renderApp('/settings/alert-channels');
    await user.click(await screen.findByRole('button', { name: 'Delete channel Ops webhook' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete alert channel' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText(/the channel is used by rules: Low headroom/)).toBeInTheDocument();
    expect(within(dialog).getByText(/a rule still uses it/)).toBeInTheDocument();
    expect(version).toBe('2');
  });

  it('reads in Chinese', async () => {
    await i18n.changeLanguage('zh');
    serveChannels([alertChannel()]);
    renderApp('/settings/alert-channels');
    expect(await screen.findByRole('heading', { name: '告警渠道' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: '向 Ops webhook 发送测试' })).toHaveTextContent('发送测试');
    expect(screen.getByRole('heading', { name: '新建告警渠道' })).toBeInTheDocument();
  });
});
