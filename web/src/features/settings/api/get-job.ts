import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { settingsKeys } from './schemas';

export const jobSchema = z.object({
  job_id: z.string().optional(),
  kind: z.string().optional(),
  /** running | succeeded | failed | interrupted */
  state: z.string(),
  created_by: z.string().optional(),
  team: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
  done: z.number(),
  total: z.number(),
  failed: z.number(),
  eta_seconds: z.number().nullable().optional(),
  accounts: z
    .array(
      z.object({
        account_id: z.string().optional(),
        account_name: z.string().optional(),
        region: z.string().optional(),
        /** pending | ok | partial | failed */
        outcome: z.string().optional(),
        values_ok: z.number().optional(),
        values_failed: z.number().optional(),
        state: z.string().optional(),
        status: z.string().optional(),
        error: z.string().nullable().optional(),
        message: z.string().nullable().optional(),
      }),
    )
    .optional()
    .default([]),
});
export type Job = z.infer<typeof jobSchema>;

const FINISHED = new Set(['succeeded', 'failed', 'interrupted', 'done', 'completed', 'cancelled']);
export const isJobFinished = (job: Job | undefined) => Boolean(job && FINISHED.has(job.state));

/** GET /api/jobs/{id}: progress of a background job. */
export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest('GET', `/api/jobs/${encodeURIComponent(id)}`, { schema: jobSchema, signal });
}

/** Polls the job every second until it has finished. */
export function useJob(id: string | undefined, intervalMs = 1000) {
  return useQuery({
    queryKey: settingsKeys.job(id ?? ''),
    queryFn: ({ signal }) => getJob(id ?? '', signal),
    enabled: Boolean(id),
    refetchInterval: (q) => (isJobFinished(q.state.data) || q.state.error ? false : intervalMs),
  });
}
