import { useTranslation } from 'react-i18next';
import { Field } from '@/components/ui';
import type { IncreaseStatus } from '@/lib/api/contract';
import { STATUSES } from './status-badge';

/** The list's filters: open only (the default) or every request, and one AWS status. */
export interface IncreaseFilter {
  open: boolean;
  status: IncreaseStatus | '';
}

/** The open / status selects of an increase request list. */
export function IncreaseFilters({ value, onChange }: { value: IncreaseFilter; onChange: (f: IncreaseFilter) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('increases.filter.openLabel')}>
        {(p) => (
          <select
            {...p}
            className="input"
            value={value.open ? 'open' : 'all'}
            onChange={(e) => onChange({ ...value, open: e.target.value === 'open' })}
          >
            <option value="open">{t('increases.filter.open')}</option>
            <option value="all">{t('increases.filter.all')}</option>
          </select>
        )}
      </Field>
      <Field label={t('increases.filter.statusLabel')}>
        {(p) => (
          <select
            {...p}
            className="input"
            value={value.status}
            onChange={(e) => onChange({ ...value, status: e.target.value as IncreaseFilter['status'] })}
          >
            <option value="">{t('increases.filter.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`increases.status.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

/** The list query of a filter: `open` is sent only when it narrows (true), a status only when chosen. */
export function filterQuery(f: IncreaseFilter): { open?: boolean; status?: IncreaseStatus } {
  return { open: f.open ? true : undefined, status: f.status || undefined };
}
