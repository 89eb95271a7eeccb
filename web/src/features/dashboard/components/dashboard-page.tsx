import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPagination, ErrorMessage, Loading, PageHeader } from '@/components/ui';
import { ExportDownload } from '@/features/exports/components/export-download';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { useFormat } from '@/lib/use-format';
import { useDashboardStats } from '../api/get-dashboard-stats';
import { ClosestToLimit } from './closest-to-limit';
import { FleetTotals } from './fleet-totals';
import { QuotaGrid } from './quota-grid';

const CapacityChart = lazy(() => import('./capacity-chart'));
const PAGE_SIZE = 10;

export default function DashboardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  // The grid's page is the `?cursor=` of the URL; the totals come with every page.
  const pager = useCursorPager();
  const stats = useDashboardStats({ cursor: pager.cursor, page_size: PAGE_SIZE });
  const rows = stats.data?.accounts ?? [];

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
        <p>
          <Link to="/exports/litellm">{t('litellm.open')}</Link>
        </p>
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

      <ClosestToLimit />

      <section aria-labelledby="grid-title">
        <h2 id="grid-title">{t('dashboard.gridTitle')}</h2>
        <ExportDownload what="fleet" />
        {stats.isPending && <Loading />}
        {stats.data && stats.data.total === 0 && (
          <p className="muted">
            {t('dashboard.noAccounts')} <Link to="/accounts">{t('nav.accounts')}</Link>
          </p>
        )}
        {stats.data && stats.data.total > 0 && (
          <>
            <QuotaGrid rows={rows} models={stats.data.models} />
            <CursorPagination pager={pager} next={stats.data.next} />
          </>
        )}
      </section>
    </>
  );
}
