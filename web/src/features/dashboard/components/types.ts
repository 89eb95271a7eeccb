import type { Account, QuotaRead } from '@/lib/api/contract';

/** One row of the dashboard grid: an account in one of its regions, with its cached quota read when loaded. */
export interface GridRow {
  account: Account;
  region: string;
  read: QuotaRead | undefined;
  error: unknown;
  loading: boolean;
}
