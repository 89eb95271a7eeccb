import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, ErrorMessage, Loading, ProgressBar } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useFormat } from '@/lib/use-format';
import { useFleetRefreshAvailable, useStartFleetRefresh } from '../api/start-fleet-refresh';
import { isJobFinished, useJob } from '../api/get-job';

/** Refresh every account's quotas in the background and follow the job live. */
export default function FleetRefreshPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const available = useFleetRefreshAvailable();
  const start = useStartFleetRefresh();
  const [jobId, setJobId] = useState<string>();
  const job = useJob(jobId);
  const routeGone = isApiError(start.error) && (start.error.status === 404 || start.error.status === 405);
  const unavailable = available.data === false || routeGone;
  const running = Boolean(jobId) && !isJobFinished(job.data) && !job.error;

  return (
    <section aria-labelledby="fleet-refresh-title">
      <h2 id="fleet-refresh-title">{t('fleet.title')}</h2>
      <p className="muted">{t('fleet.intro')}</p>
      {available.isPending && <Loading />}
      {unavailable && <p className="alert alert--info">{t('fleet.unavailable')}</p>}
      {!unavailable && available.data && (
        <button type="button" className="btn btn--primary" disabled={start.isPending || running} onClick={() => start.mutate(undefined, { onSuccess: (r) => setJobId(r.job_id) })}>
          {running ? t('fleet.running') : t('fleet.start')}
        </button>
      )}
      {start.error && !routeGone && <ErrorMessage error={start.error} />}
      {job.error && <ErrorMessage error={job.error} />}
      {job.data && (
        <div className="card section" aria-live="polite">
          <p>
            <Badge tone={/fail|error|interrupted/.test(job.data.state) ? 'error' : running ? 'info' : 'ok'}>
              {t(`fleet.jobState.${job.data.state}`, { defaultValue: job.data.state })}
            </Badge>{' '}
            {t('fleet.progress', { done: job.data.done, total: job.data.total, failed: job.data.failed })}
            {running && job.data.eta_seconds !== undefined && job.data.eta_seconds !== null && ` · ${t('fleet.eta', { eta: f.duration(job.data.eta_seconds) })}`}
          </p>
          <ProgressBar value={job.data.done} max={job.data.total} label={t('fleet.progressLabel')} />
          {job.data.accounts.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('accounts.accountId')}</th>
                    <th scope="col">{t('accounts.region')}</th>
                    <th scope="col">{t('fleet.state')}</th>
                    <th scope="col">{t('fleet.values')}</th>
                    <th scope="col">{t('fleet.error')}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.data.accounts.map((a, i) => {
                    const state = a.outcome ?? a.state ?? a.status;
                    return (
                      <tr key={`${a.account_id ?? i}/${a.region ?? ''}`}>
                        <td className="mono">
                          {a.account_id ? <Link to={`/accounts/${a.account_id}${a.region ? `?region=${a.region}` : ''}`}>{a.account_name ?? a.account_id}</Link> : '—'}
                        </td>
                        <td>{a.region ?? '—'}</td>
                        <td>
                          {state ? (
                            <Badge tone={state === 'ok' ? 'ok' : state === 'partial' ? 'warn' : state === 'failed' ? 'error' : 'muted'}>
                              {t(`fleet.jobState.${state}`, { defaultValue: state })}
                            </Badge>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td className="small">
                          {a.values_ok !== undefined ? t('fleet.valuesCount', { ok: a.values_ok, failed: a.values_failed ?? 0 }) : '—'}
                        </td>
                        <td className="small text-error">{a.error ?? a.message ?? ''}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
