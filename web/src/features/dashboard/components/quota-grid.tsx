import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, StateBadge, ThrottleMarker, UsageBar } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { DashboardModel } from '@/lib/api/contract';
import { useSortLabel } from './grid-controls';
import type { GridSort } from './grid-query';
import { LastRefreshBadge } from './last-refresh-badge';
import { NeverRead } from './never-read';
import {
  failedReason,
  shorten,
  latestAttempt,
  latestRead,
  worstState,
  type GridRow,
  type RowHeadroom,
  type RowModelValues,
} from './types';

type Dim = 'tpm' | 'rpm' | 'tpm_1m' | 'rpm_1m';
const DIMS: Dim[] = ['tpm', 'rpm', 'tpm_1m', 'rpm_1m'];

/**
 * The 24-hour usage of one model in a row: TPM and RPM bars with throttles, or "no usage data" when the row's last
 * good poll has no headroom for the model (absent is unknown, never 0 % used).
 */
function UsageCell({ h }: { h: RowHeadroom | undefined }) {
  const { t } = useTranslation();
  if (!h) return <span className="muted small">{t('usage.noData')}</span>;
  return (
    <div className="grid-cell__usage">
      <UsageBar label={t('quota.dim.tpm')} headroom={h.headroom_tpm} />
      <UsageBar label={t('quota.dim.rpm')} headroom={h.headroom_rpm} />
      <ThrottleMarker throttles={h.throttles} hideZero />
    </div>
  );
}

/** One value of a cell with its dimension: "TPM 2,000,000", "1M ctx RPM —" (missing is "—", never 0). */
function ValueLine({ dim, value }: { dim: Dim; value: number | null | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="grid-cell__value" data-dim={dim}>
      <span className="grid-cell__dim">{t(`dashboardSort.dim.${dim}`)}</span> <span>{f.full(value)}</span>
    </div>
  );
}

function Cell({
  m,
  oneM,
  h,
  row,
}: {
  m: RowModelValues | undefined;
  oneM: boolean;
  h: RowHeadroom | undefined;
  row: GridRow;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!m)
    return (
      <span className="muted" title={t('dashboard.notEnabled')}>
        —
      </span>
    );
  const read = latestRead(m);
  const status = worstState(m);
  const failed = status === 'stale' || status === 'error' ? failedReason(m) : null;
  const tried = failed ? latestAttempt(m) : null;
  return (
    <div className="grid-cell">
      {/* Each value says its dimension (never "1M 1M / 400"), in full digits. */}
      <div>
        <ValueLine dim="tpm" value={m.tpm?.value} />
        <ValueLine dim="rpm" value={m.rpm?.value} />
      </div>
      {oneM && (
        <div>
          <ValueLine dim="tpm_1m" value={m.tpm_1m?.value} />
          <ValueLine dim="rpm_1m" value={m.rpm_1m?.value} />
        </div>
      )}
      <div className="grid-cell__meta">
        {status !== 'ok' && <StateBadge state={status} />}
        {(read || status !== 'never') && (
          // Not a button per cell (dozens of tab stops): the exact time is in the text screen readers hear, in the
          // hover title, and one click away on the account page, whose times are ExactTime buttons.
          <span className="muted small" title={f.dateTime(read)}>
            {read ? t('quota.readAgo', { when: f.relative(read) }) : t('quota.neverRead')}
            {read && <span className="sr-only"> ({f.dateTime(read)})</span>}
          </span>
        )}
        {tried && (
          <span className="muted small" title={f.dateTime(tried)}>
            {' · '}
            {t('quota.attemptedAgo', { when: f.relative(tried) })}
            <span className="sr-only"> ({f.dateTime(tried)})</span>
          </span>
        )}
      </div>
      {status === 'never' && !read && (
        <NeverRead accountId={row.account_id} accountName={row.account_name} region={row.region} />
      )}
      {failed && (
        <div className="grid-cell__reason small text-error" title={failed}>
          {shorten(failed)}
        </div>
      )}
      <UsageCell h={h} />
    </div>
  );
}

