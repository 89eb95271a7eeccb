import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertDeliveryReport, type AlertDeliveryReport } from '@/lib/api/contract';

export type { AlertDeliveryReport } from '@/lib/api/contract';

/**
 * POST /api/admin/alert-channels/{id}/test (admins): sends a test notification now, with the channel's retries.
 * A failed delivery is 200 with `delivered: false`, the last HTTP status and a safe error text.
 */
export function testAlertChannel(id: string): Promise<AlertDeliveryReport> {
  return apiRequest('POST', `/api/admin/alert-channels/${encodeURIComponent(id)}/test`, {
    schema: zAlertDeliveryReport,
  });
}

export function useTestAlertChannel() {
  return useMutation({ mutationFn: testAlertChannel });
}
