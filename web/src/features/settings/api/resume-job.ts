import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zResumeJobResponse, type ResumeJobResponse } from '@/lib/api/contract';
import { jobKeys } from './keys';

/** POST /api/jobs/{id}/resume (admins): continues an interrupted fleet job; 409 unless it is interrupted. */
export function resumeJob(id: string): Promise<ResumeJobResponse> {
  return apiRequest('POST', `/api/jobs/${encodeURIComponent(id)}/resume`, { schema: zResumeJobResponse });
}

export function useResumeJob() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: resumeJob, onSuccess: () => void qc.invalidateQueries({ queryKey: jobKeys.all }) });
}
