import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAssumeRoleOnboarding, type AssumeRoleOnboarding } from '@/lib/api/contract';

/**
 * GET /api/admin/onboarding/assume-role (admins): the platform's own principal (null with principal_error when it
 * cannot be read) and the member role's trust and permissions policies, placeholders ${ExternalId} and ${Account}
 * left for the form.
 */
export function getAssumeRoleOnboarding(signal?: AbortSignal): Promise<AssumeRoleOnboarding> {
  return apiRequest('GET', '/api/admin/onboarding/assume-role', { schema: zAssumeRoleOnboarding, signal });
}

export function useAssumeRoleOnboarding(enabled: boolean) {
  return useQuery({
    queryKey: ['accounts', 'onboarding', 'assume-role'] as const,
    queryFn: ({ signal }) => getAssumeRoleOnboarding(signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** A random external id: 32 hex characters from the browser's CSPRNG (the form's default, editable). */
export function generateExternalId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The 12-digit account of a role ARN ("arn:aws:iam::123456789012:role/R"), or null. */
export function accountOfRoleArn(arn: string): string | null {
  const m = /^arn:[a-z-]+:iam::(\d{12}):role\//.exec(arn.trim());
  return m?.[1] ?? null;
}

/** A policy document as text, with the form's values in place of their placeholders. */
export function policyText(doc: unknown, values: Record<string, string>): string {
  let text = JSON.stringify(doc, null, 2);
  for (const [name, value] of Object.entries(values)) {
    if (value) text = text.split('${' + name + '}').join(value);
  }
  return text;
}
