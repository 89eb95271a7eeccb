// Sample bodies for the msw fake (test/server.ts), typed by the generated contract (lib/api/contract.ts) and checked
// against its zod schemas when built: a fixture the contract does not allow fails the test that builds it.
import type { z } from 'zod';
import {
  zAccount,
  zContactInfoRecord,
  zDashboardStats,
  zError,
  zHeadroomPage,
  zModelUsage,
  zUsageHistory,
  zUsagePollReport,
  zGetAvailableModelsResponse,
  zJob,
  zJobItem,
  zQuotaConfig,
  zQuotaRead,
  zRefreshReport,
  zRegion,
  zUser,
  type Account,
  type ContactInfoRecord,
  type DashboardStats,
  type Error as ErrorBody,
  type GetAvailableModelsResponse,
  type HeadroomEntry,
  type HeadroomPage,
  type ModelUsage,
  type UsageHistory,
  type UsageHistoryPoint,
  type UsagePollReport,
  type WindowUsage,
  type Job,
  type JobItem,
  type QuotaConfig,
  type QuotaRead,
  type QuotaValue,
  type RefreshQuotaResponse,
  type RefreshReport,
  type User,
} from '@/lib/api/contract';

/** `value`, after checking that the contract allows it (throws with zod's message when not). */
export function checked<T>(schema: z.ZodType, value: T): T {
  schema.parse(value);
  return value;
}

