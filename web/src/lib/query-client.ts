// The TanStack Query client: no retries of client errors (4xx), a short staleness window, no refetch on focus.
// UI reactions to errors (401 → login) are passed in by app/providers.tsx, not decided here.
import { MutationCache, QueryCache, QueryClient, type Query } from '@tanstack/react-query';
import { isApiError } from './api-client';

export interface QueryClientHooks {
  /** Called for every failed query (after its retries). */
  onQueryError?: (error: unknown, query: Query<unknown, unknown, unknown>) => void;
  /** Called for every failed mutation. */
  onMutationError?: (error: unknown) => void;
}

export function createQueryClient(hooks: QueryClientHooks = {}): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => hooks.onQueryError?.(error, query),
    }),
    mutationCache: new MutationCache({ onError: (error) => hooks.onMutationError?.(error) }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
