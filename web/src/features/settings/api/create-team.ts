import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zTeam, type Team, type TeamPut } from '@/lib/api/contract';
import { teamKeys } from '@/lib/api/queries/teams';

/** POST /api/admin/teams (admins): creates or renames a team. */
export function createTeam(input: TeamPut): Promise<Team> {
  return apiRequest('POST', '/api/admin/teams', { body: input, schema: zTeam });
}

export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createTeam,
    onSuccess: () => void qc.invalidateQueries({ queryKey: teamKeys.all }),
  });
}
