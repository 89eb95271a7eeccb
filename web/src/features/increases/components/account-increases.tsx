import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Notice } from '@/components/ui';
import { isForbidden } from '../api/may-request';
import { useAccountMayRequest, useAccountQuotaIncreases } from '../api/list-account-quota-increases';
import { useSyncAccountQuotaIncreases } from '../api/sync-account-quota-increases';
import { filterQuery, IncreaseFilters, type IncreaseFilter } from './increase-filters';
import { IncreasesTable } from './increases-table';

function SyncButton({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const sync = useSyncAccountQuotaIncreases(accountId);
  return (
    <div>
      <button type="button" className="btn" disabled={sync.isPending} onClick={() => sync.mutate()}>
        {sync.isPending ? t('increases.syncing') : t('increases.sync')}
      </button>
      {sync.data && (
        <Notice tone={sync.data.failed.length > 0 ? 'warn' : 'success'}>
          {t('increases.syncDone', { found: sync.data.found, updated: sync.data.updated })}
          {sync.data.failed.length > 0 && (
            <>
              {' '}
              {t('increases.syncFailed', { count: sync.data.failed.length })}
              <ul>
                {sync.data.failed.map((x) => (
                  <li key={`${x.region}/${x.quota_code}`}>
                    {x.region} · <span className="mono">{x.quota_code}</span>: {x.error}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Notice>
      )}
      {isForbidden(sync.error) ? (
        <Notice tone="error">{t('increases.forbidden')}</Notice>
      ) : (
        <ErrorMessage error={sync.error} />
      )}
    </div>
  );
}

/** The account page's increase requests (every region), with "Sync from AWS" for those made outside the platform. */
export function AccountIncreases({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<IncreaseFilter>({ open: false, status: '' });
  const list = useAccountQuotaIncreases(accountId, filterQuery(filter));
  // The list says whether the caller may act (users: only with --users-may-request); admins always may.
  const may = useAccountMayRequest(accountId) || list.data?.pages[0]?.may_request === true;
  return (
    <section id="increases" aria-labelledby="increases-title" className="section">
      <div className="section__head">
        <h2 id="increases-title">{t('increases.accountTitle')}</h2>
        {may && <SyncButton accountId={accountId} />}
      </div>
      <div className="filters">
        <IncreaseFilters value={filter} onChange={setFilter} />
      </div>
      <IncreasesTable list={list} showAccount={false} canAct={may} />
    </section>
  );
}
