import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DataTable, ErrorMessage, Field, Loading, PageHeader } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import { zIncreaseStatus } from '@/lib/api/contract';
import { useQuotaIncrease } from '../api/get-quota-increase';
import { useQuotaIncreases } from '../api/list-quota-increases';
import { filterQuery, IncreaseFilters, type IncreaseFilter } from './increase-filters';
import { IncreasesTable } from './increases-table';
import { IncreaseStatusBadge } from './status-badge';

/** One request named by `?request=` (a bulk job's item links here). */
function OneRequest({ requestId }: { requestId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const r = useQuotaIncrease(requestId);
  if (r.isPending) return <Loading />;
  if (r.error) return <ErrorMessage error={r.error} />;
  const x = r.data;
  return (
    <DataTable
      caption={x.request_id}
      columns={[
        t('increases.col.account'),
        t('increases.col.quota'),
        t('increases.col.desired'),
        t('increases.col.status'),
        t('increases.col.caseId'),
        t('increases.col.requested'),
      ]}
    >
      <tr data-testid={`increase-${x.request_id}`}>
        <td className="mono">{x.account_id}</td>
        <td>
          {x.model_id ?? x.quota_code} · {x.region}
        </td>
        <td>{f.full(x.desired_value)}</td>
        <td>
          <IncreaseStatusBadge status={x.status} />
        </td>
        <td className="mono">{x.case_id ?? '—'}</td>
        <td>{f.dateTime(x.aws_created_at ?? x.created_at)}</td>
      </tr>
    </DataTable>
  );
}

/**
 * The fleet's increase requests (admins, who may check any of them): open only by default; the status and account
 * filters live in the URL.
 */
export default function IncreasesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = zIncreaseStatus.safeParse(params.get('status'));
  const filter: IncreaseFilter = { open: params.get('open') !== 'false', status: status.success ? status.data : '' };
  const accountId = params.get('account_id') ?? '';
  const requestId = params.get('request') ?? undefined;
  const [accountText, setAccountText] = useState(accountId);
  const list = useQuotaIncreases({ ...filterQuery(filter), account_id: accountId || undefined });

  function set(next: Record<string, string | undefined>) {
    setParams((p) => {
      const out = new URLSearchParams(p);
      for (const [k, v] of Object.entries(next)) {
        if (v) out.set(k, v);
        else out.delete(k);
      }
      return out;
    });
  }

  return (
    <>
      <PageHeader title={t('increases.title')}>
        <p className="muted">{t('increases.intro')}</p>
      </PageHeader>
      {requestId && <OneRequest requestId={requestId} />}
      <form
        className="filters"
        aria-label={t('increases.title')}
        onSubmit={(e) => {
          e.preventDefault();
          set({ account_id: accountText.trim() || undefined });
        }}
      >
        <IncreaseFilters
          value={filter}
          onChange={(f) => set({ open: f.open ? undefined : 'false', status: f.status || undefined })}
        />
        <Field label={t('increases.filter.account')}>
          {(p) => (
            <input
              {...p}
              className="input mono"
              inputMode="numeric"
              placeholder={t('increases.filter.anyAccount')}
              value={accountText}
              onChange={(e) => setAccountText(e.target.value)}
              onBlur={() => set({ account_id: accountText.trim() || undefined })}
            />
          )}
        </Field>
      </form>
      <IncreasesTable list={list} showAccount canAct />
    </>
  );
}
