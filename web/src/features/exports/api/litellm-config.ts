// GET /api/exports/litellm and POST /api/admin/exports/litellm-with-secrets: the LiteLLM routing export (a YAML
// model_list or its .env template), fetched as text for download. The answers are files, not JSON, so this does
// not go through apiRequest's schema check; errors are the usual ApiError (the error body is the standard one).
import { useMutation } from '@tanstack/react-query';
import { ApiError, apiUrl, CSRF_HEADER, CSRF_VALUE } from '@/lib/api-client';
import { zError } from '@/lib/api/contract';

export interface LitellmExportOptions {
  modelIds: string[];
  /** 0 < f ≤ 1 */
  safetyFactor: number;
  useHeadroom: boolean;
  format: 'yaml' | 'env';
  /** Embed the credentials (admins only; audited). */
  withSecrets: boolean;
}

export interface ExportFile {
  name: string;
  text: string;
  type: string;
}

async function errorOf(response: Response): Promise<ApiError> {
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch {
    json = undefined;
  }
  const parsed = zError.safeParse(json);
  if (parsed.success) return new ApiError({ status: response.status, ...parsed.data.error });
  return new ApiError({ status: response.status, code: `http_${response.status}`, message: response.statusText });
}

export async function getLitellmConfig(o: LitellmExportOptions): Promise<ExportFile> {
  const fileName = o.format === 'env' ? 'litellm-config.env' : 'litellm-config.yaml';
  let response: Response;
  try {
    response = o.withSecrets
      ? await fetch(apiUrl('/api/admin/exports/litellm-with-secrets'), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: CSRF_VALUE },
          body: JSON.stringify({
            model_ids: o.modelIds,
            safety_factor: o.safetyFactor,
            use_headroom: o.useHeadroom,
            format: o.format,
          }),
        })
      : await fetch(
          apiUrl('/api/exports/litellm', {
            model_id: o.modelIds.join(','),
            safety_factor: o.safetyFactor,
            use_headroom: o.useHeadroom,
            format: o.format,
          }),
          { credentials: 'same-origin' },
        );
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', message: e instanceof Error ? e.message : 'network error' });
  }
  if (!response.ok) throw await errorOf(response);
  return {
    name: fileName,
    text: await response.text(),
    type: o.format === 'env' ? 'text/plain' : 'application/yaml',
  };
}

export function useLitellmConfig() {
  return useMutation({ mutationFn: getLitellmConfig });
}
