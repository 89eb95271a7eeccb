// The web app's view of the API contract: the types and zod schemas generated from docs/openapi.yaml
// (src/lib/api/generated/, by `npm run gen:api`; never edited by hand), plus a few names derived from them.
// Every request and response type of the app comes from here; a shape the document does not describe is an error.
import type { z } from 'zod';
import type { AuditEntry, Job, ModelQuota, QuotaValue, RefreshReport, Region } from './generated';
import { zAuditEntry, zRegion, type zQuotaRead, type zRefreshQuotaResponse } from './generated/zod.gen';

export type * from './generated';
export * from './generated/zod.gen';

/**
 * A cached quota read as parsed (these two override the generated types of the same name): the document also lists
 * the flat `<prefix>_tpm` number fields (an index signature in the generated type); parsing drops them and the app
 * reads models[].
 */
export type QuotaRead = z.output<typeof zQuotaRead>;
/** The quota read after a refresh, with the per-value outcome (`refresh`). */
export type RefreshQuotaResponse = z.output<typeof zRefreshQuotaResponse>;

/** A cached value's state: ok, stale, error or never. */
export type QuotaState = QuotaValue['state'];

/** A quota dimension of a model. */
export type Dimension = RefreshReport['values'][number]['dimension'];

/** The dimensions in display order (the keys of ModelQuota holding a value). */
export const DIMENSIONS = ['tpm', 'rpm', 'tpm_1m', 'rpm_1m'] as const satisfies readonly (Dimension &
  keyof ModelQuota)[];

/** A job's state: running, succeeded, failed or interrupted. */
export type JobState = Job['state'];

/** The names in `names` that are regions of the contract (a picker offering only KNOWN_REGIONS keeps them all). */
export function asRegions(names: readonly string[]): Region[] {
  return names.filter((n): n is Region => zRegion.safeParse(n).success);
}

/** An audit outcome read from a URL parameter, or undefined when it is not one. */
export function asAuditOutcome(value: string): AuditEntry['outcome'] | undefined {
  const parsed = zAuditEntry.shape.outcome.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
