import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertChannel, zAlertChannelList, type AlertChannel, type AlertChannelList } from '@/lib/api/contract';
import { alertKeys } from './keys';

export type { AlertChannel } from '@/lib/api/contract';

/** GET /api/admin/alert-channels (admins): every channel, sorted by id; secrets are never returned. */
export function listAlertChannels(signal?: AbortSignal): Promise<AlertChannelList> {
  return apiRequest('GET', '/api/admin/alert-channels', { schema: zAlertChannelList, signal });
}

/** GET /api/admin/alert-channels/{id} (admins): one channel as stored now (e.g. after a 409). */
export function getAlertChannel(id: string, signal?: AbortSignal): Promise<AlertChannel> {
  return apiRequest('GET', `/api/admin/alert-channels/${encodeURIComponent(id)}`, { schema: zAlertChannel, signal });
}

/** The channels; `enabled` false for users (the list is admin-only). */
export function useAlertChannels(enabled = true) {
  return useQuery({ queryKey: alertKeys.channels, queryFn: ({ signal }) => listAlertChannels(signal), enabled });
}
