// One panel of the history chart (TPM or RPM, each on its own scale): the quota as a step line per dimension (1M
// dimensions dashed, with square markers, so overlapping series differ by more than colour), a focusable marker per
// recorded value (arrow keys move between them; the focused or hovered one shows a tooltip and the readout under the
// chart says it in words), a dashed annotation where a value went from AWS's default to an applied value, and the
// model's hourly usage as bars with throttle marks. An hour without data is a gap, never a 0 bar.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { UsageHistoryPoint } from '../api/get-usage-history';

export const H = 200;
export const PAD = { left: 48, right: 10, top: 14, bottom: 24 };
const HOUR = 3600_000;
const COLORS: Record<string, string> = {
  tpm: 'var(--c-primary)',
  rpm: 'var(--c-accent)',
  tpm_1m: 'var(--c-violet)',
  rpm_1m: 'var(--c-teal)',
};
/** 1M-context series are dashed and drawn with square markers; the others solid with round ones. */
const isOneM = (dim: string) => dim.endsWith('_1m');

export type QuotaDim = 'tpm' | 'rpm' | 'tpm_1m' | 'rpm_1m';
export interface QuotaPoint {
  key: string;
  at: string;
  t: number;
  dimension: QuotaDim;
  value: number | null;
  previous: number | null;
  state: string;
  source: 'applied' | 'aws_default' | null;
  event: string;
  code: string;
  /** This point is where the value went from AWS's default to an applied value. */
  toApplied: boolean;
}

export interface PanelSpec {
  key: 'tpm' | 'rpm';
  dims: QuotaDim[];
  usageOf: (p: UsageHistoryPoint) => number | null;
}

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

/** The width the panel has on screen (its chart is drawn 1:1, so text stays readable on a phone); 480 until measured. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(480);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => {
      const w = Math.round(entry.contentRect.width);
      if (w > 0) setWidth(Math.max(260, Math.min(760, w)));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}

/** A series marker: a circle, or a square for 1M-context series. */
function Marker({ dim, cx, cy, state }: { dim: string; cx: number; cy: number; state: string }) {
  const cls = `history__marker chart__dot--${state}`;
  const fill = state === 'ok' ? COLORS[dim] : undefined;
  return isOneM(dim) ? (
    <rect x={cx - 4} y={cy - 4} width={8} height={8} className={cls} fill={fill} stroke="#fff" strokeWidth={1} />
  ) : (
    <circle cx={cx} cy={cy} r={4.5} className={cls} fill={fill} stroke="#fff" strokeWidth={1} />
  );
}

/** The legend sample of a series: its line style and marker. */
export function LineSample({ dim }: { dim: string }) {
  return (
    <svg width="26" height="12" className="chart__line-sample" aria-hidden="true" focusable="false">
      <line
        x1="1"
        x2="25"
        y1="6"
        y2="6"
        stroke={COLORS[dim] ?? 'currentColor'}
        strokeWidth={2}
        strokeDasharray={isOneM(dim) ? '6 4' : undefined}
      />
      <Marker dim={dim} cx={13} cy={6} state="ok" />
    </svg>
  );
}

