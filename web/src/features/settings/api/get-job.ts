import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zJob, type Job, type JobState } from '@/lib/api/contract';
import { jobKeys } from './keys';

export type { Job, JobItem, JobItemOutcome } from '@/lib/api/contract';

const FINISHED: ReadonlySet<JobState> = new Set<JobState>(['succeeded', 'failed', 'interrupted']);
export const isJobFinished = (job: Job | undefined) => Boolean(job && FINISHED.has(job.state));

/** GET /api/jobs/{id}: progress of a background job (its counters; the items are at /api/jobs/{id}/items). */
export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest('GET', `/api/jobs/${encodeURIComponent(id)}`, { schema: zJob, signal });
}

/** Polls the job every second until it has finished. */
export function useJob(id: string | undefined, intervalMs = 1000) {
  return useQuery({
    queryKey: jobKeys.detail(id ?? ''),
    queryFn: ({ signal }) => getJob(id ?? '', signal),
    enabled: Boolean(id),
    refetchInterval: (q) => (isJobFinished(q.state.data) || q.state.error ? false : intervalMs),
  });
}
