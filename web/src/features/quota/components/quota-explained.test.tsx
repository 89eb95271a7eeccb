// Issue 16 §2: numbers that explain themselves, in English and Chinese — the AWS quota name and scope of each code
// (cards and the quota config page), applied value vs AWS default (help text, the default beside a differing applied
// value, 已应用值), and the history chart (keyboard-focusable points with their values, a table view, 1M series
// dashed, the step from AWS default to applied annotated).
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { quotaConfig, quotaRead, value } from '@/test/fixtures';
import type { QuotaHistoryEntry, QuotaRead } from '@/lib/api/contract';

const ID = '123456789012';
const TPM_NAME = 'Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1';
const RPM_NAME = 'Global cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1';
const readAt = new Date(Date.now() - 2 * 3600_000).toISOString();

/** The fixture's read with names, scopes and AWS defaults: TPM applied 4M over a 2M default; RPM on the default. */
function explainedRead(): QuotaRead {
  const read = quotaRead(ID);
  const [sonnet, ...rest] = read.models;
  return {
    ...read,
    models: [
      {
        ...sonnet,
        tpm: value({
          value: 4_000_000,
          state: 'ok',
          source: 'applied',
          read_at: readAt,
          quota_code: 'L-27C57EE8',
          quota_name: TPM_NAME,
          quota_scope: 'global-cross-region',
          aws_default: 2_000_000,
          aws_default_read_at: readAt,
        }),
        rpm: value({
          value: 200,
          state: 'ok',
          source: 'aws_default',
          read_at: readAt,
          quota_code: 'L-DB84CE56',
          quota_name: RPM_NAME,
          quota_scope: 'global-cross-region',
          aws_default: 200,
          aws_default_read_at: readAt,
        }),
        tpm_1m: value({
          value: 200_000,
          state: 'ok',
          source: 'applied',
          read_at: readAt,
          quota_code: 'L-4B26E44A',
          aws_default: 200_000, // equal: nothing beside it
        }),
      },
      ...rest,
    ],
  };
}

function entry(i: number, at: string, over: Partial<QuotaHistoryEntry>): QuotaHistoryEntry {
  return {
    history_id: `h_${String(i).padStart(13, '0')}L-27C57EE8`,
    at,
    model_id: 'claude-sonnet-4.5-v1',
    dimension: 'tpm',
    quota_code: 'L-27C57EE8',
    event: 'first_read',
    value: 2_000_000,
    previous_value: null,
    state: 'ok',
    source: 'aws_default',
    reason: null,
    ...over,
  };
}

/** TPM read first at AWS's default (2M), then applied (4M); 1M TPM applied 200K; RPM 200 on the default. */
function history() {
  return {
    account_id: ID,
    region: 'us-east-1',
    model_id: 'claude-sonnet-4.5-v1',
    next: null,
    items: [
      entry(1, '2026-01-01T00:00:00Z', {}),
      entry(2, '2026-01-01T00:00:00Z', {
        history_id: 'h_0000000000002L-4B26E44A',
        dimension: 'tpm_1m',
        quota_code: 'L-4B26E44A',
        value: 200_000,
        source: 'applied',
      }),
      entry(3, '2026-01-01T00:00:00Z', {
        history_id: 'h_0000000000003L-DB84CE56',
        dimension: 'rpm',
        quota_code: 'L-DB84CE56',
        value: 200,
      }),
      entry(4, '2026-01-02T00:00:00Z', {
        event: 'changed',
        value: 4_000_000,
        previous_value: 2_000_000,
        source: 'applied',
      }),
    ],
  };
}

/** Opens a <details> as a click on its summary does (jsdom has no summary activation). */
function openDetails(el: HTMLElement) {
  act(() => {
    (el as HTMLDetailsElement).open = true;
    el.dispatchEvent(new Event('toggle'));
  });
}

function useExplainedServer() {
  server.use(
    http.get('/api/accounts/:id/quota', () => HttpResponse.json(explainedRead())),
    http.get('/api/accounts/:id/quota/history', () => HttpResponse.json(history())),
  );
}

