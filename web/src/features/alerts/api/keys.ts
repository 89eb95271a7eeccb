// Every query key of the alerts feature.
import type { ListAlertsData } from '@/lib/api/contract';

/** The query of GET /api/alerts: state, account_id or rule_id, cursor and limit. */
export type AlertsQuery = NonNullable<ListAlertsData['query']>;

export const alertKeys = {
  /** Every alert read (invalidate this after an alert changes). */
  all: ['alerts'] as const,
  list: (q: AlertsQuery) => ['alerts', 'list', q] as const,
  /** The firing count of the navigation badge. */
  firingCount: ['alerts', 'firing-count'] as const,
  rules: ['alerts', 'rules'] as const,
  channels: ['alerts', 'channels'] as const,
  /** The quota config's models, for the model scope picker. */
  configModels: ['alerts', 'config-models'] as const,
};
