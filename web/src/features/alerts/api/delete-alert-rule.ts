import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { alertKeys } from './keys';

/** A rule to delete: its id and the version read. */
export interface RuleVersion {
  id: string;
  version: number;
}

/** DELETE /api/admin/alert-rules/{id}?version= (admins): deletes the rule and its alerts; stale version → 409. */
export function deleteAlertRule({ id, version }: RuleVersion): Promise<void> {
  return apiRequest('DELETE', `/api/admin/alert-rules/${encodeURIComponent(id)}`, { query: { version } });
}

export function useDeleteAlertRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteAlertRule,
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
