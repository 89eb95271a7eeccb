// Usage against a quota, for the dashboard grid, the account page's quota cards and the "closest to the limit" list.
// Colour is never the only signal: every bar carries its used share (or "over quota", or "no usage data") as text.
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';

/** How close a used share is to its quota: red from 90 % used, amber from 75 %, else green. */
export type UsageLevel = 'ok' | 'warn' | 'high';

/** The level of a used share (0.92 = 92 % of the quota used; above 1 = over the quota). */
export function usageLevel(used: number): UsageLevel {
  if (used >= 0.9) return 'high';
  if (used >= 0.75) return 'warn';
  return 'ok';
}

/** The used share of a headroom (headroom = 1 − peak / quota, so used = 1 − headroom); null stays null. */
export function usedShare(headroom: number | null | undefined): number | null {
  return headroom === null || headroom === undefined || !Number.isFinite(headroom) ? null : 1 - headroom;
}

/** A whole percentage of a share: 0.921 → 92. */
export function percent(share: number): number {
  return Math.round(share * 100);
}

/**
 * One dimension's use of its quota as a bar with its text: "TPM 92 % used", "RPM over quota (130 %)", or "TPM no usage
 * data" when the headroom is unknown (never drawn as 0 %). `peak`, `p95` and `quota` (per minute) go into the title.
 */
export function UsageBar({
  label,
  headroom,
  peak,
  p95,
  quota,
}: {
  label: string;
  headroom: number | null | undefined;
  peak?: number | null;
  p95?: number | null;
  quota?: number | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const used = usedShare(headroom);
  const details = [
    peak !== undefined && t('usage.peak', { value: f.full(peak) }),
    p95 !== undefined && t('usage.p95', { value: f.full(p95) }),
    quota !== undefined && t('usage.quota', { value: f.full(quota) }),
  ].filter((x): x is string => Boolean(x));
  if (used === null) {
    return (
      <div className="usage-bar usage-bar--none" title={details.join(' · ') || undefined}>
        <span className="usage-bar__label">{label}</span>
        <span className="usage-bar__text muted">{t('usage.noData')}</span>
      </div>
    );
  }
  const pct = percent(used);
  // The level follows the percentage shown, so "90 % used" is always red.
  const level = usageLevel(pct / 100);
  const text = used > 1 ? t('usage.overQuota', { pct }) : t('usage.used', { pct });
  return (
    <div
      className={`usage-bar usage-bar--${level}`}
      title={details.join(' · ') || undefined}
      data-level={level}
      data-testid="usage-bar"
    >
      <span className="usage-bar__label">{label}</span>
      <span className="usage-bar__track" aria-hidden="true">
        <span className="usage-bar__fill" style={{ width: `${Math.max(0, Math.min(100, pct))}%` }} />
      </span>
      <span className="usage-bar__text">{text}</span>
      {details.length > 0 && <span className="sr-only">{` (${details.join(' · ')})`}</span>}
    </div>
  );
}

/**
 * Throttles of a window: "⚠ 12 throttled" when some, "no throttles" for a reported 0 (left out with `hideZero`), and
 * "—" with a title when CloudWatch reported none (null): unknown is never shown as 0.
 */
export function ThrottleMarker({ throttles, hideZero = false }: { throttles: number | null; hideZero?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (throttles === null)
    return (
      <span className="throttles throttles--unknown muted small" title={t('usage.throttlesUnknown')}>
        {t('usage.throttlesLabel')} —<span className="sr-only"> ({t('usage.throttlesUnknown')})</span>
      </span>
    );
  if (throttles === 0) return hideZero ? null : <span className="throttles muted small">{t('usage.noThrottles')}</span>;
  return (
    <span className="throttles throttles--some small" data-testid="throttle-marker">
      <span aria-hidden="true">⚠ </span>
      {t('usage.throttled', { count: throttles, n: f.full(throttles) })}
    </span>
  );
}
