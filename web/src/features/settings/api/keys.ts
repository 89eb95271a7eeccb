// Every query key of the settings feature (teams: lib/api/queries/teams.ts, read by other features too).
import type { ListAuditData } from '@/lib/api/contract';

export const settingsKeys = {
  quotaConfig: ['settings', 'quota-config'] as const,
  availableModels: ['settings', 'available-models'] as const,
  /** Every page of the users list (invalidate this after a user changes). */
  users: ['settings', 'users'] as const,
  usersPage: (q: { cursor?: string; page_size?: number }) => ['settings', 'users', q] as const,
  audit: (q: NonNullable<ListAuditData['query']>) => ['settings', 'audit', q] as const,
};

export const jobKeys = {
  all: ['jobs'] as const,
  list: ['jobs', 'list'] as const,
  detail: (id: string) => ['jobs', 'detail', id] as const,
};
