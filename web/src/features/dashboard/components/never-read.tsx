import { useTranslation } from 'react-i18next';
import { useRefreshRow } from '../api/refresh-row';

/**
 * Why a dashboard cell is empty when no value of it was ever read (a model just added or enabled, an account just
 * registered): "never read — refresh now", the action refreshing that (account, region) from AWS (issue 16 §3).
 */
export function NeverRead({
  accountId,
  accountName,
  region,
}: {
  accountId: string;
  accountName: string;
  region: string;
}) {
  const { t } = useTranslation();
  const refresh = useRefreshRow(accountId, region);
  return (
    <div className="small" data-testid="never-read">
      <span className="muted">{t('configData.neverRead')}</span>
      {' — '}
      <button
        type="button"
        className="btn btn--small btn--ghost"
        disabled={refresh.isPending}
        aria-label={t('configData.refreshNowLabel', { account: accountName, region })}
        onClick={() => refresh.mutate()}
      >
        {refresh.isPending ? t('configData.refreshingNow') : t('configData.refreshNow')}
      </button>
    </div>
  );
}
