import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zContactInfoRecord, type ContactInfoRecord } from '@/lib/api/contract';

/**
 * GET /api/accounts/{id}/billing?source=aws: the primary contact as AWS has it (source "aws"). 502 when AWS refuses;
 * 503 when the server cannot read from AWS (not configured) or its AWS workers are busy.
 */
export function getAwsBilling(id: string): Promise<ContactInfoRecord> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}/billing`, {
    query: { source: 'aws' },
    schema: zContactInfoRecord,
  });
}

export function useAwsBilling(id: string) {
  return useMutation({ mutationFn: () => getAwsBilling(id) });
}
