import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zUser, type User, type UserPatch } from '@/lib/api/contract';
import { teamKeys } from '@/lib/api/queries/teams';
import { settingsKeys } from './keys';

/** PATCH /api/admin/users/{id} (admins). */
export function updateUser(id: string, patch: UserPatch): Promise<User> {
  return apiRequest('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { body: patch, schema: zUser });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) => updateUser(id, patch),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: settingsKeys.users });
      void qc.invalidateQueries({ queryKey: teamKeys.all });
    },
  });
}
