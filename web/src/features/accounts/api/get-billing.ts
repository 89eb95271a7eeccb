import { useQuery } from '@tanstack/react-query';
import { apiRequest, isApiError } from '@/lib/api-client';
import { zContactInfoRecord, type ContactInfoRecord } from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';

/** GET /api/accounts/{id}/billing: the contact information kept by the platform, or null when none is stored (404). */
export async function getBilling(id: string, signal?: AbortSignal): Promise<ContactInfoRecord | null> {
  try {
    return await apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}/billing`, {
      schema: zContactInfoRecord,
      signal,
    });
  } catch (e) {
    if (isApiError(e) && e.status === 404) return null;
    throw e;
  }
}

export function useBilling(id: string) {
  return useQuery({ queryKey: accountKeys.billing(id), queryFn: ({ signal }) => getBilling(id, signal) });
}
