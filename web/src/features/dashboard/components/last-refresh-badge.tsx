import { useTranslation } from 'react-i18next';
import { Badge } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { LastRefresh } from '@/lib/api/contract';
import { shorten } from './types';

/** The dashboard row's badge for a last refresh that failed in whole or in part (nothing otherwise). */
export function LastRefreshBadge({ last }: { last: LastRefresh }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!last || last.state === 'ok') return null;
  const title = t('refreshStatus.rowTitle', { when: f.dateTime(last.at), reason: last.reason ?? '' });
  return (
    <div className="small" data-testid="row-last-refresh" data-state={last.state}>
      <Badge tone={last.state === 'failed' ? 'error' : 'warn'} title={title}>
        {t(last.state === 'failed' ? 'refreshStatus.badgeFailed' : 'refreshStatus.badgePartial')}
      </Badge>{' '}
      <span className="text-error" title={last.reason ?? undefined}>
        {shorten(last.reason ?? '')}
      </span>{' '}
      <span className="muted">({f.relative(last.at)})</span>
    </div>
  );
}
