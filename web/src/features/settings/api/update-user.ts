import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { userSchema, type User } from '@/features/auth/api/schemas';
import { settingsKeys } from './schemas';

export interface UserPatch {
  role?: 'admin' | 'user';
  disabled?: boolean;
  teams?: string[];
  password?: string;
}

/** PATCH /api/admin/users/{id} (admins). */
export function updateUser(id: string, patch: UserPatch): Promise<User> {
  return apiRequest('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { body: patch, schema: userSchema });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) => updateUser(id, patch),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: settingsKeys.users });
      void qc.invalidateQueries({ queryKey: settingsKeys.teams });
    },
  });
}
