import { useTranslation } from 'react-i18next';
import { useFiringAlertCount } from '../api/count-firing-alerts';

/** The number of firing alerts next to the Alerts link (admins: one GET of at most 100); nothing when none. */
export function AlertsNavBadge({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const firing = useFiringAlertCount(enabled);
  if (!enabled || !firing.data || firing.data.count === 0) return null;
  const shown = firing.data.more ? `${firing.data.count}+` : String(firing.data.count);
  return (
    <span className="badge badge--error" aria-label={t('alerts.firingCount', { count: firing.data.count, shown })}>
      {shown}
    </span>
  );
}
