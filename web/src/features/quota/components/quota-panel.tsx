import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Loading, Notice, softDisabled } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useFormat } from '@/lib/use-format';
import type { Dimension, QuotaRead, RefreshReport } from '@/lib/api/contract';
import { quotaKeys, useAccountQuota } from '@/lib/api/queries/quota';
import { ExportDownload } from '@/features/exports/components/export-download';
import { useQuotaHistory } from '../api/get-quota-history';
import { useUsageHistory } from '../api/get-usage-history';
import { useRefreshAccountQuota } from '../api/refresh-account-quota';
import { LastRefreshStatus } from './last-refresh';
import { QuotaCard, type UsageWindow } from './quota-card';
import { QuotaHelp } from './quota-explained';
import { OtherTraffic, UsageRefreshControl, UsageStatusLine, UsageWindowPicker } from './usage-section';

const HistoryChart = lazy(() => import('./history-chart'));

/** The values a refresh could not read, as "Model · TPM: reason" lines. */
function failedValues(read: QuotaRead & { refresh: RefreshReport }, t: (k: string) => string): string[] {
  const name = (id: string) => read.models.find((m) => m.model_id === id)?.display_name ?? id;
  return read.refresh.values
    .filter((v) => !v.ok)
    .map((v) => `${name(v.model_id)} · ${t(`quota.dim.${v.dimension}`)}: ${v.error ?? t('quota.state.error')}`);
}

