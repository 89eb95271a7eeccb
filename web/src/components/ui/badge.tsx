import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type BadgeTone = 'ok' | 'warn' | 'error' | 'muted' | 'info';

export function Badge({ tone = 'muted', children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATE_TONE: Record<string, BadgeTone> = { ok: 'ok', stale: 'warn', error: 'error', never: 'muted' };

/** The freshness of a quota value or model: ok, stale, error or never read. */
export function StateBadge({ state, title }: { state: string; title?: string }) {
  const { t } = useTranslation();
  const known = state in STATE_TONE;
  return (
    <Badge tone={STATE_TONE[state] ?? 'muted'} title={title}>
      {known ? t(`quota.state.${state}`) : state}
    </Badge>
  );
}
