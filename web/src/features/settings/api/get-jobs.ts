import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zListJobsResponse, type ListJobsResponse } from '@/lib/api/contract';
import { jobKeys } from './keys';

export type Jobs = ListJobsResponse;

/** GET /api/jobs?limit= (admins): recent fleet jobs, newest first, without their per-account items. */
export function getJobs(limit = 10, signal?: AbortSignal): Promise<Jobs> {
  return apiRequest('GET', '/api/jobs', { query: { limit }, schema: zListJobsResponse, signal });
}

export function useJobs(enabled = true) {
  return useQuery({ queryKey: jobKeys.list, queryFn: ({ signal }) => getJobs(10, signal), enabled });
}
