import { z } from 'zod';

export const quotaStateSchema = z.enum(['ok', 'stale', 'error', 'never']);
export type QuotaState = z.infer<typeof quotaStateSchema>;

export const DIMENSIONS = ['tpm', 'rpm', 'tpm_1m', 'rpm_1m'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The outcome of one value in a refresh (present only in refresh responses): a word or an object with details. */
const outcomeSchema = z
  .union([
    z.string(),
    z.object({
      status: z.string().optional(),
      state: z.string().optional(),
      outcome: z.string().optional(),
      error: z.string().nullable().optional(),
      message: z.string().nullable().optional(),
    }),
  ])
  .nullable()
  .optional();

export const quotaValueSchema = z.object({
  value: z.number().nullable(),
  quota_code: z.string().nullable(),
  state: quotaStateSchema,
  source: z.enum(['applied', 'aws_default']).nullable(),
  reason: z.string().nullable().optional(),
  read_at: z.string().nullable().optional(),
  attempted_at: z.string().nullable().optional(),
  outcome: outcomeSchema,
  error: z.string().nullable().optional(),
});
export type QuotaValue = z.infer<typeof quotaValueSchema>;

export const modelQuotaSchema = z.object({
  model_id: z.string(),
  display_name: z.string(),
  tpm: quotaValueSchema.nullable(),
  rpm: quotaValueSchema.nullable(),
  tpm_1m: quotaValueSchema.nullable().optional(),
  rpm_1m: quotaValueSchema.nullable().optional(),
  status: quotaStateSchema,
});
export type ModelQuota = z.infer<typeof modelQuotaSchema>;

/** What a refresh did, value by value (only in the answer of POST /quota/refresh). */
export const refreshReportSchema = z.object({
  started_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
  duration_ms: z.number().optional(),
  ok: z.number(),
  failed: z.number(),
  cache_written: z.boolean().optional(),
  values: z.array(
    z.object({
      model_id: z.string(),
      dimension: z.string(),
      quota_code: z.string().nullable().optional(),
      ok: z.boolean(),
      value: z.number().nullable().optional(),
      source: z.string().nullable().optional(),
      error: z.string().nullable().optional(),
    }),
  ),
});
export type RefreshReport = z.infer<typeof refreshReportSchema>;

/** The cached quota read. The flat <prefix>_tpm fields are kept by the server for old clients; the UI uses models[]. */
export const quotaReadSchema = z.object({
  account_id: z.string(),
  region: z.string(),
  last_updated: z.string().nullable(),
  models: z.array(modelQuotaSchema),
  refresh: refreshReportSchema.optional(),
});
export type QuotaRead = z.infer<typeof quotaReadSchema>;

export const quotaKeys = {
  read: (accountId: string, region: string) => ['quota', accountId, 'read', region] as const,
  history: (accountId: string, region: string, modelId: string) =>
    ['quota', accountId, 'history', region, modelId] as const,
  refreshRoute: ['capabilities', 'quota-refresh'] as const,
};

/** The words of a value's refresh outcome, whatever form the server used. */
export function outcomeOf(v: QuotaValue | null | undefined): { status?: string; error?: string } {
  if (!v || v.outcome === undefined || v.outcome === null) return v?.error ? { error: v.error } : {};
  if (typeof v.outcome === 'string') return { status: v.outcome, error: v.error ?? undefined };
  const o = v.outcome;
  return { status: o.status ?? o.state ?? o.outcome, error: o.error ?? o.message ?? v.error ?? undefined };
}
