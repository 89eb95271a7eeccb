import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { expectTexts } from '@/test/expect';
import { account, quotaRead, quotaReadWithUsage, usageHistory, usageHour, usagePollReport } from '@/test/fixtures';

const ID = '123456789012';

function useRead(read = quotaReadWithUsage()) {
  server.use(http.get('/api/accounts/:id/quota', () => HttpResponse.json(read)));
}

function usageOf(card: HTMLElement) {
  return card.querySelector('.usage-block') as HTMLElement;
}

describe('account page: usage on the quota cards', () => {
  it('shows 24-hour TPM / RPM bars with peak, p95 and quota, and the throttles', async () => {
    useRead();
    renderApp(`/accounts/${ID}`);
    const sonnet = await screen.findByTestId('quota-card-claude-sonnet-4.5-v1');
    const block = usageOf(sonnet);
    expectTexts(block, 'Usage (24 h, peak per minute)', '⚠ 12 throttled');
    const [tpm, rpm] = within(block).getAllByTestId('usage-bar');
    expectTexts(tpm, 'TPM', '80 % used');
    expect(tpm.dataset.level).toBe('warn');
    expect(tpm).toHaveAttribute('title', 'peak 1,200,000 · p95 960,000 · quota 1,500,000');
    expectTexts(rpm, 'RPM', '60 % used');
    expect(rpm.dataset.level).toBe('ok');
    // A model without usage says so, never 0 %.
    const opus = screen.getByTestId('quota-card-claude-opus-4.5');
    expect(usageOf(opus)).toHaveTextContent('no usage data');
    expect(usageOf(opus)).not.toHaveTextContent('%');
  });

  it('switches the window: 1 h (throttles not reported → "—") and 7 d (over quota)', async () => {
    useRead();
    renderApp(`/accounts/${ID}`);
    const sonnet = await screen.findByTestId('quota-card-claude-sonnet-4.5-v1');
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: '1 h' }));
    expectTexts(usageOf(sonnet), 'Usage (1 h, peak per minute)', '20 % used', 'throttles —');
    expect(within(usageOf(sonnet)).queryByTestId('throttle-marker')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: '7 d' }));
    const [tpm] = within(usageOf(sonnet)).getAllByTestId('usage-bar');
    expect(tpm).toHaveTextContent('over quota (110 %)');
    expect(tpm.dataset.level).toBe('high');
    expect(usageOf(sonnet)).toHaveTextContent('⚠ 40 throttled');
  });

  it('says when usage was polled', async () => {
    useRead();
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByTestId('usage-status')).toHaveTextContent(/^Usage as of /);
  });

  it('stale: the poll error and the time of the last good poll', async () => {
    useRead({
      ...quotaReadWithUsage(),
      usage: {
        state: 'stale',
        polled_at: '2026-01-02T03:04:05Z',
        attempted_at: '2026-01-02T04:04:05Z',
        error_code: 'access_denied',
        error_message: 'CloudWatch denied access (cloudwatch:GetMetricData)',
      },
    });
    renderApp(`/accounts/${ID}`);
    const status = await screen.findByTestId('usage-status');
    expectTexts(
      status,
      'Usage could not be read: CloudWatch denied access (cloudwatch:GetMetricData)',
      'last good poll',
    );
  });

  it('never polled: says so', async () => {
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByText('Usage not polled yet')).toBeInTheDocument();
    // No other-traffic table without series.
    expect(screen.queryByRole('heading', { name: 'Other traffic' })).not.toBeInTheDocument();
  });

  it('lists geo and unmatched series as other traffic (shown, never dropped)', async () => {
    useRead();
    renderApp(`/accounts/${ID}`);
    const table = await screen.findByRole('table', { name: 'Other traffic' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expectTexts(rows[0], 'mystery.model-v9', 'unknown', 'no model', '—');
    expectTexts(rows[1], 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'geo', 'Claude Sonnet 4.5 V1', '42');
    // The global series counts in the card, not here.
    expect(table).not.toHaveTextContent('global.anthropic');
  });

  it('in Chinese', async () => {
    useRead();
    await i18n.changeLanguage('zh');
    renderApp(`/accounts/${ID}`);
    const sonnet = await screen.findByTestId('quota-card-claude-sonnet-4.5-v1');
    expectTexts(usageOf(sonnet), '用量（24 小时，每分钟峰值）', '已用 80%', '⚠ 12 次限流');
    expect(await screen.findByRole('button', { name: '从 CloudWatch 刷新用量' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '其他流量' })).toBeInTheDocument();
  });
});

