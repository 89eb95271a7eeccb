import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage, Field, Loading, Notice } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { LanguageSwitch } from '@/components/language-switch';
import { login } from '../api/login';
import { meQueryKey, useMe } from '../api/get-me';
import { landingFor } from '../landing';

/** What the login page says itself about a failed login (null: show the error as any other). */
function loginErrorText(t: TFunction, error: unknown, retryIn: number): string | null {
  if (!isApiError(error)) return null;
  switch (error.status) {
    case 401:
      return t('auth.badCredentials');
    case 429:
      return retryIn > 0 ? t('auth.throttled', { seconds: retryIn }) : t('auth.throttledOver');
    case 422:
      return t('auth.invalidInput');
    default:
      return null;
  }
}

export default function LoginPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [retryIn, setRetryIn] = useState(0);

  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (res) => {
      qc.setQueryData(meQueryKey, res.user);
      void navigate(landingFor(params.get('next'), res.user.role), { replace: true });
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 429) setRetryIn(e.retryAfterSeconds ?? 60);
    },
  });

  // Count the throttling wait down once a second, so the message stays true.
  useEffect(() => {
    if (retryIn <= 0) return;
    const timer = window.setTimeout(() => setRetryIn((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [retryIn]);

  if (me.isPending) return <Loading />;
  if (me.data) return <Navigate to={landingFor(params.get('next'), me.data.role)} replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (retryIn > 0) return;
    mutation.mutate({ email: email.trim(), password });
  }

  const error = mutation.error;
  const loginText = loginErrorText(t, error, retryIn);
  const inputs = [
    { name: 'email', label: t('auth.email'), autoComplete: 'username', value: email, onChange: setEmail },
    {
      name: 'password',
      label: t('auth.password'),
      autoComplete: 'current-password',
      value: password,
      onChange: setPassword,
    },
  ];

  // The whole page is its main landmark (the language switch too: all content sits in a landmark).
  return (
    <main className="login">
      <div className="login__lang">
        <LanguageSwitch />
      </div>
      <form className="login__card card" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
        <p className="login__brand">{t('app.name')}</p>
        <h1 id="login-title">{t('auth.title')}</h1>
        <p className="muted">{t('auth.subtitle')}</p>
        {loginText ? <Notice tone="error">{loginText}</Notice> : <ErrorMessage error={error} />}
        {inputs.map((input) => (
          <Field key={input.name} label={input.label}>
            {(p) => (
              <input
                {...p}
                className="input"
                type={input.name}
                name={input.name}
                autoComplete={input.autoComplete}
                required
                value={input.value}
                onChange={(e) => input.onChange(e.target.value)}
              />
            )}
          </Field>
        ))}
        <button
          type="submit"
          className="btn btn--primary btn--block"
          disabled={mutation.isPending || retryIn > 0 || !email || !password}
        >
          {mutation.isPending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </main>
  );
}
