import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { settingsKeys, teamSchema, type Team } from './schemas';

/** POST /api/admin/teams (admins): creates or renames a team. */
export function createTeam(input: { team_id: string; name?: string }): Promise<Team> {
  return apiRequest('POST', '/api/admin/teams', { body: input, schema: teamSchema });
}

export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createTeam,
    onSuccess: () => void qc.invalidateQueries({ queryKey: settingsKeys.teams }),
  });
}
