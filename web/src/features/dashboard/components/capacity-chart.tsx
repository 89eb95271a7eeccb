// Hand-written SVG bar chart of one model's TPM per account-region on the visible page, plus the fleet's coverage
// (fresh / stale / missing). Loaded lazily: the dashboard shows its numbers before the chart code arrives.
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { DashboardModel } from '@/lib/api/contract';
import type { GridRow } from './types';

// Sized for a dashboard card (about 280-320 px wide), so the text is drawn near 1:1.
const BAR_H = 16;
const GAP = 6;
const LABEL_W = 118;
const VALUE_W = 44;
const WIDTH = 300;

export default function CapacityChart({ model, rows }: { model: DashboardModel; rows: GridRow[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const bars = rows.map((r) => {
    const tpm = r.values[model.model_id]?.tpm;
    return {
      key: `${r.account_id}/${r.region}`,
      label: `${r.account_name} · ${r.region}`,
      value: tpm?.value ?? null,
      state: tpm?.state ?? 'never',
    };
  });
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const height = Math.max(1, bars.length) * (BAR_H + GAP);
  const cov = model.tpm;
  const covTotal = cov.fresh + cov.stale + cov.missing;
  const pct = (n: number) => (covTotal > 0 ? (n / covTotal) * 100 : 0);
  const title = t('dashboard.chartTitle', { model: model.display_name });

  return (
    <figure className="chart">
      <figcaption className="small muted">{t('dashboard.chartCaption')}</figcaption>
      {bars.length === 0 ? (
        <p className="muted small">{t('dashboard.noAccounts')}</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title} className="chart__svg">
          <title>{title}</title>
          {bars.map((b, i) => {
            const y = i * (BAR_H + GAP);
            const w = b.value === null ? 0 : Math.max(2, (b.value / max) * plotW);
            return (
              <g key={b.key}>
                <title>{`${b.label}: ${f.full(b.value)}`}</title>
                <text x={LABEL_W - 6} y={y + BAR_H - 5} textAnchor="end" className="chart__label">
                  {b.label.length > 17 ? `${b.label.slice(0, 16)}…` : b.label}
                </text>
                <rect x={LABEL_W} y={y} width={plotW} height={BAR_H} className="chart__track" />
                {b.value !== null && (
                  <rect x={LABEL_W} y={y} width={w} height={BAR_H} className={`chart__bar chart__bar--${b.state}`} />
                )}
                <text x={WIDTH - VALUE_W + 6} y={y + BAR_H - 5} className="chart__value">
                  {f.compact(b.value)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <div className="coverage" aria-label={t('dashboard.coverage')}>
        <div className="coverage__bar" aria-hidden="true">
          <span className="coverage__fresh" style={{ width: `${pct(cov.fresh)}%` }} />
          <span className="coverage__stale" style={{ width: `${pct(cov.stale)}%` }} />
          <span className="coverage__missing" style={{ width: `${pct(cov.missing)}%` }} />
        </div>
        <p className="small muted">
          {t('dashboard.coverageText', { fresh: cov.fresh, stale: cov.stale, missing: cov.missing })}
        </p>
      </div>
    </figure>
  );
}
