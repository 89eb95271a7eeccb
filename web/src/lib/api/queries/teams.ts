// The team list, read by several features (settings, accounts), with the teams key factory.
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zTeamList, type TeamList } from '../contract';

export const teamKeys = {
  all: ['teams'] as const,
};

/** GET /api/admin/teams (admins). */
export function getTeams(signal?: AbortSignal): Promise<TeamList> {
  return apiRequest('GET', '/api/admin/teams', { schema: zTeamList, signal });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: teamKeys.all, queryFn: ({ signal }) => getTeams(signal), enabled });
}
