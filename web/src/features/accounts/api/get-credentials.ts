import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zCredentialsExport, type CredentialsExport } from '@/lib/api/contract';

/** GET /api/accounts/{id}/credentials (admins; audited as credentials.export). Never cached. */
export function getCredentials(id: string): Promise<CredentialsExport> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}/credentials`, { schema: zCredentialsExport });
}

/** A mutation rather than a query: the read is an audited act the user asks for, and the secret is never cached. */
export function useExportCredentials(id: string) {
  return useMutation({ mutationFn: () => getCredentials(id), gcTime: 0 });
}
