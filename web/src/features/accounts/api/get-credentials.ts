import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { exportedCredentialsSchema, type ExportedCredentials } from './schemas';

/** GET /api/accounts/{id}/credentials (admins; audited as credentials.export). Never cached. */
export function getCredentials(id: string): Promise<ExportedCredentials> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}/credentials`, {
    schema: exportedCredentialsSchema,
  });
}

/** A mutation rather than a query: the read is an audited act the user asks for, and the secret is never cached. */
export function useExportCredentials(id: string) {
  return useMutation({ mutationFn: () => getCredentials(id), gcTime: 0 });
}
