import { useTranslation } from 'react-i18next';
import { Badge } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { DashboardModel, DimensionTotals } from '@/lib/api/contract';

function TotalRow({ label, totals }: { label: string; totals: DimensionTotals | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!totals) return null;
  return (
    <div className="totals__row">
      <dt>{label}</dt>
      <dd>
        <span className="totals__value" title={f.full(totals.total)}>
          {f.compact(totals.total)}
        </span>
        <span className="totals__counts">
          <span className={totals.missing > 0 ? 'text-muted-strong' : 'muted'}>
            {t('dashboard.missing', { count: totals.missing })}
          </span>
          {' · '}
          <span className={totals.stale > 0 ? 'text-warn' : 'muted'}>
            {t('dashboard.stale', { count: totals.stale })}
          </span>
        </span>
      </dd>
    </div>
  );
}

/** Fleet totals of one dashboard model: TPM and RPM (and the 1M-context pair), with missing and stale counts. */
export function FleetTotals({ model }: { model: DashboardModel }) {
  const { t } = useTranslation();
  return (
    <>
      <h3 className="card__title">
        {model.display_name} {model.has_1m_context && <Badge tone="info">{t('quota.oneM')}</Badge>}
      </h3>
      <p className="muted small">{model.model_id}</p>
      <dl className="totals">
        <TotalRow label={t('quota.dim.tpm')} totals={model.tpm} />
        <TotalRow label={t('quota.dim.rpm')} totals={model.rpm} />
        {model.has_1m_context && <TotalRow label={t('quota.dim.tpm_1m')} totals={model.tpm_1m} />}
        {model.has_1m_context && <TotalRow label={t('quota.dim.rpm_1m')} totals={model.rpm_1m} />}
      </dl>
    </>
  );
}
