import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Notice, PageHeader } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { fieldMessage, type FieldErrors } from '@/lib/form-validation';
import { useChangePassword } from '../api/change-password';

const FIELDS = ['current_password', 'new_password'];

/**
 * Changing one's own password (current one required). `forced`: an admin required a new password — the page is all
 * the app shows until it is set (app/guards.tsx), and says why.
 */
export default function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [focusNonce, setFocusNonce] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const done = useRef<HTMLDivElement>(null);

  // After a refused submit the first marked field takes the focus; after success, the confirmation does.
  useEffect(() => {
    if (focusNonce === 0) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? done.current)?.focus();
  }, [focusNonce]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!current) errors.current_password = t('basics.password.required');
    if (next.length < 8) errors.new_password = t('basics.password.tooShort');
    else if (next === current) errors.new_password = t('basics.password.sameAsCurrent');
    if (confirm !== next) errors.confirm = t('basics.password.mismatch');
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) {
      change.reset();
      setFocusNonce((n) => n + 1);
      return;
    }
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setConfirm('');
        },
        onSettled: () => setFocusNonce((n) => n + 1),
      },
    );
  }

  const err = change.error;
  // The server's 422 for a wrong current password in the user's language (its text stays as the detail).
  const serverField = (name: string): string | null => {
    const message = fieldMessage({}, err, name);
    if (!message) return null;
    if (name === 'current_password') return t('basics.password.wrongCurrent');
    return message;
  };
  const fieldErr = (name: string) => clientErrors[name] ?? serverField(name);
  const fieldNamed = isApiError(err) && err.field !== undefined && FIELDS.includes(err.field);

  const inputs = [
    {
      name: 'current_password',
      label: t('basics.password.current'),
      value: current,
      set: setCurrent,
      ac: 'current-password',
    },
    {
      name: 'new_password',
      label: t('basics.password.next'),
      value: next,
      set: setNext,
      ac: 'new-password',
      hint: t('basics.password.nextHint'),
    },
    { name: 'confirm', label: t('basics.password.confirm'), value: confirm, set: setConfirm, ac: 'new-password' },
  ];

  return (
    <>
      <PageHeader title={forced ? t('basics.password.forcedTitle') : t('basics.password.title')}>
        <p className="muted">{forced ? t('basics.password.forcedIntro') : t('basics.password.intro')}</p>
      </PageHeader>
      <form className="form card" onSubmit={onSubmit} noValidate ref={form} aria-label={t('basics.password.title')}>
        {err && !fieldNamed && <ErrorMessage error={err} />}
        {change.isSuccess && (
          <div ref={done} tabIndex={-1}>
            <Notice tone="success">{t('basics.password.done')}</Notice>
          </div>
        )}
        {inputs.map((input) => (
          <Field key={input.name} label={input.label} hint={input.hint} error={fieldErr(input.name)}>
            {(p) => (
              <input
                {...p}
                className="input"
                type="password"
                name={input.name}
                autoComplete={input.ac}
                value={input.value}
                onChange={(e) => input.set(e.target.value)}
              />
            )}
          </Field>
        ))}
        <div className="form-actions">
          <button type="submit" className="btn btn--primary" disabled={change.isPending}>
            {change.isPending ? t('basics.password.saving') : t('basics.password.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
