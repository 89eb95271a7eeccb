import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '@/components/ui';

/** On / off, as text (not colour only), for an alert rule or channel. */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  return enabled ? (
    <Badge tone="ok">{t('alerts.rules.on')}</Badge>
  ) : (
    <Badge tone="muted">{t('alerts.rules.off')}</Badge>
  );
}

/**
 * "Created X" once something is created, then a card titled `title` holding the create form. `children` renders
 * the form from the submit row (`submitLabel`, "Saving…" while `busy`) and `onCreated`, which records the name.
 */
export function CreateCard({
  title,
  createdText,
  submitLabel,
  busy,
  children,
}: {
  title: ReactNode;
  createdText: (name: string) => ReactNode;
  submitLabel: ReactNode;
  busy: boolean;
  children: (form: { actions: ReactNode; onCreated: (name: string) => void }) => ReactNode;
}) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<string | null>(null);
  const actions = (
    <div className="form-actions">
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {busy ? t('common.saving') : submitLabel}
      </button>
    </div>
  );
  return (
    <>
      {created && (
        <p className="alert alert--success" role="status">
          {createdText(created)}
        </p>
      )}
      <div className="card">
        <h3>{title}</h3>
        {children({ actions, onCreated: setCreated })}
      </div>
    </>
  );
}
