import { useMe } from '@/features/auth/api/get-me';
import type { User } from '@/features/auth/api/schemas';

/** The logged-in user (the auth guard guarantees one below it) and whether they are an admin. */
export function useSession(): { user: User; isAdmin: boolean } {
  const { data } = useMe();
  if (!data) throw new Error('useSession used outside the auth guard');
  return { user: data, isAdmin: data.role === 'admin' };
}