/** Row selection of the grid (shown when the page offers an action on selected rows). */
export interface GridSelection {
  isSelected: (row: GridRow) => boolean;
  toggle: (row: GridRow) => void;
  /** Selects every row of the page, or clears them when all are selected. */
  togglePage: () => void;
  allOnPage: boolean;
  /** The accessible name of a row's checkbox. */
  rowLabel: (row: GridRow) => string;
  pageLabel: string;
}

/**
 * Account-regions × dashboard models: TPM / RPM (and 1M-context) values of one page of rows, each labelled with its
 * dimension, with state and when read. The column headers sort: "Account · region" by name, and one button per
 * model × dimension (aria-pressed; the sorted column's th has aria-sort). With `selection`, a checkbox in each
 * row's header cell (and "all on this page" in the first column's header).
 */
export function QuotaGrid({
  rows,
  models,
  selection,
  sort = { key: 'name', order: 'asc' },
  onSort = () => {},
}: {
  rows: GridRow[];
  models: DashboardModel[];
  selection?: GridSelection;
  /** The sort served; its header carries aria-sort. */
  sort?: GridSort;
  /** Asks for another sort (`name` or `<model_id>:<dimension>`); the current key again flips the direction. */
  onSort?: (key: string) => void;
}) {
  const { t } = useTranslation();
  const selectAll = selection && (
    <input
      type="checkbox"
      aria-label={selection.pageLabel}
      checked={selection.allOnPage}
      onChange={selection.togglePage}
    />
  );
  const label = useSortLabel(models);
  const ariaSort = (active: boolean) => (active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined);
  const button = (key: string, text: string) => {
    const active = sort.key === key;
    return (
      <button
        key={key}
        type="button"
        className="btn btn--small grid-sort"
        aria-pressed={active}
        // The visible text stays part of the name (axe label-content-name-mismatch).
        aria-label={t('dashboardSort.sortBy', { what: key === 'name' ? text : label(key) })}
        onClick={() => onSort(key)}
      >
        {text}
        {active && <span aria-hidden="true">{sort.order === 'asc' ? ' ▲' : ' ▼'}</span>}
      </button>
    );
  };
  return (
    <div className="table-wrap">
      <table className="table table--grid">
        <caption className="sr-only">{t('dashboard.gridTitle')}</caption>
        <thead>
          <tr>
            <th scope="col" aria-sort={ariaSort(sort.key === 'name')}>
              {selectAll} {button('name', t('dashboard.accountRegion'))}
            </th>
            {models.map((m) => (
              <th key={m.model_id} scope="col" aria-sort={ariaSort(sort.key.startsWith(`${m.model_id}:`))}>
                <div>{m.display_name}</div>
                <div className="grid-sort__dims">
                  {DIMS.filter((d) => m.has_1m_context || !d.endsWith('_1m')).map((d) =>
                    button(`${m.model_id}:${d}`, t(`dashboardSort.dim.${d}`)),
                  )}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.account_id}/${r.region}`}>
              <th scope="row" style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>
                {selection && (
                  <input
                    type="checkbox"
                    className="grid-select"
                    aria-label={selection.rowLabel(r)}
                    checked={selection.isSelected(r)}
                    onChange={() => selection.toggle(r)}
                  />
                )}{' '}
                <Link to={`/accounts/${r.account_id}?region=${r.region}`}>{r.account_name}</Link>
                <div className="small">
                  <strong>{r.region}</strong> <span className="muted">· {r.account_id}</span>
                </div>
                <LastRefreshBadge last={r.last_refresh} />
                {r.usage_state === 'stale' && <Badge tone="warn">{t('usage.staleBadge')}</Badge>}
                {r.usage_state === 'never' && <div className="muted small">{t('usage.never')}</div>}
              </th>
              {models.map((m) => (
                <td key={m.model_id}>
                  <Cell m={r.values[m.model_id]} oneM={m.has_1m_context} h={r.headroom[m.model_id]} row={r} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
