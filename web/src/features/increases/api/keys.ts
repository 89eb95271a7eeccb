// Every query key of the quota increase requests feature.
import type { ListQuotaIncreasesData } from '@/lib/api/contract';

/** The query of GET /api/quota-increases: account_id, status, open, cursor and limit. */
export type IncreasesQuery = NonNullable<ListQuotaIncreasesData['query']>;

export const increaseKeys = {
  /** Every increase request read (invalidate this after a request is sent, checked or synced). */
  all: ['increases'] as const,
  list: (q: IncreasesQuery) => ['increases', 'list', q] as const,
  account: (accountId: string, q: Omit<IncreasesQuery, 'account_id'>) =>
    ['increases', 'account', accountId, q] as const,
  /** Whether the caller may request for the account (the `may_request` of its list). */
  mayRequest: (accountId: string) => ['increases', 'may-request', accountId] as const,
  /** The bulk job's header and items (the job routes are shared with the fleet refresh). */
  job: (id: string) => ['increases', 'job', id] as const,
  jobItems: (id: string, cursor: string | undefined) => ['increases', 'job-items', id, cursor] as const,
};
