import type { QueryClient } from '@tanstack/react-query';
import DashboardPage from '@/features/dashboard/components/dashboard-page';
import { prefetchDashboardStats } from '@/features/dashboard/api/get-dashboard-stats';
import { BulkIncreaseBar } from '@/features/increases/components/bulk-increase-bar';

/** The dashboard with the increases feature's bulk request on the grid's selected rows: the app composes the two. */
export default function DashboardRoute() {
  return <DashboardPage selectionAction={(p) => <BulkIncreaseBar {...p} />} />;
}

/** What the dashboard shows first, asked for before it renders (routes.tsx preloadPage, for a logged-in user). */
export function prefetch(client: QueryClient, search: URLSearchParams): Promise<void> {
  return prefetchDashboardStats(client, search);
}