describe('account page: usage refresh', () => {
  it('polls every region, shows each report (stale with its message) and reads the quota again', async () => {
    let reads = 0;
    let posted = 0;
    server.use(
      http.get('/api/accounts/:id', () => HttpResponse.json(account({ regions: ['us-east-1', 'us-west-2'] }))),
      http.get('/api/accounts/:id/quota', () => {
        reads += 1;
        return HttpResponse.json(reads > 1 ? quotaReadWithUsage() : quotaRead());
      }),
      http.post('/api/accounts/:id/usage/refresh', () => {
        posted += 1;
        return HttpResponse.json({
          account_id: ID,
          regions: [
            usagePollReport(),
            usagePollReport({
              region: 'us-west-2',
              state: 'stale',
              error_code: 'throttled',
              error_message: 'CloudWatch throttled the poll',
              snapshot_written: false,
            }),
          ],
        });
      }),
    );
    renderApp(`/accounts/${ID}`);
    expect(await screen.findByText('Usage not polled yet')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Refresh usage from CloudWatch' }));
    const report = await screen.findByRole('alert');
    expectTexts(
      report,
      'us-east-1: usage read (3 series)',
      'us-west-2: could not be read — CloudWatch throttled the poll',
    );
    expect(posted).toBe(1);
    expect(await screen.findByTestId('usage-status')).toHaveTextContent('Usage as of');
  });
});

describe('account page: usage under the quota history', () => {
  it('draws hourly usage bars under the quota line, gaps for null hours and throttle marks', async () => {
    const hours = [
      usageHour('2026-01-01T00:00:00Z'),
      usageHour('2026-01-01T01:00:00Z', {
        minutes_with_data: 0,
        requests_peak: null,
        weighted_tokens_peak: null,
        throttles: null,
      }),
      usageHour('2026-01-01T02:00:00Z', { throttles: 7 }),
      usageHour('2026-01-01T03:00:00Z', { weighted_tokens_peak: null, throttles: 0 }),
    ];
    server.use(
      http.get('/api/accounts/:id/usage/history', () => HttpResponse.json(usageHistory(hours))),
      http.get('/api/accounts/:id/quota/history', () =>
        HttpResponse.json({
          account_id: ID,
          region: 'us-east-1',
          model_id: 'claude-sonnet-4.5-v1',
          next: null,
          items: [
            {
              history_id: 'h_0',
              at: '2025-12-31T00:00:00Z',
              model_id: 'claude-sonnet-4.5-v1',
              dimension: 'tpm',
              quota_code: 'L-27C57EE8',
              event: 'first_read',
              value: 1_500_000,
              previous_value: null,
              state: 'ok',
              source: 'applied',
              reason: null,
            },
          ],
        }),
      ),
    );
    renderApp(`/accounts/${ID}`);
    const tpm = await screen.findByRole('group', { name: 'History · TPM' });
    const rpm = screen.getByRole('group', { name: 'History · RPM' });
    // Null hours are gaps, not zero bars: TPM has 2 bars (hours 0 and 2), RPM 3 (hours 0, 2, 3).
    expect(within(tpm).getAllByTestId('usage-bar-tpm')).toHaveLength(2);
    expect(within(rpm).getAllByTestId('usage-bar-rpm')).toHaveLength(3);
    for (const r of within(tpm).getAllByTestId('usage-bar-tpm'))
      expect(Number(r.getAttribute('height'))).toBeGreaterThan(0);
    // The quota line starts from the value that stood before the usage window, above the usage.
    const line = tpm.querySelector('path[stroke]') as SVGPathElement;
    expect(line.getAttribute('d')).toMatch(/^M48,/);
    // One throttle mark per hour with throttles, with the count in its title.
    const marks = within(tpm).getAllByTestId('throttle-mark-tpm');
    expect(marks).toHaveLength(1);
    expect(marks[0].querySelector('title')).toHaveTextContent('7 throttled');
    expect(screen.getByTestId('history-panel-tpm')).toHaveTextContent('usage (peak minute of each hour)');
    await waitFor(() => expect(screen.getByTestId('history-panel-tpm')).toHaveTextContent('hours with throttles: 1'));
  });

  it('starts at the first hour with data (at least a day wide), not at an empty week', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    const hours = Array.from({ length: 168 }, (_, i) =>
      usageHour(new Date(base + i * 3600_000).toISOString(), {
        minutes_with_data: 0,
        requests_peak: null,
        weighted_tokens_peak: null,
        throttles: null,
      }),
    );
    hours[167] = usageHour(hours[167].hour);
    server.use(http.get('/api/accounts/:id/usage/history', () => HttpResponse.json(usageHistory(hours))));
    renderApp(`/accounts/${ID}`);
    const tpm = await screen.findByRole('group', { name: 'History · TPM' });
    const [bar] = within(tpm).getAllByTestId('usage-bar-tpm');
    // A day shown (the last hour and the 23 before it): the one bar is 1/24 of the plot wide, at its right end.
    const plot = 480 - 48 - 10;
    expect(Number(bar.getAttribute('width'))).toBeCloseTo(plot / 24 - 0.5, 1);
    expect(Number(bar.getAttribute('x'))).toBeCloseTo(48 + (plot * 23) / 24, 1);
  });
});
