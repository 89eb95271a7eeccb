import { Suspense } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Loading } from '@/components/ui';
import { AppProviders } from './providers';
import { routes } from './routes';

const router = createBrowserRouter(routes);

export function App() {
  return (
    <AppProviders>
      <Suspense fallback={<Loading />}>
        <RouterProvider router={router} />
      </Suspense>
    </AppProviders>
  );
}