export const adminUser: User = checked(zUser, {
  user_id: 'u_admin',
  email: 'admin@example.com',
  role: 'admin',
  teams: [],
  disabled: false,
  must_change_password: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

export const normalUser: User = checked(zUser, {
  ...adminUser,
  user_id: 'u_user',
  email: 'user@example.com',
  role: 'user',
  teams: ['ops'],
});

export function account(overrides: Partial<Account> = {}): Account {
  return checked(zAccount, {
    account_id: '123456789012',
    account_name: 'Prod',
    regions: ['us-east-1'],
    teams: ['ops'],
    status: 'active',
    credentials: { type: 'access_key', access_key_id: 'AKIA************MPLE' },
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    created_by: 'u_admin',
    version: 1,
    refreshing: false,
    ...overrides,
  });
}

export function value(overrides: Partial<QuotaValue> = {}): QuotaValue {
  return {
    value: null,
    quota_code: 'L-00000000',
    state: 'never',
    source: null,
    reason: null,
    reason_kind: null,
    read_at: null,
    attempted_at: null,
    quota_name: null,
    quota_scope: null,
    aws_default: null,
    aws_default_read_at: null,
    ...overrides,
  };
}

const recent = new Date(Date.now() - 2 * 3600_000).toISOString();

/** One account read with a model in each state: ok/applied, stale/default, error, never. */
export function quotaRead(accountId = '123456789012', regionName = 'us-east-1'): QuotaRead {
  const region = zRegion.parse(regionName);
  return checked(zQuotaRead, {
    account_id: accountId,
    region,
    last_updated: recent,
    last_refresh: { at: recent, state: 'ok', read: 7, failed: 0, reason: null, reason_kind: null },
    models: [
      {
        model_id: 'claude-sonnet-4.5-v1',
        display_name: 'Claude Sonnet 4.5 V1',
        tpm: value({ value: 1_500_000, state: 'ok', source: 'applied', read_at: recent, quota_code: 'L-27C57EE8' }),
        rpm: value({ value: 200, state: 'ok', source: 'aws_default', read_at: recent, quota_code: 'L-DB84CE56' }),
        tpm_1m: value({ value: 200_000, state: 'ok', source: 'applied', read_at: recent, quota_code: 'L-4B26E44A' }),
        rpm_1m: value({ value: null, state: 'never', quota_code: 'L-C0D53EFB' }),
        status: 'never',
        usage: null,
      },
      {
        model_id: 'claude-opus-4.5',
        display_name: 'Claude Opus 4.5',
        tpm: value({
          value: 400_000,
          state: 'stale',
          source: 'aws_default',
          read_at: recent,
          reason: 'throttled by AWS',
        }),
        rpm: value({ value: 50, state: 'ok', source: 'applied', read_at: recent }),
        tpm_1m: null,
        rpm_1m: null,
        status: 'stale',
        usage: null,
      },
      {
        model_id: 'claude-opus-4.6-v1',
        display_name: 'Claude Opus 4.6 V1',
        tpm: value({ value: null, state: 'error', reason: 'AccessDenied: not authorized', attempted_at: recent }),
        rpm: value({ value: 30, state: 'ok', source: 'applied', read_at: recent }),
        tpm_1m: null,
        rpm_1m: null,
        status: 'error',
        usage: null,
      },
    ],
    usage: { state: 'never', polled_at: null, attempted_at: null, error_code: null, error_message: null },
    usage_series: [],
  });
}

/** A refresh report: `failed` lists the values that could not be read (with their AWS error), the rest were read. */
export function refreshReport(
  failed: { model_id: string; dimension: RefreshReport['values'][number]['dimension']; error: string }[] = [],
): RefreshReport {
  return checked(zRefreshReport, {
    started_at: '2026-01-02T03:04:05Z',
    finished_at: '2026-01-02T03:04:06Z',
    duration_ms: 1000,
    ok: 5,
    failed: failed.length,
    cache_written: true,
    values: [
      {
        model_id: 'claude-sonnet-4.5-v1',
        dimension: 'tpm',
        quota_code: 'L-27C57EE8',
        ok: true,
        value: 1_500_000,
        source: 'applied',
        error: null,
      },
      ...failed.map((f) => ({ ...f, quota_code: 'L-00000000', ok: false, value: null, source: null })),
    ],
  });
}

/** The answer of POST /api/accounts/{id}/quota/refresh: the read after the refresh and its report. */
export function refreshed(
  accountId = '123456789012',
  region = 'us-east-1',
  report = refreshReport(),
): RefreshQuotaResponse {
  return { ...quotaRead(accountId, region), refresh: report };
}

/** GET /api/admin/available-models when no account could be asked: the built-in catalogue. */
export function availableModels(overrides: Partial<GetAvailableModelsResponse> = {}): GetAvailableModelsResponse {
  return checked(zGetAvailableModelsResponse, {
    models: [],
    source: 'catalogue',
    fallback_reason: 'no active account',
    account_id: null,
    region: null,
    quotas_seen: 0,
    discovered_at: '2026-01-02T03:04:05Z',
    ...overrides,
  });
}

/** The contact information of account 123456789012 as the platform stores it (GET/PUT /billing). */
export function contactInfo(overrides: Partial<ContactInfoRecord> = {}): ContactInfoRecord {
  return checked(zContactInfoRecord, {
    full_name: 'Jane Doe',
    address_line1: '1 Main St',
    address_line2: '',
    address_line3: '',
    city: 'Seattle',
    company_name: '',
    country_code: 'US',
    district_or_county: '',
    phone_number: '+1 206 555 0100',
    postal_code: '98101',
    state_or_region: '',
    website_url: '',
    updated_at: '2026-01-02T00:00:00Z',
    updated_by: 'u_admin',
    account_id: '123456789012',
    source: 'platform',
    ...overrides,
  });
}

/** A fleet job's header as GET /api/jobs and GET /api/jobs/{id} give it (its items: GET /api/jobs/{id}/items). */
export function job(overrides: Partial<Job> = {}): Job {
  return checked(zJob, {
    job_id: 'j1',
    kind: 'quota_refresh_all',
    state: 'running',
    created_by: 'u_admin',
    created_by_email: 'admin@example.com',
    model_ids: null,
    quota_codes: null,
    team: null,
    region: null,
    created_at: '2026-01-02T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    finished_at: null,
    total: 4,
    done: 1,
    ok: 1,
    partial: 0,
    failed: 0,
    include_usage: false,
    usage_failed: 0,
    eta_seconds: 30,
    ...overrides,
  });
}

/** One (account, region) row of the dashboard grid, with the values of quotaRead() for the two dashboard models. */
export function dashboardRow(
  accountId = '123456789012',
  regionName = 'us-east-1',
  accountName = 'Prod',
): DashboardStats['accounts'][number] {
  const cell = (v: QuotaValue) => ({
    value: v.value,
    state: v.state,
    source: v.source,
    read_at: v.read_at,
    attempted_at: v.attempted_at,
    reason: v.reason,
    reason_kind: v.reason_kind,
  });
  const read = quotaRead(accountId, regionName);
  const values: DashboardStats['accounts'][number]['values'] = {};
  for (const m of read.models.filter((x) => x.model_id !== 'claude-opus-4.6-v1')) {
    values[m.model_id] = { tpm: cell(m.tpm), rpm: cell(m.rpm) };
    if (m.tpm_1m) values[m.model_id].tpm_1m = cell(m.tpm_1m);
    if (m.rpm_1m) values[m.model_id].rpm_1m = cell(m.rpm_1m);
  }
  return {
    account_id: accountId,
    account_name: accountName,
    region: regionName,
    usage_state: 'never',
    headroom: {},
    last_refresh: read.last_refresh,
    values,
  };
}

/** One (account, region) item of a fleet job, as GET /api/jobs/{id}/items lists it. */
export function jobItem(overrides: Partial<JobItem> = {}): JobItem {
  return checked(zJobItem, {
    seq: 0,
    account_id: '123456789012',
    account_name: 'Prod',
    region: 'us-east-1',
    outcome: 'ok',
    values_ok: 8,
    values_failed: 0,
    error: null,
    finished_at: '2026-01-02T00:00:01Z',
    usage_state: null,
    usage_error: null,
    ...overrides,
  });
}

export const dashboardStats: DashboardStats = checked(zDashboardStats, {
  active_accounts: 3,
  account_regions: 4,
  accounts: [dashboardRow()],
  next: null,
  page_size: 10,
  total: 4,
  generated_at: '2026-01-02T03:04:05Z',
  scope: 'all',
  sort: 'name',
  order: 'asc',
  team: null,
  region: null,
  models: [
    {
      model_id: 'claude-sonnet-4.5-v1',
      display_name: 'Claude Sonnet 4.5 V1',
      has_1m_context: true,
      tpm: { total: 2_500_000, fresh: 2, stale: 1, missing: 1 },
      rpm: { total: 400, fresh: 2, stale: 0, missing: 2 },
      tpm_1m: { total: null, fresh: 0, stale: 0, missing: 4 },
      rpm_1m: { total: 0, fresh: 1, stale: 0, missing: 3 },
    },
    {
      model_id: 'claude-opus-4.5',
      display_name: 'Claude Opus 4.5',
      has_1m_context: false,
      tpm: { total: null, fresh: 0, stale: 0, missing: 4 },
      rpm: { total: null, fresh: 0, stale: 0, missing: 4 },
    },
  ],
});

export function quotaConfig(version = 3): QuotaConfig {
  return checked(zQuotaConfig, {
    config_id: 'global-quota-config',
    updated_at: '2026-01-01T00:00:00Z',
    updated_by: 'u_admin',
    version,
    models: [
      {
        model_id: 'claude-opus-4.5',
        display_name: 'Claude Opus 4.5',
        quota_code_tpm: 'L-3ABF6ACC',
        quota_code_rpm: 'L-58424D95',
        enabled: true,
        show_in_dashboard: true,
        has_1m_context: false,
        quota_code_tpm_1m: null,
        quota_code_rpm_1m: null,
        output_token_burndown: 5,
      },
      {
        model_id: 'claude-sonnet-4.5-v1',
        display_name: 'Claude Sonnet 4.5 V1',
        quota_code_tpm: 'L-27C57EE8',
        quota_code_rpm: 'L-DB84CE56',
        enabled: true,
        show_in_dashboard: false,
        has_1m_context: true,
        quota_code_tpm_1m: 'L-4B26E44A',
        quota_code_rpm_1m: 'L-C0D53EFB',
        output_token_burndown: 5,
      },
    ],
  });
}

export function apiError(code: ErrorBody['error']['code'], message: string, field?: string): ErrorBody {
  return checked(zError, { error: { code, message, request_id: 'req-test-1', ...(field ? { field } : {}) } });
}

// ---- Usage against quota (issue 13) ----

const usageEnd = '2026-01-02T03:04:00Z';
const windowStart: Record<WindowUsage['window'], string> = {
  '1h': '2026-01-02T02:04:00Z',
  '24h': '2026-01-01T03:04:00Z',
  '7d': '2025-12-26T03:04:00Z',
};

/** One window of a model's usage: `tokens` / `requests` are the peaks (null = no minute with data). */
export function windowUsage(
  window: WindowUsage['window'],
  o: {
    tokens?: number | null;
    requests?: number | null;
    throttles?: number | null;
    quotaTpm?: number | null;
    quotaRpm?: number | null;
  } = {},
): WindowUsage {
  const tokens = o.tokens === undefined ? 1_200_000 : o.tokens;
  const requests = o.requests === undefined ? 120 : o.requests;
  const quotaTpm = o.quotaTpm === undefined ? 1_500_000 : o.quotaTpm;
  const quotaRpm = o.quotaRpm === undefined ? 200 : o.quotaRpm;
  const stat = (peak: number | null) => ({
    peak,
    p95: peak === null ? null : Math.round(peak * 0.8),
    minutes_with_data: peak === null ? 0 : 50,
    minutes_without_data: peak === null ? 60 : 10,
  });
  return {
    window,
    start: windowStart[window],
    end: usageEnd,
    requests: stat(requests),
    weighted_tokens: stat(tokens),
    throttles: o.throttles === undefined ? 0 : o.throttles,
    throttled_minutes: o.throttles ? 1 : 0,
    throttle_minutes_without_data: 0,
    headroom_tpm: tokens === null || !quotaTpm ? null : 1 - tokens / quotaTpm,
    headroom_rpm: requests === null || !quotaRpm ? null : 1 - requests / quotaRpm,
  };
}

/** A model's usage: by default 24 h at 80 % of TPM (1.2M of 1.5M) and 60 % of RPM (120 of 200), 12 throttles. */
export function modelUsage(overrides: Partial<Record<WindowUsage['window'], WindowUsage>> = {}): ModelUsage {
  return checked(zModelUsage, {
    output_token_burndown: 5,
    quota_tpm: 1_500_000,
    quota_rpm: 200,
    windows: [
      overrides['1h'] ?? windowUsage('1h', { tokens: 300_000, requests: 30, throttles: null }),
      overrides['24h'] ?? windowUsage('24h', { throttles: 12 }),
      overrides['7d'] ?? windowUsage('7d', { tokens: 1_650_000, requests: 190, throttles: 40 }),
    ],
  });
}

/** quotaRead() after a good usage poll: Sonnet with modelUsage(), plus a series matching no model and a geo series (sorted by series, as the server sends them). */
export function quotaReadWithUsage(accountId = '123456789012', regionName = 'us-east-1'): QuotaRead {
  const read = quotaRead(accountId, regionName);
  return checked(zQuotaRead, {
    ...read,
    models: read.models.map((m) => (m.model_id === 'claude-sonnet-4.5-v1' ? { ...m, usage: modelUsage() } : m)),
    usage: {
      state: 'ok',
      polled_at: '2026-01-02T03:04:05Z',
      attempted_at: '2026-01-02T03:04:05Z',
      error_code: null,
      error_message: null,
    },
    usage_series: [
      {
        series: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        scope: 'global',
        model_id: 'claude-sonnet-4.5-v1',
        counts_against_quota: true,
        usage: modelUsage(),
      },
      {
        series: 'mystery.model-v9',
        scope: 'unknown',
        model_id: null,
        counts_against_quota: false,
        usage: modelUsage({ '24h': windowUsage('24h', { requests: null, tokens: null }) }),
      },
      {
        series: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        scope: 'geo',
        model_id: 'claude-sonnet-4.5-v1',
        counts_against_quota: false,
        usage: modelUsage({ '24h': windowUsage('24h', { requests: 42 }) }),
      },
    ],
  });
}

/** One region's report of POST /api/accounts/{id}/usage/refresh. */
export function usagePollReport(overrides: Partial<UsagePollReport> = {}): UsagePollReport {
  return checked(zUsagePollReport, {
    account_id: '123456789012',
    region: 'us-east-1',
    started_at: '2026-01-02T03:04:05Z',
    finished_at: '2026-01-02T03:04:06Z',
    state: 'ok',
    error_code: null,
    error_message: null,
    by_other_instance: false,
    snapshot_written: true,
    series: 3,
    counted_series: 1,
    unmatched_series: 1,
    series_dropped: 0,
    models: 1,
    points_read: 300,
    metric_calls: 2,
    partial: [],
    ...overrides,
  });
}

/** An hour of usage history (null figures = no data in that hour). */
export function usageHour(hour: string, o: Partial<UsageHistoryPoint> = {}): UsageHistoryPoint {
  return {
    hour,
    minutes_with_data: 60,
    requests_peak: 100,
    weighted_tokens_peak: 1_000_000,
    throttles: 0,
    ...o,
  };
}

export function usageHistory(items: UsageHistoryPoint[] = [], accountId = '123456789012'): UsageHistory {
  return checked(zUsageHistory, {
    account_id: accountId,
    region: 'us-east-1',
    model_id: 'claude-sonnet-4.5-v1',
    output_token_burndown: 5,
    from: items[0]?.hour ?? '2026-01-01T00:00:00Z',
    to: items.at(-1)?.hour ?? '2026-01-01T00:00:00Z',
    items,
  });
}

export function headroomEntry(overrides: Partial<HeadroomEntry> = {}): HeadroomEntry {
  return {
    account_id: '123456789012',
    account_name: 'Prod',
    region: 'us-east-1',
    model_id: 'claude-sonnet-4.5-v1',
    display_name: 'Claude Sonnet 4.5 V1',
    headroom: 0.05,
    headroom_tpm: 0.05,
    headroom_rpm: 0.4,
    polled_at: '2026-01-02T03:04:05Z',
    ...overrides,
  };
}

export function headroomPage(
  items: HeadroomEntry[],
  next: string | null = null,
  team: string | null = null,
): HeadroomPage {
  return checked(zHeadroomPage, { team, items, next });
}
