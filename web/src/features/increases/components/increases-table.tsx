import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, DataTable, ErrorMessage, ExactTime, Loading, Notice } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { QuotaIncreasePage, QuotaIncreaseRequest } from '@/lib/api/contract';
import { useCheckQuotaIncrease } from '../api/check-quota-increase';
import { isForbidden } from '../api/may-request';
import { IncreaseStatusBadge } from './status-badge';

function CheckButton({ request }: { request: QuotaIncreaseRequest }) {
  const { t } = useTranslation();
  const check = useCheckQuotaIncrease();
  return (
    <>
      <button
        type="button"
        className="btn btn--small"
        disabled={check.isPending}
        aria-label={`${t('increases.checkNow')} ${request.quota_code} ${request.account_id} ${request.region}`}
        onClick={() => check.mutate(request.request_id)}
      >
        {check.isPending ? t('increases.checking') : t('increases.checkNow')}
      </button>
      {isForbidden(check.error) ? (
        <span className="small text-error">{t('increases.forbidden')}</span>
      ) : (
        <ErrorMessage error={check.error} />
      )}
    </>
  );
}

function Row({ r, showAccount, canAct }: { r: QuotaIncreaseRequest; showAccount: boolean; canAct: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const requested = r.aws_created_at ?? r.created_at;
  return (
    <tr data-testid={`increase-${r.request_id}`}>
      {showAccount && (
        <td className="mono">
          <Link to={`/accounts/${r.account_id}?region=${r.region}`}>{r.account_id}</Link>
        </td>
      )}
      <td>
        <div>
          {r.model_id ?? r.quota_name ?? r.quota_code}
          {r.dimension && ` · ${t(`quota.dim.${r.dimension}`)}`} · {r.region}
        </div>
        <div className="small muted mono">{r.quota_code}</div>
      </td>
      <td title={f.full(r.desired_value)}>
        {r.value_at_request !== null && <span className="muted">{f.full(r.value_at_request)} → </span>}
        {f.full(r.desired_value)}
      </td>
      <td>
        <IncreaseStatusBadge status={r.status} />
        {r.check_error && <div className="small text-error">{t('increases.checkError', { error: r.check_error })}</div>}
      </td>
      <td className="mono small">{r.case_id ?? '—'}</td>
      <td className="small">{f.dateTime(requested)}</td>
      <td className="small">{r.aws_updated_at ? f.dateTime(r.aws_updated_at) : '—'}</td>
      <td className="small">
        <ExactTime iso={r.checked_at} />
      </td>
      <td>
        <Badge tone={r.source === 'platform' ? 'info' : 'muted'}>{t(`increases.source.${r.source}`)}</Badge>
      </td>
      <td className="small">{r.requested_by ?? '—'}</td>
      <td className="small">{r.reason ?? ''}</td>
      <td className="button-row">{canAct && r.open && <CheckButton request={r} />}</td>
    </tr>
  );
}

/** A list query of increase requests as "Load more" pages (fleet or one account). */
export type IncreasesList = UseInfiniteQueryResult<InfiniteData<QuotaIncreasePage>>;

/**
 * The loaded pages of increase requests, newest first, with "Load more" (the next cursor page, never an offset) and
 * "Check now" on open requests when `canAct`. `showAccount` adds the account column (the fleet list).
 */
export function IncreasesTable({
  list,
  showAccount,
  canAct,
}: {
  list: IncreasesList;
  showAccount: boolean;
  canAct: boolean;
}) {
  const { t } = useTranslation();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns = [
    ...(showAccount ? [t('increases.col.account')] : []),
    t('increases.col.quota'),
    t('increases.col.desired'),
    t('increases.col.status'),
    t('increases.col.caseId'),
    t('increases.col.requested'),
    t('increases.col.updated'),
    t('increases.col.checked'),
    t('increases.col.source'),
    t('increases.col.requester'),
    t('increases.col.reason'),
  ];
  if (list.isPending) return <Loading />;
  if (isForbidden(list.error)) return <Notice tone="warn">{t('increases.forbiddenRead')}</Notice>;
  if (list.error) return <ErrorMessage error={list.error} />;
  if (items.length === 0) return <p className="muted">{t('increases.none')}</p>;
  return (
    <>
      <DataTable caption={t('increases.title')} columns={columns} actions>
        {items.map((r) => (
          <Row key={r.request_id} r={r} showAccount={showAccount} canAct={canAct} />
        ))}
      </DataTable>
      {list.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {t('increases.loadMore')}
        </button>
      )}
    </>
  );
}
