// Hand-written SVG step charts of one model's quota values over time (from /quota/history), TPM and RPM each on its
// own scale, with the model's hourly usage (from /usage/history: the busiest minute of each hour) drawn as bars under
// the quota line and throttle markers on the hours with throttles. An hour without data is a gap, never a 0 bar.
// Loaded lazily.
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { QuotaHistory } from '../api/get-quota-history';
import type { UsageHistory, UsageHistoryPoint } from '../api/get-usage-history';

const W = 480;
const H = 200;
const PAD = { left: 48, right: 10, top: 14, bottom: 24 };
const HOUR = 3600_000;
const COLORS: Record<string, string> = {
  tpm: 'var(--c-primary)',
  rpm: 'var(--c-accent)',
  tpm_1m: 'var(--c-violet)',
  rpm_1m: 'var(--c-teal)',
};

type QuotaDim = 'tpm' | 'rpm' | 'tpm_1m' | 'rpm_1m';
interface QuotaPoint {
  at: string;
  t: number;
  dimension: QuotaDim;
  value: number | null;
  state: string;
}

interface PanelSpec {
  key: 'tpm' | 'rpm';
  dims: QuotaDim[];
  usageOf: (p: UsageHistoryPoint) => number | null;
}

const PANELS: PanelSpec[] = [
  { key: 'tpm', dims: ['tpm', 'tpm_1m'], usageOf: (p) => p.weighted_tokens_peak },
  { key: 'rpm', dims: ['rpm', 'rpm_1m'], usageOf: (p) => p.requests_peak },
];

