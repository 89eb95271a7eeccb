import { lazy, useEffect } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { Navigate, type RouteObject } from 'react-router';
import { meQuery } from '@/features/auth/api/get-me';
import LoginPage from '@/features/auth/components/login-page';
import { AppLayout } from './layout';
import { RequireAdmin, RequireAuth } from './guards';
import { RouteError } from './routes/route-error';

// Every page but the login page is its own chunk: the first load carries only what the login page needs.
const loadDashboard = () => import('./routes/dashboard');
const DashboardPage = lazy(loadDashboard);

/**
 * When the address is the dashboard (the most visited page): starts fetching its code in parallel with the session
 * request and the texts instead of after them (main.tsx; a lazy page's code is otherwise asked for only when it
 * renders), and, once the session says someone is logged in, its first data. A logged-out visitor fetches the code
 * too (as the login page would once idle), never the data (no 401).
 */
export function preloadPage(location: Location, client: QueryClient): void {
  if (location.pathname !== '/') return;
  const search = new URLSearchParams(location.search);
  const page = loadDashboard();
  void Promise.all([page, client.fetchQuery(meQuery)])
    .then(([m, user]) => (user ? m.prefetch(client, search) : undefined))
    .catch(() => undefined);
}
const AccountsPage = lazy(() => import('@/features/accounts/components/accounts-page'));
const NewAccountPage = lazy(() => import('@/features/accounts/components/new-account-page'));
const AccountDetailPage = lazy(() => import('./routes/account-detail'));
const SettingsLayout = lazy(() => import('@/features/settings/components/settings-layout'));
const QuotaConfigPage = lazy(() => import('@/features/settings/components/quota-config-page'));
const UsersPage = lazy(() => import('@/features/settings/components/users-page'));
const TeamsPage = lazy(() => import('@/features/settings/components/teams-page'));
const AuditPage = lazy(() => import('@/features/settings/components/audit-page'));
const FleetRefreshPage = lazy(() => import('@/features/settings/components/fleet-refresh-page'));
const AlertsPage = lazy(() => import('@/features/alerts/components/alerts-page'));
const AlertRulesPage = lazy(() => import('@/features/alerts/components/alert-rules-page'));
const AlertChannelsPage = lazy(() => import('@/features/alerts/components/alert-channels-page'));
const OrganizationsPage = lazy(() => import('@/features/organizations/components/organizations-page'));
const LitellmConfigPage = lazy(() => import('@/features/exports/components/litellm-config-page'));
const IncreasesPage = lazy(() => import('@/features/increases/components/increases-page'));
const NotFoundPage = lazy(() => import('./routes/not-found'));
const ChangePasswordPage = lazy(() => import('@/features/auth/components/change-password-page'));

/**
 * The login page, and once the browser is idle after showing it, the dashboard's chunk (where a login lands) is
 * fetched into the module cache, so the first page after login needs no round trip for its code.
 */
function LoginRoute() {
  useEffect(() => {
    const prefetch = () => void loadDashboard().catch(() => undefined);
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(prefetch, { timeout: 5000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = window.setTimeout(prefetch, 2000);
    return () => window.clearTimeout(timer);
  }, []);
  return <LoginPage />;
}

const settingsRoutes: RouteObject = {
  path: 'settings',
  element: <RequireAdmin />,
  children: [
    {
      element: <SettingsLayout />,
      children: [
        { index: true, element: <Navigate to="quota-config" replace /> },
        { path: 'quota-config', element: <QuotaConfigPage /> },
        { path: 'users', element: <UsersPage /> },
        { path: 'teams', element: <TeamsPage /> },
        { path: 'audit', element: <AuditPage /> },
        { path: 'fleet-refresh', element: <FleetRefreshPage /> },
        { path: 'alert-rules', element: <AlertRulesPage /> },
        { path: 'alert-channels', element: <AlertChannelsPage /> },
      ],
    },
  ],
};

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginRoute />, errorElement: <RouteError /> },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppLayout />,
        children: [
          {
            // A page that fails shows its error inside the frame, with the navigation still there.
            errorElement: <RouteError />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: 'accounts', element: <AccountsPage /> },
              { path: 'accounts/new', element: <NewAccountPage /> },
              { path: 'accounts/:accountId', element: <AccountDetailPage /> },
              { path: 'alerts', element: <AlertsPage /> },
              {
                path: 'organizations',
                element: <RequireAdmin />,
                children: [{ index: true, element: <OrganizationsPage /> }],
              },
              { path: 'exports/litellm', element: <LitellmConfigPage /> },
              { path: 'increases', element: <RequireAdmin />, children: [{ index: true, element: <IncreasesPage /> }] },
              settingsRoutes,
              { path: 'account/password', element: <ChangePasswordPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];
