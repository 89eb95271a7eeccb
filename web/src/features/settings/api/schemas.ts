import { z } from 'zod';

export const modelSpecSchema = z.object({
  model_id: z.string(),
  display_name: z.string(),
  quota_code_tpm: z.string().nullable(),
  quota_code_rpm: z.string().nullable(),
  enabled: z.boolean(),
  show_in_dashboard: z.boolean(),
  has_1m_context: z.boolean(),
  quota_code_tpm_1m: z.string().nullable(),
  quota_code_rpm_1m: z.string().nullable(),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

export const quotaConfigSchema = z.object({
  config_id: z.string(),
  models: z.array(modelSpecSchema),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable().optional(),
  version: z.number(),
});
export type QuotaConfig = z.infer<typeof quotaConfigSchema>;

export const teamSchema = z.object({
  team_id: z.string(),
  name: z.string(),
  created_at: z.string().nullable().optional(),
});
export type Team = z.infer<typeof teamSchema>;

export const settingsKeys = {
  quotaConfig: ['settings', 'quota-config'] as const,
  availableModels: ['settings', 'available-models'] as const,
  users: ['settings', 'users'] as const,
  teams: ['settings', 'teams'] as const,
  audit: (q: object) => ['settings', 'audit', q] as const,
  fleetRefreshRoute: ['capabilities', 'fleet-refresh'] as const,
  job: (id: string) => ['jobs', id] as const,
};