// Rendering the whole app with a lazily loaded chart is slow on a busy machine: generous waits.
vi.setConfig({ testTimeout: 60_000 });

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('which quota is this, applied vs AWS default (cards)', () => {
  it('names each code with its AWS quota and scope, explains both values and shows the default beside', async () => {
    useExplainedServer();
    renderApp(`/accounts/${ID}`);
    const card = await screen.findByTestId('quota-card-claude-sonnet-4.5-v1', {}, { timeout: 30_000 });
    const tpm = card.querySelector('[data-dim="tpm"]') as HTMLElement;
    expect(tpm).toHaveTextContent('Applied');
    expect(within(tpm).getByTestId('aws-default')).toHaveTextContent('AWS default: 2M');
    expect(tpm.querySelector('dt')).toHaveAttribute('title', TPM_NAME);
    // The default equals the value (RPM on the default; 1M TPM applied = default): nothing beside it.
    expect(within(card.querySelector('[data-dim="rpm"]') as HTMLElement).queryByTestId('aws-default')).toBeNull();
    expect(within(card.querySelector('[data-dim="tpm_1m"]') as HTMLElement).queryByTestId('aws-default')).toBeNull();
    const about = within(card).getByTestId('quota-about-claude-sonnet-4.5-v1');
    expect(about).toHaveTextContent('Which AWS quotas are these?');
    expect(about).not.toHaveTextContent(TPM_NAME); // closed: only the summary
    openDetails(about);
    expect(about).toHaveTextContent(`TPM · L-27C57EE8 · Global cross-Region${TPM_NAME}`);
    expect(about).toHaveTextContent(RPM_NAME);
    expect(about).toHaveTextContent('1M TPM · L-4B26E44ANot in the built-in quota catalogue');
    const help = screen.getByTestId('quota-help');
    openDetails(help);
    expect(help).toHaveTextContent('Applied value and AWS default');
    expect(help).toHaveTextContent('the quota AWS enforces for this account in this region');
    expect(help).toHaveTextContent('in-Region (on-demand) and geographic cross-Region');
    expect(help).toHaveTextContent('they are separate quotas and are not shown here');
  });

  it('says it in Chinese, with 已应用值 for an applied value', async () => {
    await i18n.changeLanguage('zh');
    useExplainedServer();
    renderApp(`/accounts/${ID}`);
    const card = await screen.findByTestId('quota-card-claude-sonnet-4.5-v1', {}, { timeout: 30_000 });
    const tpm = card.querySelector('[data-dim="tpm"]') as HTMLElement;
    expect(tpm).toHaveTextContent('已应用值');
    expect(tpm).not.toHaveTextContent('已申请值');
    expect(within(tpm).getByTestId('aws-default')).toHaveTextContent('AWS 默认值：');
    const about = within(card).getByTestId('quota-about-claude-sonnet-4.5-v1');
    openDetails(about);
    expect(about).toHaveTextContent('这些是哪些 AWS 配额？');
    expect(about).toHaveTextContent('全球跨区域');
    const help = screen.getByTestId('quota-help');
    openDetails(help);
    expect(help).toHaveTextContent('已应用值与 AWS 默认值');
    expect(help).toHaveTextContent('区域内（按需）和地理跨区域');
  });
});

