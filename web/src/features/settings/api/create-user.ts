import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zCreatedUser, type CreatedUser, type NewUser } from '@/lib/api/contract';
import { teamKeys } from '@/lib/api/queries/teams';
import { settingsKeys } from './keys';

export type { CreatedUser };

/** POST /api/admin/users (admins): 201; generated_password only when no password was given. */
export function createUser(input: NewUser): Promise<CreatedUser> {
  return apiRequest('POST', '/api/admin/users', { body: input, schema: zCreatedUser });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: settingsKeys.users });
      void qc.invalidateQueries({ queryKey: teamKeys.all });
    },
  });
}
