import { useQuery } from '@tanstack/react-query';
import { listAlerts } from './list-alerts';
import { alertKeys } from './keys';

/** At most this many firing alerts are counted; beyond it the badge says "100+". */
export const FIRING_COUNT_LIMIT = 100;

/** The number of firing alerts (one page of GET /api/alerts?state=firing) and whether there are more. */
export interface FiringCount {
  count: number;
  more: boolean;
}

/** One page, never a scan: `more` is true when the page was full and a next page exists. */
export async function countFiringAlerts(signal?: AbortSignal): Promise<FiringCount> {
  const page = await listAlerts({ state: 'firing', limit: FIRING_COUNT_LIMIT }, signal);
  return { count: page.items.length, more: page.next !== null };
}

/** The firing count for the navigation (admins: the whole fleet), re-read every minute. */
export function useFiringAlertCount(enabled: boolean) {
  return useQuery({
    queryKey: alertKeys.firingCount,
    queryFn: ({ signal }) => countFiringAlerts(signal),
    enabled,
    refetchInterval: 60_000,
  });
}
