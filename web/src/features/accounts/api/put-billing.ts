import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zContactInfoRecord, type ContactInfo, type ContactInfoRecord } from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';

/** PUT /api/accounts/{id}/billing (admins): replaces the stored contact information. */
export function putBilling(id: string, info: ContactInfo): Promise<ContactInfoRecord> {
  return apiRequest('PUT', `/api/accounts/${encodeURIComponent(id)}/billing`, {
    body: info,
    schema: zContactInfoRecord,
  });
}

export function usePutBilling(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (info: ContactInfo) => putBilling(id, info),
    onSuccess: (saved) => qc.setQueryData(accountKeys.billing(id), saved),
  });
}
