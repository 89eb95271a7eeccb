import type { DashboardStats, QuotaState } from '@/lib/api/contract';

/** One row of the dashboard grid: an account in one of its regions, with the dashboard models' cached values. */
export type GridRow = DashboardStats['accounts'][number];

/** One dimension's cached value in a grid row (value null when missing, never 0). */
export type RowValue = GridRow['values'][string][string];

/** One model's values in a grid row, by dimension (tpm, rpm, and tpm_1m / rpm_1m for 1M-context models). */
export type RowModelValues = GridRow['values'][string];

/** One model's 24-hour headroom in a grid row (absent from `headroom` when the row's usage has none for it). */
export type RowHeadroom = GridRow['headroom'][string];

const WORST_FIRST: QuotaState[] = ['error', 'stale', 'never', 'ok'];

/** The worst state of a model's values (error > stale > never > ok), as the quota read's model status. */
export function worstState(values: RowModelValues): QuotaState {
  const states = Object.values(values).map((v) => v.state);
  return WORST_FIRST.find((s) => states.includes(s)) ?? 'ok';
}

/** `text` cut to `max` characters (with "…"), for a grid cell; the full text goes in a title. */
export function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The reason of the first of a model's values whose last read failed (stale or error), or null when none did. */
export function failedReason(values: RowModelValues): string | null {
  const failed = Object.values(values).find((v) => (v.state === 'stale' || v.state === 'error') && v.reason);
  return failed?.reason ?? null;
}

/** When the newest read of a model's values was attempted, or null when none was. */
export function latestAttempt(values: RowModelValues): string | null {
  const times = Object.values(values)
    .map((v) => v.attempted_at)
    .filter((x): x is string => Boolean(x));
  return times.sort().at(-1) ?? null;
}

/** When the newest of a model's values was read, or null when none was. */
export function latestRead(values: RowModelValues): string | null {
  const times = Object.values(values)
    .map((v) => v.read_at)
    .filter((x): x is string => Boolean(x));
  return times.sort().at(-1) ?? null;
}
