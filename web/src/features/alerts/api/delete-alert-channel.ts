import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { alertKeys } from './keys';

/** A channel to delete: its id and the version read. */
export interface ChannelVersion {
  id: string;
  version: number;
}

/** DELETE /api/admin/alert-channels/{id}?version= (admins): 409 when stale or while a rule lists the channel. */
export function deleteAlertChannel({ id, version }: ChannelVersion): Promise<void> {
  return apiRequest('DELETE', `/api/admin/alert-channels/${encodeURIComponent(id)}`, { query: { version } });
}

export function useDeleteAlertChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteAlertChannel,
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.channels }),
  });
}
