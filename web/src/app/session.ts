import { useMe } from '@/features/auth/api/get-me';
import type { User } from '@/features/auth/api/schemas';

const SIGNED_OUT: User = {
  user_id: '',
  email: '',
  role: 'user',
  teams: [],
  disabled: false,
  created_at: null,
  updated_at: null,
};

/**
 * The logged-in user and whether they are an admin. The auth guard renders pages only for a logged-in user; in
 * the moment between a session ending and the guard's redirect this returns a signed-out user with no rights.
 */
export function useSession(): { user: User; isAdmin: boolean } {
  const { data } = useMe();
  const user = data ?? SIGNED_OUT;
  return { user, isAdmin: user.role === 'admin' };
}