/** The quota step path of one dimension over [t0, t1]: starts from the last value at or before t0; null breaks it. */
export function stepPath(
  ps: QuotaPoint[],
  t0: number,
  t1: number,
  x: (tm: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  let prevY: number | null = null;
  const before = ps.filter((p) => p.t <= t0).at(-1);
  if (before && before.value !== null) {
    prevY = y(before.value);
    d = `M${x(t0)},${prevY}`;
  }
  for (const p of ps.filter((q) => q.t > t0 && q.t <= t1)) {
    if (p.value === null) {
      prevY = null;
      continue;
    }
    const px = x(p.t);
    const py = y(p.value);
    d += prevY === null ? `M${px},${py}` : `H${px}V${py}`;
    prevY = py;
  }
  if (prevY !== null) d += `H${x(t1)}`;
  return d;
}

function Panel({
  spec,
  points,
  hours,
  t0,
  t1,
}: {
  spec: PanelSpec;
  points: QuotaPoint[];
  hours: (UsageHistoryPoint & { t: number })[];
  t0: number;
  t1: number;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const ps = points.filter((p) => spec.dims.includes(p.dimension));
  const dims = spec.dims.filter((d) => ps.some((p) => p.dimension === d));
  const used = hours.map((h) => ({ ...h, v: spec.usageOf(h) }));
  const max = Math.max(1, ...ps.map((p) => p.value ?? 0), ...used.map((h) => h.v ?? 0));
  const x = (tm: number) => PAD.left + ((tm - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const barW = Math.max(1, x(t0 + HOUR) - x(t0) - 0.5);
  const ticks = [0, 0.5, 1].map((r) => r * max);
  const label = t(`quota.dim.${spec.key}`);
  const title = `${t('quota.historyTitle')} · ${label}`;
  const throttled = used.filter((h) => h.throttles !== null && h.throttles > 0);

  return (
    <div className="chart__panel" data-testid={`history-panel-${spec.key}`}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title} className="chart__svg chart__svg--wide">
        <title>{title}</title>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="chart__grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart__label">
              {f.compact(v)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={H - 6} className="chart__label">
          {f.dateTime(new Date(t0).toISOString())}
        </text>
        <text x={W - PAD.right} y={H - 6} textAnchor="end" className="chart__label">
          {f.dateTime(new Date(t1).toISOString())}
        </text>
        {used.map((h) =>
          h.v === null ? null : (
            <rect
              key={h.hour}
              x={x(h.t)}
              y={y(h.v)}
              width={barW}
              height={Math.max(0, H - PAD.bottom - y(h.v))}
              className="chart__usage"
              data-testid={`usage-bar-${spec.key}`}
            >
              <title>{`${f.dateTime(h.hour)}: ${f.full(h.v)}`}</title>
            </rect>
          ),
        )}
        {dims.map((dim) => (
          <g key={dim}>
            <path
              d={stepPath(
                ps.filter((p) => p.dimension === dim),
                t0,
                t1,
                x,
                y,
              )}
              fill="none"
              stroke={COLORS[dim] ?? 'currentColor'}
              strokeWidth={2}
            />
            {ps
              .filter((p) => p.dimension === dim && p.value !== null && p.state !== 'ok' && p.t >= t0)
              .map((p) => (
                <circle
                  key={p.at}
                  cx={x(p.t)}
                  cy={y(p.value ?? 0)}
                  r={3.5}
                  className={`chart__dot chart__dot--${p.state}`}
                />
              ))}
          </g>
        ))}
        {throttled.map((h) => (
          <path
            key={h.hour}
            d={`M${x(h.t) + barW / 2 - 4},${PAD.top - 10}h8l-4,7z`}
            className="chart__throttle"
            data-testid={`throttle-mark-${spec.key}`}
          >
            <title>{t('usage.historyThrottleTitle', { when: f.dateTime(h.hour), n: f.full(h.throttles) })}</title>
          </path>
        ))}
      </svg>
      <p className="chart__legend">
        {dims.map((dim) => (
          <span key={dim}>
            <span className="chart__swatch" style={{ background: COLORS[dim] }} aria-hidden="true" />
            {t(`quota.dim.${dim}`)}
          </span>
        ))}
        {used.some((h) => h.v !== null) && (
          <span>
            <span className="chart__swatch chart__swatch--usage" aria-hidden="true" />
            {t('usage.historyUsage')}
          </span>
        )}
        {throttled.length > 0 && (
          <span className="throttles--some">
            ▼ {t('usage.historyThrottles')}: {throttled.length}
          </span>
        )}
      </p>
    </div>
  );
}

export default function HistoryChart({ history, usage }: { history: QuotaHistory; usage?: UsageHistory }) {
  const { t } = useTranslation();
  const points: QuotaPoint[] = history.items
    .flatMap((p) =>
      p.dimension ? [{ at: p.at, t: Date.parse(p.at), dimension: p.dimension, value: p.value, state: p.state }] : [],
    )
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const hours = (usage?.items ?? [])
    .map((h) => ({ ...h, t: Date.parse(h.hour) }))
    .filter((h) => !Number.isNaN(h.t))
    .sort((a, b) => a.t - b.t);
  const hasUsage = hours.some((h) => h.requests_peak !== null || h.weighted_tokens_peak !== null);
  if (points.length === 0 && !hasUsage) return <p className="muted">{t('quota.historyEmpty')}</p>;

  // With usage, the charts show the usage window (7 days at most) from the first hour with data or the first quota
  // event in it, at least a day wide, and the quota line as it stood over it; without, the whole quota history.
  let t0 = points.length ? points[0].t : 0;
  let t1 = points.length ? Math.max(points[points.length - 1].t, t0 + 1) : 1;
  if (hasUsage) {
    const start = hours[0].t;
    t1 = hours[hours.length - 1].t + HOUR;
    const firstData = hours.find((h) => h.requests_peak !== null || h.weighted_tokens_peak !== null)?.t ?? start;
    const firstEvent = points.find((p) => p.t >= start)?.t ?? firstData;
    t0 = Math.max(start, Math.min(firstData, firstEvent, t1 - 24 * HOUR));
  }
  const shown = hours.filter((h) => h.t >= t0);
  return (
    <figure className="chart chart--multiples">
      {PANELS.map((spec) => (
        <Panel key={spec.key} spec={spec} points={points} hours={shown} t0={t0} t1={t1} />
      ))}
    </figure>
  );
}
