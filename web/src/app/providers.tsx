import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { isApiError } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';
import i18n from '@/lib/i18n';
import { meQuery, meQueryKey } from '@/features/auth/api/get-me';

/**
 * The query client with the one app-wide reaction to errors: a 401 from any query means the session ended, so the
 * cached user is cleared and the auth guard sends the user to the login page.
 */
export function createAppQueryClient(): QueryClient {
  const client: QueryClient = createQueryClient({
    onQueryError: (error, query) => {
      if (isApiError(error) && error.status === 401 && query.queryKey[1] !== meQueryKey[1]) {
        client.setQueryData(meQueryKey, null);
      }
    },
    // A write answered 401 means the session ended too (a wrong password at login is the login page's business).
    onMutationError: (error) => {
      if (isApiError(error) && error.status === 401 && client.getQueryData(meQueryKey))
        client.setQueryData(meQueryKey, null);
    },
  });
  return client;
}

/**
 * Starts the session request now (before the first render, in parallel with the active language's texts): every
 * first screen waits for it (the login page, the auth guard), and useMe then joins this request.
 */
export function prefetchSession(client: QueryClient): void {
  void client.prefetchQuery(meQuery);
}

export function AppProviders({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createAppQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </I18nextProvider>
  );
}
