// Every query key of the settings feature (teams: lib/api/queries/teams.ts, read by other features too).
import type { ListAuditData, ListJobItemsData, ListJobsData } from '@/lib/api/contract';

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
  /** Every page of the job list (invalidate this). */
  lists: ['jobs', 'list'] as const,
  list: (q: NonNullable<ListJobsData['query']>) => ['jobs', 'list', q] as const,
  detail: (id: string) => ['jobs', 'detail', id] as const,
  /** Every page of one job's items (invalidate this). */
  allItems: (id: string) => ['jobs', 'items', id] as const,
  items: (id: string, q: NonNullable<ListJobItemsData['query']>) => ['jobs', 'items', id, q] as const,
};
