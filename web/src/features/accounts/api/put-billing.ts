import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys, contactInfoSchema, type ContactInfo, type ContactInfoInput } from './schemas';

/** PUT /api/accounts/{id}/billing (admins): replaces the stored contact information. */
export function putBilling(id: string, info: ContactInfoInput): Promise<ContactInfo> {
  return apiRequest('PUT', `/api/accounts/${encodeURIComponent(id)}/billing`, {
    body: info,
    schema: contactInfoSchema,
  });
}

export function usePutBilling(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (info: ContactInfoInput) => putBilling(id, info),
    onSuccess: (saved) => qc.setQueryData(accountKeys.billing(id), saved),
  });
}
