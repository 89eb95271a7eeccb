import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorMessage, Notice } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useStartFleetRefresh } from '../api/start-fleet-refresh';

/**
 * After a save that made models start being read (added or enabled, or given a new code): "Refresh <model> across
 * the fleet now" starts a fleet job limited to those models' codes (issue 16 §3); the other values keep theirs.
 */
export function FleetRefreshOffer({ models }: { models: { model_id: string; display_name: string }[] }) {
  const { t } = useTranslation();
  const start = useStartFleetRefresh();
  if (models.length === 0) return null;
  const names = models.map((m) => m.display_name).join(', ');
  const busy = isApiError(start.error) && start.error.status === 409;
  return (
    <div className="alert alert--info" role="status" data-testid="fleet-refresh-offer">
      <p>{t('configData.offerTitle', { count: models.length, models: names })}</p>
      {start.data ? (
        <p>
          {t('configData.offerStarted', { total: start.data.total })}{' '}
          <Link to={`/settings/fleet-refresh?job=${encodeURIComponent(start.data.job_id)}`}>
            {t('configData.offerFollow')}
          </Link>
        </p>
      ) : (
        <button
          type="button"
          className="btn btn--primary btn--small"
          disabled={start.isPending}
          onClick={() => start.mutate({ modelIds: models.map((m) => m.model_id) })}
        >
          {t('configData.offerRefresh', { count: models.length, models: names })}
        </button>
      )}
      {busy && <Notice tone="warn">{t('configData.offerBusy')}</Notice>}
      {start.error && !busy && <ErrorMessage error={start.error} />}
    </div>
  );
}
