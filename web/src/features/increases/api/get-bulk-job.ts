import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zJob, zListJobItemsResponse, type Job, type ListJobItemsResponse } from '@/lib/api/contract';
import { increaseKeys } from './keys';

export type { Job, JobItem } from '@/lib/api/contract';

/** Whether the job has ended (succeeded, failed or interrupted). */
export const isJobFinished = (job: Job | undefined) => Boolean(job && job.state !== 'running');

/** GET /api/jobs/{id}: the bulk job's counters (the fleet jobs' route). */
export function getBulkJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest('GET', `/api/jobs/${encodeURIComponent(id)}`, { schema: zJob, signal });
}

/** GET /api/jobs/{id}/items: one page of the job's per-account outcomes (item.ref = the request id when sent). */
export function getBulkJobItems(id: string, cursor?: string, signal?: AbortSignal): Promise<ListJobItemsResponse> {
  return apiRequest('GET', `/api/jobs/${encodeURIComponent(id)}/items`, {
    query: { cursor, page_size: 50 },
    schema: zListJobItemsResponse,
    signal,
  });
}

/** Polls the job every second until it ends. */
export function useBulkJob(id: string | undefined, intervalMs = 1000) {
  return useQuery({
    queryKey: increaseKeys.job(id ?? ''),
    queryFn: ({ signal }) => getBulkJob(id ?? '', signal),
    enabled: Boolean(id),
    refetchInterval: (q) => (isJobFinished(q.state.data) || q.state.error ? false : intervalMs),
  });
}

/** A page of the job's items, read again every second while the job runs. */
export function useBulkJobItems(id: string, cursor: string | undefined, live: boolean, intervalMs = 1000) {
  return useQuery({
    queryKey: increaseKeys.jobItems(id, cursor),
    queryFn: ({ signal }) => getBulkJobItems(id, cursor, signal),
    refetchInterval: live ? intervalMs : false,
    placeholderData: keepPreviousData,
  });
}
