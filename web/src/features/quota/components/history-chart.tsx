// The quota history of one model (from /quota/history) with its hourly usage (from /usage/history: the busiest minute
// of each hour): small multiples, TPM and RPM each on its own scale (history-panel.tsx), or the same events as a
// table (a toggle), so every value is reachable without hovering. Loaded lazily.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { QuotaHistory } from '../api/get-quota-history';
import type { UsageHistory } from '../api/get-usage-history';
import { HistoryPanel, LineSample, type PanelSpec, type QuotaPoint } from './history-panel';
import './quota-explained.css';

export { stepPath } from './history-panel';

const HOUR = 3600_000;

const PANELS: PanelSpec[] = [
  { key: 'tpm', dims: ['tpm', 'tpm_1m'], usageOf: (p) => p.weighted_tokens_peak },
  { key: 'rpm', dims: ['rpm', 'rpm_1m'], usageOf: (p) => p.requests_peak },
];

/** The history's points in time order, each marked where its series went from AWS's default to an applied value. */
export function historyPoints(history: QuotaHistory): QuotaPoint[] {
  const points: QuotaPoint[] = history.items
    .flatMap((p) =>
      p.dimension
        ? [
            {
              key: p.history_id,
              at: p.at,
              t: Date.parse(p.at),
              dimension: p.dimension,
              value: p.value,
              previous: p.previous_value,
              state: p.state,
              source: p.source,
              event: p.event,
              code: p.quota_code,
              toApplied: false,
            },
          ]
        : [],
    )
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const lastSource: Record<string, QuotaPoint['source']> = {};
  for (const p of points) {
    if (p.value === null) continue;
    p.toApplied = lastSource[p.dimension] === 'aws_default' && p.source === 'applied';
    lastSource[p.dimension] = p.source;
  }
  return points;
}

function HistoryTable({ points, modelName }: { points: QuotaPoint[]; modelName: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const c = (k: string) => t(`quotaExplained.chart.${k}`);
  return (
    <div className="history__table" data-testid="history-table">
      <DataTable
        caption={t('quotaExplained.chart.tableCaption', { model: modelName })}
        columns={[c('time'), c('quota'), c('value'), c('previous'), c('source'), c('event')]}
      >
        {[...points].reverse().map((p) => (
          <tr key={p.key}>
            <td>{f.dateTime(p.at)}</td>
            <td>
              <LineSample dim={p.dimension} />
              {t(`quota.dim.${p.dimension}`)} <span className="mono small muted">{p.code}</span>
            </td>
            <td title={f.full(p.value)}>{f.compact(p.value)}</td>
            <td>{f.compact(p.previous)}</td>
            <td>{p.source ? t(p.source === 'applied' ? 'quota.applied' : 'quota.awsDefault') : c('noSource')}</td>
            <td>
              {t(`quotaExplained.event.${p.event}`)}
              {p.toApplied && <strong> · {c('toApplied')}</strong>}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export default function HistoryChart({
  history,
  usage,
  modelName = '',
}: {
  history: QuotaHistory;
  usage?: UsageHistory;
  modelName?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [asTable, setAsTable] = useState(false);
  const points = historyPoints(history);
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
  const describe = (p: QuotaPoint) => {
    const vars = {
      dim: t(`quota.dim.${p.dimension}`),
      value: f.full(p.value),
      source: p.source ? t(p.source === 'applied' ? 'quota.applied' : 'quota.awsDefault') : '',
      event: t(`quotaExplained.event.${p.event}`) + (p.toApplied ? ` (${t('quotaExplained.chart.toApplied')})` : ''),
      when: f.dateTime(p.at),
    };
    return t(p.value === null ? 'quotaExplained.chart.pointNoValue' : 'quotaExplained.chart.point', vars);
  };
  return (
    <>
      <div className="history__tools">
        <button type="button" className="btn btn--small" onClick={() => setAsTable(!asTable)}>
          {asTable ? t('quotaExplained.chart.showChart') : t('quotaExplained.chart.showTable')}
        </button>
        {!asTable && points.length > 0 && <span className="small muted">{t('quotaExplained.chart.pointsHint')}</span>}
      </div>
      {asTable ? (
        <HistoryTable points={points} modelName={modelName} />
      ) : (
        <figure className="chart chart--multiples">
          {PANELS.map((spec) => (
            <HistoryPanel
              key={spec.key}
              spec={spec}
              points={points}
              hours={shown}
              t0={t0}
              t1={t1}
              describe={describe}
            />
          ))}
        </figure>
      )}
    </>
  );
}