describe('the history chart', () => {
  it('has keyboard-focusable points with their values, 1M dashed, and the default → applied step annotated', async () => {
    useExplainedServer();
    renderApp(`/accounts/${ID}`);
    const tpm = await screen.findByRole('group', { name: 'History · TPM' }, { timeout: 30_000 });
    const points = within(tpm).getAllByRole('img');
    // TPM: 2 points; 1M TPM: 1 — one tab stop per panel (the newest), arrows move between them.
    expect(points).toHaveLength(3);
    expect(points.filter((p) => p.getAttribute('tabindex') === '0')).toHaveLength(1);
    const newest = points.find((p) => p.getAttribute('tabindex') === '0') as HTMLElement;
    expect(newest).toHaveAccessibleName(/TPM: 4,000,000 \(Applied\), changed \(AWS default → applied\)/);
    act(() => newest.focus());
    await waitFor(() => expect(newest).toHaveFocus());
    expect(screen.getByTestId('history-readout-tpm')).toHaveTextContent('TPM: 4,000,000 (Applied)');
    expect(within(tpm).getByTestId('history-tip-tpm')).toHaveTextContent('TPM 4M · Applied');
    fireEvent.keyDown(newest, { key: 'Home' });
    await waitFor(() =>
      expect(screen.getByTestId('history-readout-tpm')).toHaveTextContent('TPM: 2,000,000 (AWS default), first read'),
    );
    // Series differ by more than colour: the 1M line is dashed, its markers square.
    expect(tpm.querySelector('path[data-dim="tpm_1m"]')).toHaveAttribute('stroke-dasharray', '6 4');
    expect(tpm.querySelector('path[data-dim="tpm"]')).not.toHaveAttribute('stroke-dasharray');
    expect(within(tpm).getAllByTestId('history-point-tpm_1m')[0].querySelector('rect')).not.toBeNull();
    // The step from the AWS default to an applied value is annotated, in the chart and in words.
    expect(within(tpm).getByTestId('history-step-tpm')).toHaveTextContent('AWS default → applied');
    expect(screen.getByTestId('history-panel-tpm')).toHaveTextContent(
      'TPM went from the AWS default to an applied value (2M → 4M)',
    );
    // RPM on its own scale, in its own panel: no step there.
    const rpm = screen.getByRole('group', { name: 'History · RPM' });
    expect(within(rpm).queryByTestId('history-step-rpm')).toBeNull();
  });

  it('shows the same events as a table, in Chinese too', async () => {
    await i18n.changeLanguage('zh');
    useExplainedServer();
    renderApp(`/accounts/${ID}`);
    await screen.findByRole('group', { name: '历史 · TPM' }, { timeout: 30_000 });
    fireEvent.click(screen.getByRole('button', { name: '以表格显示' }));
    const table = screen.getByTestId('history-table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(5); // header + 4 events, newest first
    expect(rows[1]).toHaveTextContent('已变化 · AWS 默认值 → 已应用值');
    expect(rows[1]).toHaveTextContent('已应用值');
    expect(rows[1]).toHaveTextContent('L-27C57EE8');
    expect(within(table).getByRole('table', { name: 'Claude Sonnet 4.5 V1：配额历史' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '以图表显示' }));
    expect(screen.getByRole('group', { name: '历史 · TPM' })).toBeInTheDocument();
  });
});

describe('the quota config page', () => {
  const config = {
    ...quotaConfig(3),
    quota_names: {
      'L-27C57EE8': { name: TPM_NAME, scope: 'global-cross-region' as const },
      'L-4B26E44A': { name: null, scope: 'global-cross-region' as const },
    },
  };

  it('shows the AWS name and scope under each code and says other scopes are not shown', async () => {
    server.use(http.get('/api/admin/quota-config', () => HttpResponse.json(config)));
    renderApp('/settings/quota-config');
    const code = await screen.findByTestId('quota-code-L-27C57EE8', {}, { timeout: 30_000 });
    expect(code).toHaveTextContent(`L-27C57EE8${TPM_NAME} · Global cross-Region`);
    expect(screen.getByTestId('quota-code-L-4B26E44A')).toHaveTextContent('AWS name not confirmed');
    expect(screen.getByTestId('quota-code-L-3ABF6ACC')).toHaveTextContent('Not in the built-in quota catalogue');
    expect(screen.getByTestId('quota-scope-note')).toHaveTextContent(
      'AWS also has in-Region (on-demand) and geographic cross-Region',
    );
  });

  it('says it in Chinese', async () => {
    await i18n.changeLanguage('zh');
    server.use(http.get('/api/admin/quota-config', () => HttpResponse.json(config)));
    renderApp('/settings/quota-config');
    const code = await screen.findByTestId('quota-code-L-27C57EE8', {}, { timeout: 30_000 });
    expect(code).toHaveTextContent('全球跨区域');
    expect(screen.getByTestId('quota-code-L-3ABF6ACC')).toHaveTextContent('内置配额目录中没有此代码');
    expect(screen.getByTestId('quota-scope-note')).toHaveTextContent('它们是不同的配额，这里不显示');
  });
});