export function HistoryPanel({
  spec,
  points,
  hours,
  t0,
  t1,
  describe,
}: {
  spec: PanelSpec;
  points: QuotaPoint[];
  hours: (UsageHistoryPoint & { t: number })[];
  t0: number;
  t1: number;
  /** The words of a point (its tooltip, accessible name and readout). */
  describe: (p: QuotaPoint) => string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [boxRef, W] = useWidth();
  const svgRef = useRef<SVGSVGElement>(null);
  const [active, setActive] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);
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
  // The focusable markers, in time order (one tab stop per panel; arrow keys move between them).
  const marks = ps.filter((p) => p.value !== null && p.t >= t0 && p.t <= t1);
  const tabKey = focusKey && marks.some((p) => p.key === focusKey) ? focusKey : (marks.at(-1)?.key ?? null);
  const shown = marks.find((p) => p.key === active) ?? null;
  const steps = marks.filter((p) => p.toApplied);

  function moveFocus(e: KeyboardEvent, i: number) {
    const to =
      e.key === 'ArrowRight' || e.key === 'ArrowUp'
        ? i + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowDown'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? marks.length - 1
              : null;
    if (to === null || to < 0 || to >= marks.length) return;
    e.preventDefault();
    const key = marks[to].key;
    setFocusKey(key);
    // Keys are history ids ("h_" + hex + the quota code): safe in an attribute selector as they are.
    svgRef.current?.querySelector<SVGGElement>(`[data-point="${key}"]`)?.focus();
  }

  // The tooltip: two short lines beside the point, kept inside the plot.
  let tip = null;
  if (shown && shown.value !== null) {
    const line1 = `${t(`quota.dim.${shown.dimension}`)} ${f.compact(shown.value)} · ${
      shown.source ? t(shown.source === 'applied' ? 'quota.applied' : 'quota.awsDefault') : ''
    }`;
    const line2 = f.dateTime(shown.at);
    const w = Math.max(line1.length, line2.length) * 6.6 + 12;
    const px = x(shown.t);
    const py = y(shown.value);
    const bx = Math.min(Math.max(PAD.left, px - w / 2), W - PAD.right - w);
    const by = py - 46 < 0 ? py + 10 : py - 46;
    tip = (
      <g aria-hidden="true" pointerEvents="none" data-testid={`history-tip-${spec.key}`}>
        <rect x={bx} y={by} width={w} height={36} rx={4} className="history__tip-box" />
        <text x={bx + 6} y={by + 15} className="history__tip">
          {line1}
        </text>
        <text x={bx + 6} y={by + 30} className="history__tip">
          {line2}
        </text>
      </g>
    );
  }

  return (
    <div className="chart__panel history__panel" data-testid={`history-panel-${spec.key}`} ref={boxRef}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="group"
        aria-label={title}
        className="chart__svg chart__svg--wide"
      >
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
        {steps.map((p) => (
          <g key={`step-${p.key}`} data-testid={`history-step-${spec.key}`}>
            <line x1={x(p.t)} x2={x(p.t)} y1={PAD.top} y2={H - PAD.bottom} className="history__annotation" />
            <text
              x={x(p.t) + (x(p.t) > W / 2 ? -4 : 4)}
              y={PAD.top + 10}
              textAnchor={x(p.t) > W / 2 ? 'end' : 'start'}
              className="history__annotation-label"
            >
              {t('quotaExplained.chart.toApplied')}
            </text>
          </g>
        ))}
        {dims.map((dim) => (
          <path
            key={dim}
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
            strokeDasharray={isOneM(dim) ? '6 4' : undefined}
            data-dim={dim}
          />
        ))}
        {marks.map((p, i) => (
          <g
            key={p.key}
            data-point={p.key}
            data-testid={`history-point-${p.dimension}`}
            className="history__point"
            role="img"
            aria-label={describe(p)}
            tabIndex={p.key === tabKey ? 0 : -1}
            onFocus={() => {
              setActive(p.key);
              setFocusKey(p.key);
            }}
            onBlur={() => setActive((a) => (a === p.key ? null : a))}
            onMouseEnter={() => setActive(p.key)}
            onMouseLeave={() => setActive((a) => (a === p.key ? null : a))}
            onKeyDown={(e) => moveFocus(e, i)}
          >
            <circle cx={x(p.t)} cy={y(p.value ?? 0)} r={9} className="history__halo" />
            <Marker dim={p.dimension} cx={x(p.t)} cy={y(p.value ?? 0)} state={p.state} />
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
        {tip}
      </svg>
      <p className="history__readout" aria-live="polite" data-testid={`history-readout-${spec.key}`}>
        {shown ? describe(shown) : ''}
      </p>
      <p className="chart__legend">
        {dims.map((dim) => (
          <span key={dim}>
            <LineSample dim={dim} />
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
      {steps.map((p) => (
        <p key={`step-text-${p.key}`} className="small muted">
          {t('quotaExplained.chart.toAppliedLong', {
            dim: t(`quota.dim.${p.dimension}`),
            from: f.compact(p.previous),
            to: f.compact(p.value),
            when: f.dateTime(p.at),
          })}
        </p>
      ))}
    </div>
  );
}
