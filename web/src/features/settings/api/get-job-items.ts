import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zListJobItemsResponse, type ListJobItemsData, type ListJobItemsResponse } from '@/lib/api/contract';
import { jobKeys } from './keys';

export type JobItems = ListJobItemsResponse;

/** One page of a job's items: an outcome to keep (absent = all), the cursor (absent = the first page), the size. */
export type JobItemsQuery = NonNullable<ListJobItemsData['query']>;

/** GET /api/jobs/{id}/items (admins): the job's (account, region) items in processing order, a page at a time. */
export function getJobItems(id: string, q: JobItemsQuery = {}, signal?: AbortSignal): Promise<JobItems> {
  return apiRequest('GET', `/api/jobs/${encodeURIComponent(id)}/items`, {
    query: { ...q },
    schema: zListJobItemsResponse,
    signal,
  });
}

/** A page of the job's items; read again every `intervalMs` while `live` (the job runs), else once. */
export function useJobItems(id: string, q: JobItemsQuery, live: boolean, intervalMs = 1000) {
  return useQuery({
    queryKey: jobKeys.items(id, q),
    queryFn: ({ signal }) => getJobItems(id, q, signal),
    refetchInterval: live ? intervalMs : false,
    placeholderData: keepPreviousData,
  });
}
