// GET /api/exports/{what}: a CSV or JSON download (docs/openapi.yaml, tag exports). Same cookie auth as every call;
// the body is read whole into a Blob for the browser to save, and an error body becomes the usual ApiError.
import { ApiError, apiUrl, type QueryValue } from '@/lib/api-client';
import { zError } from '@/lib/api/contract';

export type ExportWhat = 'fleet' | 'quota-history' | 'quota-increases' | 'audit-log';
export type ExportFormat = 'csv' | 'json';

export interface ExportRequest {
  what: ExportWhat;
  format: ExportFormat;
  /** CSV only: a UTF-8 byte order mark first, for Excel. */
  bom: boolean;
  /** The filters of the view, as its query parameters (empty values are left out). */
  filters?: Record<string, QueryValue>;
}

export interface DownloadedExport {
  blob: Blob;
  filename: string;
}

/** The file name of a Content-Disposition header, or a fallback. */
export function filenameOf(disposition: string | null, fallback: string): string {
  const m = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return m?.[1] ?? fallback;
}

export async function downloadExport(req: ExportRequest, signal?: AbortSignal): Promise<DownloadedExport> {
  const query: Record<string, QueryValue> = { ...req.filters, format: req.format };
  if (req.bom && req.format === 'csv') query.bom = 'true';
  let response: Response;
  try {
    response = await fetch(apiUrl(`/api/exports/${req.what}`, query), { credentials: 'same-origin', signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', message: e instanceof Error ? e.message : 'network error' });
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const parsed = zError.safeParse(body);
    if (parsed.success) throw new ApiError({ status: response.status, ...parsed.data.error });
    throw new ApiError({
      status: response.status,
      code: `http_${response.status}`,
      message: response.statusText || `HTTP ${response.status}`,
      request_id: response.headers.get('X-Request-Id') ?? undefined,
    });
  }
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (e) {
    // The server cut the stream short (an error after the first bytes): never save a partial file.
    throw new ApiError({
      status: 0,
      code: 'network',
      message: e instanceof Error ? e.message : 'download interrupted',
    });
  }
  return { blob, filename: filenameOf(response.headers.get('Content-Disposition'), `${req.what}.${req.format}`) };
}
