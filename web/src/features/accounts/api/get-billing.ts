import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import type { Validator } from '@/lib/api/first-load-contract';
import { zContactInfoRecord, type ContactInfoRecord } from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';

/** The record, or null for the 204 (no body) that says none is stored. */
const recordOrNone: Validator<ContactInfoRecord | null> = {
  safeParse: (data) => (data === undefined ? { success: true, data: null } : zContactInfoRecord.safeParse(data)),
};

/**
 * GET /api/accounts/{id}/billing: the contact information kept by the platform, or null when none is stored (204:
 * an empty state, so no failed request shows in the browser's console).
 */
export function getBilling(id: string, signal?: AbortSignal): Promise<ContactInfoRecord | null> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}/billing`, { schema: recordOrNone, signal });
}

export function useBilling(id: string) {
  return useQuery({ queryKey: accountKeys.billing(id), queryFn: ({ signal }) => getBilling(id, signal) });
}
