import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertChannel, type AlertChannel, type AlertChannelInput } from '@/lib/api/contract';
import { alertKeys } from './keys';

/** POST /api/admin/alert-channels (admins): 201 with the channel (URL and secret sealed; never returned). */
export function createAlertChannel(input: AlertChannelInput): Promise<AlertChannel> {
  return apiRequest('POST', '/api/admin/alert-channels', { body: input, schema: zAlertChannel });
}

export function useCreateAlertChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createAlertChannel,
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.channels }),
  });
}
