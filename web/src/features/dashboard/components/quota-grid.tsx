import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, DataTable, StateBadge, ThrottleMarker, UsageBar } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { DashboardModel } from '@/lib/api/contract';
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
      <div>
        <span className="grid-cell__dim">{t('quota.dim.tpm')}</span>{' '}
        <span title={f.full(m.tpm?.value)}>{f.compact(m.tpm?.value)}</span>
        {' / '}
        <span className="grid-cell__dim">{t('quota.dim.rpm')}</span>{' '}
        <span title={f.full(m.rpm?.value)}>{f.compact(m.rpm?.value)}</span>
      </div>
      {oneM && (
        <div>
          <span className="grid-cell__dim">{t('quota.oneM')}</span>{' '}
          <span title={f.full(m.tpm_1m?.value)}>{f.compact(m.tpm_1m?.value)}</span>
          {' / '}
          <span title={f.full(m.rpm_1m?.value)}>{f.compact(m.rpm_1m?.value)}</span>
        </div>
      )}
      <div className="grid-cell__meta">
        {status !== 'ok' && <StateBadge state={status} />}
        {(read || status !== 'never') && (
          <span className="muted small" title={f.dateTime(read)}>
            {read ? t('quota.readAgo', { when: f.relative(read) }) : t('quota.neverRead')}
          </span>
        )}
        {tried && (
          <span className="muted small" title={f.dateTime(tried)}>
            {' · '}
            {t('quota.attemptedAgo', { when: f.relative(tried) })}
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
 * Account-regions × dashboard models: TPM / RPM (and 1M) of one page of rows, with state and when read. With
 * `selection`, a checkbox in each row's header cell (and "all on this page" in the first column's header).
 */
export function QuotaGrid({
  rows,
  models,
  selection,
}: {
  rows: GridRow[];
  models: DashboardModel[];
  selection?: GridSelection;
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
  return (
    <DataTable
      caption={t('dashboard.gridTitle')}
      columns={[
        selectAll ? (
          <>
            {selectAll} {t('dashboard.accountRegion')}
          </>
        ) : (
          t('dashboard.accountRegion')
        ),
        ...models.map((m) => m.display_name),
      ]}
      className="table--grid"
    >
      {rows.map((r) => (
        <tr key={`${r.account_id}/${r.region}`}>
          <th scope="row">
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
            <div className="muted small">
              {r.account_id} · {r.region}
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
    </DataTable>
  );
}
