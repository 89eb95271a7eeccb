import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Field, FormActions, FormError } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useMuteAlert } from '../api/mute-alert';

/** "2026-12-06T14:30" (a datetime-local value, local time) from a time in ms. */
function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Mutes one alert until a local date and time the user picks (the server checks: future, at most 30 days). */
export function MuteUntilDialog({ alertId, label, onClose }: { alertId: string; label: string; onClose: () => void }) {
  const { t } = useTranslation();
  const mute = useMuteAlert();
  const [now] = useState(() => Date.now());
  const [value, setValue] = useState(() => localInputValue(now + 3 * 24 * 3600 * 1000));
  const parsed = Date.parse(value);
  const invalid = Number.isNaN(parsed) || parsed <= now;
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (invalid) return;
    mute.mutate({ alertId, until: new Date(parsed).toISOString() }, { onSuccess: onClose });
  }
  const err = mute.error;
  return (
    <Dialog title={t('alerts.muteTitle', { name: label })} onClose={onClose}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError error={err} fields={['until']} />
        <Field
          label={t('alerts.muteUntilLabel')}
          hint={t('alerts.muteUntilHint')}
          error={fieldError(err, 'until') ?? (invalid ? t('alerts.muteUntilInvalid') : null)}
        >
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              className="input"
              value={value}
              min={localInputValue(now)}
              max={localInputValue(now + 30 * 24 * 3600 * 1000)}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        <FormActions onCancel={onClose} busy={mute.isPending} submitLabel={t('alerts.mute')} />
      </form>
    </Dialog>
  );
}
