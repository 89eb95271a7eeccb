import { lazy, Suspense, useRef } from 'react';
import { useQueryClient, useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { Loading } from '@/components/ui';
import { logout } from '@/features/auth/api/logout';
import { meQueryKey } from '@/features/auth/api/get-me';
import { LanguageSwitch } from '@/components/language-switch';
import { useSession } from '@/lib/session';
import { useFocusAfterNavigation } from './use-focus-after-navigation';

// Its own chunk: the badge's query brings the alerts API and zod, which the first screen does not wait for.
const AlertsNavBadge = lazy(() =>
  import('@/features/alerts/components/alerts-nav-badge').then((m) => ({ default: m.AlertsNavBadge })),
);

/** The page frame: skip link, header with navigation, language switch and the user, then the routed page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const main = useRef<HTMLElement>(null);
  useFocusAfterNavigation(main);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const out = useMutation({
    mutationFn: logout,
    onSettled: () => {
      qc.setQueryData(meQueryKey, null);
      void navigate('/login', { replace: true });
      // Nothing of the last user's data stays in memory.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
    },
  });

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="app-header__brand">{t('app.name')}</div>
        <nav className="app-nav" aria-label={t('nav.main')}>
          <NavLink to="/" end>
            {t('nav.dashboard')}
          </NavLink>
          <NavLink to="/accounts">{t('nav.accounts')}</NavLink>
          <NavLink to="/alerts">
            {t('alerts.nav')}{' '}
            <Suspense fallback={null}>
              <AlertsNavBadge enabled={isAdmin} />
            </Suspense>
          </NavLink>
          {isAdmin && <NavLink to="/organizations">{t('organizations.nav')}</NavLink>}
          {isAdmin && <NavLink to="/increases">{t('increases.nav')}</NavLink>}
          {isAdmin && <NavLink to="/settings">{t('nav.settings')}</NavLink>}
        </nav>
        <div className="app-header__tools">
          <LanguageSwitch />
          <span className="app-header__user" title={user.email}>
            {user.email}
            <span className="muted"> · {t(`roles.${user.role}`)}</span>
          </span>
          <NavLink to="/account/password" className="btn btn--small">
            {t('basics.password.link')}
          </NavLink>
          <button type="button" className="btn btn--small" onClick={() => out.mutate()} disabled={out.isPending}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1} ref={main}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
