import type { IncreaseTarget, Region } from '@/lib/api/contract';

/**
 * A region name read from the server (an account's regions, a grid row) as the contract's Region. The server only
 * stores known regions; one it does not know is answered with a 422 naming the field, shown like any other.
 */
export function regionOf(name: string): Region {
  return name as Region;
}

/** The (account, region) target of a preview or bulk request. */
export function targetOf(accountId: string, region: string): IncreaseTarget {
  return { account_id: accountId, region: regionOf(region) };
}
