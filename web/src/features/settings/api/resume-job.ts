import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

const resumedSchema = z.object({ job_id: z.string(), total: z.number().optional(), done: z.number().optional() });

/** POST /api/jobs/{id}/resume (admins): continues an interrupted fleet job; 409 unless it is interrupted. */
export function resumeJob(id: string): Promise<z.infer<typeof resumedSchema>> {
  return apiRequest('POST', `/api/jobs/${encodeURIComponent(id)}/resume`, { schema: resumedSchema });
}

export function useResumeJob() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: resumeJob, onSuccess: () => void qc.invalidateQueries({ queryKey: ['jobs'] }) });
}
