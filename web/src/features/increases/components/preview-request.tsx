import { useTranslation } from 'react-i18next';
import type { IncreasePreviewItem } from '@/lib/api/contract';
import { problemText } from './status-badge';

/** Exactly what will be sent to AWS for one target (service code, quota code, value, region), or why nothing will. */
export function PreviewRequest({ item }: { item: IncreasePreviewItem }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-label={t('increases.previewTitle')} data-testid="increase-preview">
      <h3>{t('increases.previewTitle')}</h3>
      {item.will_send && item.request ? (
        <dl className="meta-row">
          <div>
            <dt>{t('increases.field.service')}</dt>
            <dd className="mono">{item.request.ServiceCode}</dd>
          </div>
          <div>
            <dt>{t('increases.field.quota')}</dt>
            <dd className="mono">{item.request.QuotaCode}</dd>
          </div>
          <div>
            <dt>{t('increases.field.value')}</dt>
            <dd className="mono">{item.request.DesiredValue}</dd>
          </div>
          <div>
            <dt>{t('increases.field.region')}</dt>
            <dd className="mono">{item.request.Region}</dd>
          </div>
        </dl>
      ) : (
        <p className="alert alert--warn" role="alert">
          <strong>{t('increases.wontSend')}:</strong> {item.problem ? problemText(t, item.problem) : ''}
        </p>
      )}
      {item.quota_name && <p className="small muted">{item.quota_name}</p>}
    </section>
  );
}
