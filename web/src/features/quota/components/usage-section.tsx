// The account page's usage parts (issue 13): the usage poll's state, the usage refresh with its per-region report,
// the window picker of the quota cards and the "other traffic" table. The figures come with the quota read.
import { useTranslation } from 'react-i18next';
import { DataTable, ErrorMessage, softDisabled } from '@/components/ui';
import { useFormat } from '@/lib/use-format';
import type { QuotaRead, SeriesUsage } from '@/lib/api/contract';
import { useRefreshAccountUsage } from '../api/refresh-account-usage';
import type { UsageWindow } from './quota-card';

export const USAGE_WINDOWS: UsageWindow[] = ['1h', '24h', '7d'];

/** "Usage as of T"; stale: the poll's error and when the last good poll was; never: "usage not polled yet". */
export function UsageStatusLine({ usage }: { usage: QuotaRead['usage'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (usage.state === 'never') return <p className="small muted usage-status">{t('usage.never')}</p>;
  if (usage.state === 'stale')
    return (
      <p className="small text-warn usage-status" data-testid="usage-status">
        {t('usage.stale', { message: usage.error_message ?? usage.error_code ?? '—' })}
        {' · '}
        {usage.polled_at ? t('usage.lastGood', { when: f.dateTime(usage.polled_at) }) : t('usage.neverGood')}
      </p>
    );
  return (
    <p className="small muted usage-status" data-testid="usage-status">
      {t('usage.asOf', { when: f.dateTime(usage.polled_at) })}
    </p>
  );
}

/** 1 h / 24 h / 7 d for the usage shown on the quota cards. */
export function UsageWindowPicker({ value, onChange }: { value: UsageWindow; onChange: (w: UsageWindow) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="segmented">
      <legend className="field__label">{t('usage.window')}</legend>
      {USAGE_WINDOWS.map((w) => (
        <label key={w} className="segmented__option">
          <input type="radio" name="usage-window" value={w} checked={value === w} onChange={() => onChange(w)} />{' '}
          {t(`usage.windows.${w}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** "Refresh usage from CloudWatch" and, after it, one line per region (stale regions with their message). */
export function UsageRefreshControl({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const refresh = useRefreshAccountUsage(accountId);
  const stale = refresh.data?.regions.some((r) => r.state === 'stale') ?? false;
  return (
    <div className="refresh">
      <div className="refresh__row">
        <button type="button" className="btn" {...softDisabled(refresh.isPending, () => refresh.mutate())}>
          {refresh.isPending ? t('usage.refreshing') : t('usage.refresh')}
        </button>
      </div>
      {refresh.data && (
        <div className={`alert ${stale ? 'alert--warn' : 'alert--success'}`} role={stale ? 'alert' : 'status'}>
          <ul className="usage-report">
            {refresh.data.regions.map((r) => (
              <li key={r.region}>
                {r.state === 'ok'
                  ? t('usage.reportOk', { region: r.region, series: r.series })
                  : t('usage.reportStale', { region: r.region, message: r.error_message ?? r.error_code ?? '—' })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {refresh.error && <ErrorMessage error={refresh.error} />}
    </div>
  );
}

/** The series shown beside the model cards: those matching no model, and geo / in-Region series (not counted). */
export function otherSeries(series: SeriesUsage[]): SeriesUsage[] {
  return series.filter((s) => s.model_id === null || !s.counts_against_quota);
}

/** Other traffic: every series of the poll that is not counted in a card, with its 24-hour peak requests/min. */
export function OtherTraffic({ read }: { read: QuotaRead }) {
  const { t } = useTranslation();
  const f = useFormat();
  const rows = otherSeries(read.usage_series);
  if (rows.length === 0) return null;
  const name = (id: string | null) =>
    id === null ? t('usage.noModel') : (read.models.find((m) => m.model_id === id)?.display_name ?? id);
  return (
    <section aria-labelledby="other-traffic-title" className="section">
      <h3 id="other-traffic-title">{t('usage.otherTitle')}</h3>
      <p className="small muted">{t('usage.otherCaption')}</p>
      <DataTable
        caption={t('usage.otherTitle')}
        columns={[t('usage.series'), t('usage.scope'), t('usage.model'), t('usage.peakRequests')]}
      >
        {rows.map((s) => {
          const day = s.usage.windows.find((w) => w.window === '24h');
          return (
            <tr key={s.series}>
              <th scope="row" className="mono small">
                {s.series}
              </th>
              <td>{s.scope}</td>
              <td>{name(s.model_id)}</td>
              <td title={f.full(day?.requests.peak)}>{f.compact(day?.requests.peak)}</td>
            </tr>
          );
        })}
      </DataTable>
    </section>
  );
}