function RefreshControl({ accountId, region }: { accountId: string; region: string }) {
  const { t } = useTranslation();
  const refresh = useRefreshAccountQuota(accountId, region);
  const failures = refresh.data ? failedValues(refresh.data, t) : [];

  return (
    <div className="refresh">
      <div className="refresh__row">
        <button type="button" className="btn btn--primary" {...softDisabled(refresh.isPending, () => refresh.mutate())}>
          {refresh.isPending ? t('configData.refreshingRegion', { region }) : t('configData.refreshRegion', { region })}
        </button>
        {refresh.isPending && (
          <span className="progress progress--indeterminate" role="progressbar" aria-label={t('quota.refreshing')}>
            <span className="progress__bar" />
          </span>
        )}
      </div>
      {refresh.isSuccess && failures.length === 0 && (
        <Notice tone="success">{t('configData.refreshedRegion', { count: refresh.data.refresh.ok, region })}</Notice>
      )}
      {refresh.isSuccess && failures.length > 0 && (
        <div className="alert alert--warn" role="alert">
          <strong>{t('quota.refreshPartial', { count: failures.length })}</strong>
          <ul>
            {failures.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      )}
      {refresh.error &&
        (isApiError(refresh.error) && refresh.error.status === 502 ? (
          <div className="alert alert--error" role="alert">
            <strong>{t('quota.refreshFailed')}</strong> <span className="alert__detail">{refresh.error.message}</span>
          </div>
        ) : (
          <ErrorMessage error={refresh.error} />
        ))}
    </div>
  );
}

function History({ accountId, region, read }: { accountId: string; region: string; read: QuotaRead }) {
  const { t } = useTranslation();
  const [modelId, setModelId] = useState<string | undefined>(read.models[0]?.model_id);
  const current = read.models.some((m) => m.model_id === modelId) ? modelId : read.models[0]?.model_id;
  const history = useQuotaHistory(accountId, region, current);
  // Usage under the quota line; the chart draws the quota alone while usage loads or when it cannot be read.
  const usage = useUsageHistory(accountId, region, current);
  return (
    <section aria-labelledby="history-title" className="section">
      <div className="section__head">
        <h2 id="history-title">{t('quota.historyTitle')}</h2>
        {read.models.length > 0 && (
          <div className="field field--inline">
            <label className="field__label" htmlFor="history-model">
              {t('quota.model')}
            </label>
            <select id="history-model" className="input" value={current} onChange={(e) => setModelId(e.target.value)}>
              {read.models.map((m) => (
                <option key={m.model_id} value={m.model_id}>
                  {m.display_name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <ExportDownload what="quota-history" filters={{ account_id: accountId, region, model_id: current }} />
      {history.isPending && current && <Loading />}
      {history.error && <ErrorMessage error={history.error} />}
      {history.data && (
        <Suspense fallback={<Loading label={t('dashboard.chartLoading')} />}>
          <HistoryChart
            history={history.data}
            usage={usage.data}
            modelName={read.models.find((m) => m.model_id === current)?.display_name ?? current}
          />
        </Suspense>
      )}
    </section>
  );
}

/**
 * Renders something beside one cached value of a card (the app supplies it, e.g. the increases feature's "Request
 * increase"): features do not import each other. `value` is null when unknown (never 0).
 */
export type QuotaValueSlot = (p: {
  accountId: string;
  region: string;
  modelId: string;
  modelName: string;
  dimension: Dimension;
  value: number | null;
}) => ReactNode;

/**
 * An account's quotas in one region: refresh, a card per enabled model, history. `refreshing` says the server is
 * refreshing the account on its own (e.g. right after it was added): the read is polled until that ends.
 * `valueSlot`, when given, is rendered beside each value.
 */
export function QuotaPanel({
  accountId,
  region,
  refreshing = false,
  valueSlot,
}: {
  accountId: string;
  region: string;
  refreshing?: boolean;
  valueSlot?: QuotaValueSlot;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const quota = useAccountQuota(accountId, region, refreshing ? 1500 : false);
  const [usageWindow, setUsageWindow] = useState<UsageWindow>('24h');
  const wasRefreshing = useRef(refreshing);
  useEffect(() => {
    // One more read once the server's refresh has finished, so the final values show.
    if (wasRefreshing.current && !refreshing) void qc.invalidateQueries({ queryKey: quotaKeys.account(accountId) });
    wasRefreshing.current = refreshing;
  }, [refreshing, accountId, qc]);
  return (
    <>
      <section aria-labelledby="quota-title" className="section">
        <div className="section__head">
          <div>
            <h2 id="quota-title">{t('quota.title')}</h2>
            <p className="small muted">
              {quota.data?.last_updated
                ? t('quota.lastUpdated', { when: f.dateTime(quota.data.last_updated) })
                : t('quota.neverUpdated')}
            </p>
            {quota.data && <LastRefreshStatus last={quota.data.last_refresh} />}
            {quota.data && <UsageStatusLine usage={quota.data.usage} />}
            {refreshing && (
              <p className="small" role="status">
                <span className="spinner spinner--inline" aria-hidden="true" /> {t('quota.refreshingNow')}
              </p>
            )}
          </div>
          <div className="button-stack">
            {/* Keyed by region: a refresh result belongs to its region and goes when the region changes. */}
            <RefreshControl key={`${accountId}/${region}`} accountId={accountId} region={region} />
            <UsageRefreshControl accountId={accountId} />
          </div>
        </div>
        {quota.isPending && <Loading />}
        {quota.error && <ErrorMessage error={quota.error} />}
        {quota.data && quota.data.models.length === 0 && <p className="muted">{t('quota.noModels')}</p>}
        {quota.data && quota.data.models.length > 0 && <QuotaHelp />}
        {quota.data && quota.data.models.length > 0 && (
          <UsageWindowPicker value={usageWindow} onChange={setUsageWindow} />
        )}
        <div className="cards">
          {quota.data?.models.map((m) => (
            <QuotaCard
              key={m.model_id}
              model={m}
              window={usageWindow}
              valueAction={
                valueSlot &&
                ((dimension, v) =>
                  valueSlot({
                    accountId,
                    region,
                    modelId: m.model_id,
                    modelName: m.display_name,
                    dimension,
                    value: v.value,
                  }))
              }
            />
          ))}
        </div>
        {quota.data && <OtherTraffic read={quota.data} />}
      </section>
      {quota.data && <History accountId={accountId} region={region} read={quota.data} />}
    </>
  );
}
