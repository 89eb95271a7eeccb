import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { teamKeys } from '@/lib/api/queries/teams';

/** DELETE /api/admin/teams/{id} (admins): users and accounts keep the id until changed. */
export function deleteTeam(id: string): Promise<void> {
  return apiRequest('DELETE', `/api/admin/teams/${encodeURIComponent(id)}`);
}

export function useDeleteTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteTeam,
    onSuccess: () => void qc.invalidateQueries({ queryKey: teamKeys.all }),
  });
}
