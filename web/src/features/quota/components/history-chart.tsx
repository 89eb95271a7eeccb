// Hand-written SVG step chart of one model's quota values over time (from /quota/history). Loaded lazily.
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { QuotaHistory } from '../api/get-quota-history';

const W = 640;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };
const COLORS: Record<string, string> = {
  tpm: 'var(--c-primary)',
  rpm: 'var(--c-accent)',
  tpm_1m: 'var(--c-violet)',
  rpm_1m: 'var(--c-teal)',
};

export default function HistoryChart({ history }: { history: QuotaHistory }) {
  const { t } = useTranslation();
  const f = useFormat();
  const points = history.items
    .flatMap((p) => (p.dimension ? [{ ...p, dimension: p.dimension, t: Date.parse(p.at) }] : []))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return <p className="muted">{t('quota.historyEmpty')}</p>;

  const dims = Array.from(new Set(points.map((p) => p.dimension)));
  const t0 = points[0].t;
  const t1 = Math.max(points[points.length - 1].t, t0 + 1);
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const x = (tm: number) => PAD.left + ((tm - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);

  const series = dims.map((dim) => {
    const ps = points.filter((p) => p.dimension === dim);
    let d = '';
    let prevY: number | null = null;
    for (const p of ps) {
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
    return { dim, d, ps };
  });

  const ticks = [0, 0.5, 1].map((r) => r * max);
  const title = t('quota.historyTitle');
  return (
    <figure className="chart">
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
        <text x={PAD.left} y={H - 8} className="chart__label">
          {f.dateTime(points[0].at)}
        </text>
        <text x={W - PAD.right} y={H - 8} textAnchor="end" className="chart__label">
          {f.dateTime(points[points.length - 1].at)}
        </text>
        {series.map((s) => (
          <g key={s.dim}>
            <path d={s.d} fill="none" stroke={COLORS[s.dim] ?? 'currentColor'} strokeWidth={2} />
            {s.ps
              .filter((p) => p.value !== null && p.state !== 'ok')
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
      </svg>
      <figcaption className="chart__legend">
        {series.map((s) => (
          <span key={s.dim}>
            <span
              className="chart__swatch"
              style={{ background: COLORS[s.dim] ?? 'currentColor' }}
              aria-hidden="true"
            />
            {t(`quota.dim.${s.dim}`, { defaultValue: s.dim })}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
