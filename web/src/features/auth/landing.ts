// Where a login lands: the page the user came from (?next=), unless it is one they may not see — a login after
// someone else's session (an admin's page, then a user logs in) lands on the dashboard, not on a 403.

/** The path prefixes only admins may open (app/routes.tsx: RequireAdmin, and the admin-only new account form). */
const ADMIN_ONLY = ['/settings', '/organizations', '/increases', '/accounts/new'];

/** Only same-app paths are followed after login (no open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The page to land on after login for a user of `role`. */
export function landingFor(next: string | null, role: 'admin' | 'user'): string {
  const path = safeNext(next);
  if (role === 'admin') return path;
  const pathname = path.split(/[?#]/)[0] ?? path;
  return ADMIN_ONLY.some((p) => pathname === p || pathname.startsWith(`${p}/`)) ? '/' : path;
}
