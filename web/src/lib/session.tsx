import { createContext, useContext, type ReactNode } from 'react';

/** What the pages need to know about the logged-in user (the API's user object has these fields and more). */
export interface SessionUser {
  user_id: string;
  email: string;
  role: 'admin' | 'user';
  teams: string[];
}

const SIGNED_OUT: SessionUser = { user_id: '', email: '', role: 'user', teams: [] };

const SessionContext = createContext<SessionUser | null>(null);

/**
 * Provides the logged-in user to the pages below it. The app's auth guard renders it around the pages once the
 * user is known (lib cannot ask the auth feature itself: features and app sit above lib).
 */
export function SessionProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

/**
 * The logged-in user and whether they are an admin. Outside a SessionProvider (no one logged in) this returns a
 * signed-out user with no rights.
 */
export function useSession(): { user: SessionUser; isAdmin: boolean } {
  const user = useContext(SessionContext) ?? SIGNED_OUT;
  return { user, isAdmin: user.role === 'admin' };
}
