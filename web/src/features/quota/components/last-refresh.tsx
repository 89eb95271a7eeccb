import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { LastRefresh } from '@/lib/api/contract';

/**
 * What the last quota refresh of an account and region did, when it failed in whole or in part (issue 16 §1): "Last
 * refresh failed: <reason> (at <time>)" with a fix hint for the reason's kind, and a note that the values shown are
 * the last good ones, marked stale. Nothing when the last refresh read everything or none was ever attempted.
 */
export function LastRefreshStatus({ last }: { last: LastRefresh }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!last || last.state === 'ok') return null;
  const args = { reason: last.reason ?? '', when: f.dateTime(last.at), count: last.failed };
  return (
    <div
      className={`alert ${last.state === 'failed' ? 'alert--error' : 'alert--warn'}`}
      role="status"
      data-testid="last-refresh"
      data-state={last.state}
    >
      <strong>{t(last.state === 'failed' ? 'refreshStatus.failed' : 'refreshStatus.partial', args)}</strong>
      <p className="small">{t(`refreshStatus.hint.${last.reason_kind ?? 'other'}`)}</p>
      <p className="small muted">{t('refreshStatus.kept')}</p>
    </div>
  );
}
