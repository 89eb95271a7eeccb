import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { Loading } from '@/components/ui';

const TABS = ['quota-config', 'users', 'teams', 'audit', 'fleet-refresh', 'alert-rules', 'alert-channels'] as const;

/** Settings (admins only): a tab per area. */
export default function SettingsLayout() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <nav className="tabs" aria-label={t('settings.title')}>
        {TABS.map((tab) => (
          <NavLink key={tab} to={`/settings/${tab}`} className="tabs__tab">
            {t(`settings.tabs.${tab}`)}
          </NavLink>
        ))}
      </nav>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
