import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zUser, type PasswordChange, type User } from '@/lib/api/contract';
import { authKeys } from './keys';

/**
 * POST /api/auth/password: changes the caller's own password. 422 names current_password (wrong) or new_password
 * (too short, or the same); 429 with Retry-After when throttled like login. The caller's other sessions end.
 */
export function changePassword(input: PasswordChange): Promise<User> {
  return apiRequest('POST', '/api/auth/password', { body: input, schema: zUser });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    // The session's user now has must_change_password false: a forced reset lets the app through.
    onSuccess: (user) => qc.setQueryData(authKeys.me, user),
  });
}
