// How alerts and rules read for people: condition sentences, values and targets, in the current language.
import type { TFunction } from 'i18next';
import type { Alert, AlertCondition, AlertRule } from '@/lib/api/contract';

export const CONDITIONS: readonly AlertCondition[] = [
  'headroom_below',
  'throttles_above',
  'quota_lowered',
  'refresh_failing',
  'usage_missing',
];

/** Conditions measured over a window against a threshold (the others over a duration). */
export const usesThreshold = (c: AlertCondition) => c === 'headroom_below' || c === 'throttles_above';

/** A fraction as a percentage for reading: 0.125 → "12.5 %"; null → "—". */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${Math.round(fraction * 1000) / 10} %`;
}

/** The rule's condition as one line: "Headroom below 20 % over 1 h", "Refresh failing for 30 min". */
export function describeRule(
  t: TFunction,
  rule: Pick<AlertRule, 'condition' | 'threshold' | 'window' | 'duration_minutes'>,
) {
  const window = rule.window ? t(`alerts.window.${rule.window}`) : t('alerts.window.1h');
  switch (rule.condition) {
    case 'headroom_below':
      return t('alerts.describe.headroom_below', { value: percent(rule.threshold), window });
    case 'throttles_above':
      return t('alerts.describe.throttles_above', { value: rule.threshold ?? '—', window });
    default:
      return t(`alerts.describe.${rule.condition}`, { minutes: rule.duration_minutes ?? '—' });
  }
}

/** The alert's last observed figure in the unit of its condition. */
export function alertValue(t: TFunction, alert: Pick<Alert, 'condition' | 'value'>): string {
  if (alert.value === null) return '—';
  switch (alert.condition) {
    case 'headroom_below':
      return percent(alert.value);
    case 'throttles_above':
      return t('alerts.value.throttles', { count: alert.value });
    case 'refresh_failing':
    case 'usage_missing':
    case 'quota_lowered':
      return t('alerts.value.minutes', { count: Math.round(alert.value) });
    default:
      return String(alert.value);
  }
}

/** An ISO time `ms` milliseconds after `now`, to the second. */
export function isoAfter(now: number, ms: number): string {
  return new Date(Math.floor((now + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Whether a mute is in force at `now`. */
export const isMuted = (alert: Pick<Alert, 'muted_until'>, now: number) =>
  Boolean(alert.muted_until && Date.parse(alert.muted_until) > now);
