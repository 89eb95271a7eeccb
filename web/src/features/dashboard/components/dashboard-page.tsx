import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPagination, ErrorMessage, Loading, PageHeader } from '@/components/ui';
import { ExportDownload } from '@/features/exports/components/export-download';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { useFormat } from '@/lib/use-format';
import { DASHBOARD_PAGE_SIZE, useDashboardStats } from '../api/get-dashboard-stats';
import { ClosestToLimit } from './closest-to-limit';
import { FleetTotals } from './fleet-totals';
import { GridControls } from './grid-controls';
import { useGridQuery } from './grid-query';
import { QuotaGrid, type GridSelection } from './quota-grid';
import type { GridRow } from './types';
import type { DashboardModel } from '../api/get-dashboard-stats';

const CapacityChart = lazy(() => import('./capacity-chart'));
const PAGE_SIZE = DASHBOARD_PAGE_SIZE;

/** One selected row of the grid: an account in one region. */
export interface SelectedRow {
  account_id: string;
  account_name: string;
  region: string;
}

/**
 * Renders an action on the grid's selected rows (the app supplies it, e.g. the increases feature's bulk request):
 * features do not import each other. `clear` empties the selection.
 */
export type SelectionSlot = (p: { selected: SelectedRow[]; models: DashboardModel[]; clear: () => void }) => ReactNode;

const rowKey = (r: { account_id: string; region: string }) => `${r.account_id}/${r.region}`;

/** The grid's selection, kept across its pages (rows picked on page 1 stay picked on page 2). */
function useSelection(rows: GridRow[], label: (r: GridRow) => string, pageLabel: string) {
  const [picked, setPicked] = useState<Map<string, SelectedRow>>(new Map());
  const allOnPage = rows.length > 0 && rows.every((r) => picked.has(rowKey(r)));
  const grid: GridSelection = {
    isSelected: (r) => picked.has(rowKey(r)),
    toggle: (r) =>
      setPicked((m) => {
        const n = new Map(m);
        if (n.has(rowKey(r))) n.delete(rowKey(r));
        else n.set(rowKey(r), { account_id: r.account_id, account_name: r.account_name, region: r.region });
        return n;
      }),
    togglePage: () =>
      setPicked((m) => {
        const n = new Map(m);
        for (const r of rows) {
          if (allOnPage) n.delete(rowKey(r));
          else n.set(rowKey(r), { account_id: r.account_id, account_name: r.account_name, region: r.region });
        }
        return n;
      }),
    allOnPage,
    rowLabel: label,
    pageLabel,
  };
  return { grid, selected: [...picked.values()], clear: () => setPicked(new Map()) };
}

/** The dashboard; `selectionAction`, when given, adds row checkboxes to the grid and the action above it. */
export default function DashboardPage({ selectionAction }: { selectionAction?: SelectionSlot } = {}) {
  const { t } = useTranslation();
  const f = useFormat();
  // The grid's page is the `?cursor=` of the URL; the totals come with every page.
  const pager = useCursorPager();
  // Sort and filters: the URL's `sort`, `order`, `team`, `region` (a change goes back to the first page).
  const grid = useGridQuery();
  const stats = useDashboardStats({ ...grid.query, cursor: pager.cursor, page_size: PAGE_SIZE });
  const rows = stats.data?.accounts ?? [];
  const selection = useSelection(
    rows,
    (r) => t('dashboard.selectRow', { name: r.account_name, region: r.region }),
    t('dashboard.selectPage'),
  );

  return (
    <>
      <PageHeader title={t('dashboard.title')}>
        {/* Always there (its lines reserved while the numbers load), so nothing below moves when they arrive. */}
        <p className="muted page-header__summary">
          {stats.data ? (
            <>
              {t('dashboard.summary', { count: stats.data.active_accounts, regions: stats.data.account_regions })}
              {stats.data.generated_at &&
                ` · ${t('dashboard.generatedAt', { when: f.dateTime(stats.data.generated_at) })}`}
            </>
          ) : (
            '\u00a0'
          )}
        </p>
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

      {/* Below the fleet cards only once they are there: the cards' height is unknown until the numbers arrive,
          and sections already on screen would shift down (Lighthouse CLS). */}
      {!stats.isPending && (
        <>
          <ClosestToLimit />

          <section aria-labelledby="grid-title">
            <h2 id="grid-title">{t('dashboard.gridTitle')}</h2>
            <ExportDownload what="fleet" />
            {stats.data && stats.data.total === 0 && (
              <p className="muted">
                {t('dashboard.noAccounts')} <Link to="/accounts">{t('nav.accounts')}</Link>
              </p>
            )}
            {stats.data && stats.data.total > 0 && (
              <>
                <GridControls
                  stats={stats.data}
                  sort={grid.sort}
                  team={grid.query.team ?? ''}
                  region={grid.query.region ?? ''}
                  onTeam={grid.setTeam}
                  onRegion={grid.setRegion}
                />
                {selectionAction?.({ selected: selection.selected, models: stats.data.models, clear: selection.clear })}
                <QuotaGrid
                  rows={rows}
                  models={stats.data.models}
                  selection={selectionAction ? selection.grid : undefined}
                  sort={grid.sort}
                  onSort={grid.sortBy}
                />
                {rows.length === 0 && (
                  <p className="muted">{stats.data.next ? t('dashboardSort.emptyPage') : t('dashboardSort.noMatch')}</p>
                )}
                <CursorPagination pager={pager} next={stats.data.next} />
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
