import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { settingsKeys } from './keys';

/** DELETE /api/admin/users/{id} (admins): deletes the user and ends their sessions. */
export function deleteUser(id: string): Promise<void> {
  return apiRequest('DELETE', `/api/admin/users/${encodeURIComponent(id)}`);
}

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteUser,
    onSuccess: () => void qc.invalidateQueries({ queryKey: settingsKeys.users }),
  });
}
