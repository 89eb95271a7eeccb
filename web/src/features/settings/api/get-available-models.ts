import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zGetAvailableModelsResponse, type GetAvailableModelsResponse } from '@/lib/api/contract';
import { settingsKeys } from './keys';

export type AvailableModels = GetAvailableModelsResponse;
export type AvailableModel = AvailableModels['models'][number];

/**
 * GET /api/admin/available-models (admins): the Claude models an account's Service Quotas list (cached an hour by
 * the server; `refresh` asks AWS again; source "catalogue" when no account could be asked).
 */
export function getAvailableModels(opts: { refresh?: boolean } = {}, signal?: AbortSignal): Promise<AvailableModels> {
  return apiRequest('GET', '/api/admin/available-models', {
    query: { refresh: opts.refresh ? 'true' : undefined },
    schema: zGetAvailableModelsResponse,
    signal,
  });
}

export function useAvailableModels() {
  return useQuery({ queryKey: settingsKeys.availableModels, queryFn: ({ signal }) => getAvailableModels({}, signal) });
}

/** Asks AWS again (refresh=true) and replaces the cached list. */
export function useRediscoverModels() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => getAvailableModels({ refresh: true }),
    onSuccess: (res) => qc.setQueryData(settingsKeys.availableModels, res),
  });
}
