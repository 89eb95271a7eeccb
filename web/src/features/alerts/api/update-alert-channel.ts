import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertChannel, type AlertChannel, type AlertChannelPut } from '@/lib/api/contract';
import { alertKeys } from './keys';

/**
 * PUT /api/admin/alert-channels/{id} (admins): send the version read (stale → 409). `url` absent keeps the stored
 * URL; `secret` absent keeps the stored secret, null removes it.
 */
export function updateAlertChannel(id: string, input: AlertChannelPut): Promise<AlertChannel> {
  return apiRequest('PUT', `/api/admin/alert-channels/${encodeURIComponent(id)}`, {
    body: input,
    schema: zAlertChannel,
  });
}

export function useUpdateAlertChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: AlertChannelPut }) => updateAlertChannel(id, input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.channels }),
  });
}
