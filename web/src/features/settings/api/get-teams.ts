import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { settingsKeys, teamSchema } from './schemas';

export const teamsSchema = z.object({ items: z.array(teamSchema), total: z.number() });
export type Teams = z.infer<typeof teamsSchema>;

/** GET /api/admin/teams (admins). */
export function getTeams(signal?: AbortSignal): Promise<Teams> {
  return apiRequest('GET', '/api/admin/teams', { schema: teamsSchema, signal });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: settingsKeys.teams, queryFn: ({ signal }) => getTeams(signal), enabled });
}
