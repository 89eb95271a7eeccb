import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, isRouteMissing } from '@/lib/api-client';
import { jobSchema } from './get-job';

export const jobsSchema = z.object({ items: z.array(jobSchema) });
export type Jobs = z.infer<typeof jobsSchema>;

/** GET /api/jobs?limit= (admins): recent fleet jobs, newest first, without their per-account items; null without the route. */
export async function getJobs(limit = 10, signal?: AbortSignal): Promise<Jobs | null> {
  try {
    return await apiRequest('GET', '/api/jobs', { query: { limit }, schema: jobsSchema, signal });
  } catch (e) {
    if (isRouteMissing(e)) return null;
    throw e;
  }
}

export function useJobs(enabled = true) {
  return useQuery({ queryKey: ['jobs', 'list'], queryFn: ({ signal }) => getJobs(10, signal), enabled });
}
