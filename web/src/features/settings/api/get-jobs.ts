import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zListJobsResponse, type ListJobsData, type ListJobsResponse } from '@/lib/api/contract';
import { jobKeys } from './keys';

export type Jobs = ListJobsResponse;

/** One page of GET /api/jobs: the cursor (absent = the first page) and the page size. */
export type JobsQuery = NonNullable<ListJobsData['query']>;

/** GET /api/jobs (admins): fleet jobs newest first, a page at a time (follow `next`), without their items. */
export function getJobs(q: JobsQuery = {}, signal?: AbortSignal): Promise<Jobs> {
  return apiRequest('GET', '/api/jobs', { query: { ...q }, schema: zListJobsResponse, signal });
}

/** The page of jobs that starts at `cursor` (undefined = the newest). */
export function useJobs(cursor?: string, enabled = true) {
  const q: JobsQuery = { cursor, page_size: 10 };
  return useQuery({
    queryKey: jobKeys.list(q),
    queryFn: ({ signal }) => getJobs(q, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}
