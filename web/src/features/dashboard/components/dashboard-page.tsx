import { lazy, Suspense } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPagination, ErrorMessage, Loading, PageHeader } from '@/components/ui';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { useFormat } from '@/lib/use-format';
import { useAccounts } from '@/lib/api/queries/accounts';
import { getAccountQuota, quotaKeys } from '@/lib/api/queries/quota';
import { useDashboardStats } from '../api/get-dashboard-stats';
import { FleetTotals } from './fleet-totals';
import { QuotaGrid } from './quota-grid';
import type { GridRow } from './types';

const CapacityChart = lazy(() => import('./capacity-chart'));
const PAGE_SIZE = 10;

export default function DashboardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const stats = useDashboardStats();
  const pager = useCursorPager();
  const accounts = useAccounts({ status: 'active', cursor: pager.cursor, page_size: PAGE_SIZE });
  const pairs = (accounts.data?.items ?? []).flatMap((a) => a.regions.map((region) => ({ account: a, region })));
  const reads = useQueries({
    queries: pairs.map((p) => ({
      queryKey: quotaKeys.read(p.account.account_id, p.region),
      queryFn: ({ signal }: { signal: AbortSignal }) => getAccountQuota(p.account.account_id, p.region, signal),
    })),
  });
  const rows: GridRow[] = pairs.map((p, i) => ({
    ...p,
    read: reads[i]?.data,
    error: reads[i]?.error,
    loading: Boolean(reads[i]?.isPending),
  }));

  return (
    <>
      <PageHeader title={t('dashboard.title')}>
        {stats.data && (
          <p className="muted">
            {t('dashboard.summary', { count: stats.data.active_accounts, regions: stats.data.account_regions })}
            {stats.data.generated_at &&
              ` · ${t('dashboard.generatedAt', { when: f.dateTime(stats.data.generated_at) })}`}
          </p>
        )}
      </PageHeader>

      <section aria-labelledby="fleet-title">
        <h2 id="fleet-title">{t('dashboard.fleetTitle')}</h2>
        {stats.isPending && <Loading />}
        {stats.error && <ErrorMessage error={stats.error} />}
        {stats.data && stats.data.models.length === 0 && <p className="muted">{t('dashboard.noModels')}</p>}
        <div className="cards">
          {stats.data?.models.map((m) => (
            <article key={m.model_id} className="card" data-testid={`fleet-${m.model_id}`} aria-label={m.display_name}>
              <FleetTotals model={m} />
              <Suspense fallback={<Loading label={t('dashboard.chartLoading')} />}>
                <CapacityChart model={m} rows={rows} />
              </Suspense>
            </article>
          ))}
        </div>
      </section>

      <section aria-labelledby="grid-title">
        <h2 id="grid-title">{t('dashboard.gridTitle')}</h2>
        {accounts.isPending && <Loading />}
        {accounts.error && <ErrorMessage error={accounts.error} />}
        {accounts.data && accounts.data.items.length === 0 && (
          <p className="muted">
            {t('dashboard.noAccounts')} <Link to="/accounts">{t('nav.accounts')}</Link>
          </p>
        )}
        {accounts.data && accounts.data.items.length > 0 && stats.data && (
          <>
            <QuotaGrid rows={rows} models={stats.data.models} />
            <CursorPagination pager={pager} next={accounts.data.next} />
          </>
        )}
      </section>
    </>
  );
}
