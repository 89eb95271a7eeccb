import { lazy, Suspense } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useMe, meQueryKey } from '@/features/auth/api/get-me';
import { logout } from '@/features/auth/api/logout';
import { ErrorMessage, ForbiddenPage, Loading } from '@/components/ui';
import { LanguageSwitch } from '@/components/language-switch';
import { SessionProvider } from '@/lib/session';

const ChangePasswordPage = lazy(() => import('@/features/auth/components/change-password-page'));

/**
 * An admin forced a password reset: until the user sets a new one, this is all the app shows (the server answers
 * nothing else to the session), with the language switch and a way out. The address is kept, so the page the user
 * opened shows once the password is set.
 */
function ForcedPasswordChange() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const out = useMutation({
    mutationFn: logout,
    onSettled: () => {
      qc.setQueryData(meQueryKey, null);
      void navigate('/login', { replace: true });
    },
  });
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header__brand">{t('app.name')}</div>
        <div className="app-header__tools">
          <LanguageSwitch />
          <button type="button" className="btn btn--small" onClick={() => out.mutate()} disabled={out.isPending}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <ChangePasswordPage forced />
        </Suspense>
      </main>
    </div>
  );
}

/**
 * Renders its routes for a logged-in user, who is the session (useSession) below it; sends everyone else to the
 * login page, remembering where they were.
 */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorMessage error={me.error} />;
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <SessionProvider user={me.data}>
      {me.data.must_change_password ? <ForcedPasswordChange /> : <Outlet />}
    </SessionProvider>
  );
}

/** Renders its routes for admins only; a user sees the forbidden page. */
export function RequireAdmin() {
  const me = useMe();
  if (me.data?.role !== 'admin') return <ForbiddenPage />;
  return <Outlet />;
}
