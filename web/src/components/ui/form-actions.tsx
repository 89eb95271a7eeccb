import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { softDisabled } from './soft-disabled';

/** The Cancel and submit buttons at the foot of an edit form; the submit button says "Saving…" while busy. */
export function FormActions({
  onCancel,
  busy,
  submitLabel,
}: {
  onCancel: () => void;
  busy: boolean;
  submitLabel?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="button" className="btn" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="btn btn--primary" {...softDisabled(busy)}>
        {busy ? t('common.saving') : (submitLabel ?? t('common.save'))}
      </button>
    </div>
  );
}
