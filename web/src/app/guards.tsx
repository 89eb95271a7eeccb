import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { ErrorMessage, ForbiddenPage, Loading } from '@/components/ui';
import { SessionProvider } from '@/lib/session';

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
      <Outlet />
    </SessionProvider>
  );
}

/** Renders its routes for admins only; a user sees the forbidden page. */
export function RequireAdmin() {
  const me = useMe();
  if (me.data?.role !== 'admin') return <ForbiddenPage />;
  return <Outlet />;
}
