import DashboardPage from '@/features/dashboard/components/dashboard-page';
import { BulkIncreaseBar } from '@/features/increases/components/bulk-increase-bar';

/** The dashboard with the increases feature's bulk request on the grid's selected rows: the app composes the two. */
export default function DashboardRoute() {
  return <DashboardPage selectionAction={(p) => <BulkIncreaseBar {...p} />} />;
}
