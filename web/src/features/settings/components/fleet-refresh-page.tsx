import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, DataTable, ErrorMessage, Field, Loading, ProgressBar, type BadgeTone } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useFormat } from '@/lib/use-format';
import { KNOWN_REGIONS } from '@/lib/regions';
import { useFleetRefreshAvailable, useStartFleetRefresh } from '../api/start-fleet-refresh';
import { isJobFinished, useJob, type Job } from '../api/get-job';
import { useJobs } from '../api/get-jobs';
import { useResumeJob } from '../api/resume-job';
import { useTeams } from '../api/get-teams';

function stateTone(state: string, running: boolean): BadgeTone {
  if (/fail|error|interrupted/.test(state)) return 'error';
  if (state === 'partial') return 'warn';
  if (state === 'pending') return 'muted';
  return running ? 'info' : 'ok';
}

function JobState({ state, running = false }: { state: string; running?: boolean }) {
  const { t } = useTranslation();
  return <Badge tone={stateTone(state, running)}>{t(`fleet.jobState.${state}`, { defaultValue: state })}</Badge>;
}

function JobProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const f = useFormat();
  const running = !isJobFinished(job);
  return (
    <div className="card section" aria-live="polite" data-testid="fleet-job">
      <p>
        <JobState state={job.state} running={running} />{' '}
        {t('fleet.progress', { done: job.done, total: job.total, failed: job.failed })}
        {running &&
          job.eta_seconds !== undefined &&
          job.eta_seconds !== null &&
          ` · ${t('fleet.eta', { eta: f.duration(job.eta_seconds) })}`}
      </p>
      <ProgressBar value={job.done} max={job.total} label={t('fleet.progressLabel')} />
      {job.accounts.length > 0 && (
        <DataTable
          caption={t('fleet.accountsCaption')}
          columns={[
            t('accounts.accountId'),
            t('accounts.region'),
            t('fleet.state'),
            t('fleet.values'),
            t('fleet.error'),
          ]}
        >
          {job.accounts.map((a, i) => {
            const state = a.outcome ?? a.state ?? a.status;
            return (
              <tr key={`${a.account_id ?? i}/${a.region ?? ''}`}>
                <td className="mono">
                  {a.account_id ? (
                    <Link to={`/accounts/${a.account_id}${a.region ? `?region=${a.region}` : ''}`}>
                      {a.account_name ?? a.account_id}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{a.region ?? '—'}</td>
                <td>{state ? <JobState state={state} /> : '—'}</td>
                <td className="small">
                  {a.values_ok !== undefined
                    ? t('fleet.valuesCount', { ok: a.values_ok, failed: a.values_failed ?? 0 })
                    : '—'}
                </td>
                <td className="small text-error">{a.error ?? a.message ?? ''}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}

/** Refresh every account's quotas in the background (optionally one team or region) and follow the job live. */
export default function FleetRefreshPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const available = useFleetRefreshAvailable();
  const start = useStartFleetRefresh();
  const resume = useResumeJob();
  const teams = useTeams();
  const jobs = useJobs(available.data === true);
  const [jobId, setJobId] = useState<string>();
  const [team, setTeam] = useState('');
  const [region, setRegion] = useState('');
  const job = useJob(jobId);
  const routeGone = isApiError(start.error) && (start.error.status === 404 || start.error.status === 405);
  const unavailable = available.data === false || routeGone;
  const running = Boolean(jobId) && !isJobFinished(job.data) && !job.error;
  const conflict = isApiError(start.error) && start.error.status === 409;

  // Follow a job that is already running (started elsewhere, or before a reload).
  const runningJob = jobs.data?.items.find((j) => j.state === 'running');
  useEffect(() => {
    if (!jobId && runningJob?.job_id) setJobId(runningJob.job_id);
  }, [jobId, runningJob?.job_id]);
  // The list shows the followed job's end.
  useEffect(() => {
    if (jobId && isJobFinished(job.data)) void qc.invalidateQueries({ queryKey: ['jobs', 'list'] });
  }, [jobId, job.data, qc]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    start.mutate({ team, region }, { onSuccess: (r) => setJobId(r.job_id) });
  }

  return (
    <section aria-labelledby="fleet-refresh-title">
      <h2 id="fleet-refresh-title">{t('fleet.title')}</h2>
      <p className="muted">{t('fleet.intro')}</p>
      {available.isPending && <Loading />}
      {unavailable && <p className="alert alert--info">{t('fleet.unavailable')}</p>}
      {!unavailable && available.data && (
        <form className="filters card" onSubmit={onSubmit} aria-label={t('fleet.title')}>
          <Field label={t('accounts.team')}>
            {(p) => (
              <select {...p} className="input" value={team} onChange={(e) => setTeam(e.target.value)}>
                <option value="">{t('accounts.allTeams')}</option>
                {teams.data?.items.map((x) => (
                  <option key={x.team_id} value={x.team_id}>
                    {x.team_id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('accounts.region')}>
            {(p) => (
              <select {...p} className="input" value={region} onChange={(e) => setRegion(e.target.value)}>
                <option value="">{t('fleet.allRegions')}</option>
                {KNOWN_REGIONS.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions filters__actions">
            <button type="submit" className="btn btn--primary" disabled={start.isPending || running}>
              {running ? t('fleet.running') : t('fleet.start')}
            </button>
          </div>
        </form>
      )}
      {conflict && (
        <p className="alert alert--warn" role="alert">
          {t('fleet.conflict')}
        </p>
      )}
      {start.error && !routeGone && !conflict && <ErrorMessage error={start.error} />}
      {job.error && <ErrorMessage error={job.error} />}
      {job.data && <JobProgress job={job.data} />}

      {jobs.data && jobs.data.items.length > 0 && (
        <section className="section" aria-labelledby="jobs-title">
          <h3 id="jobs-title">{t('fleet.recent')}</h3>
          <ErrorMessage error={resume.error} />
          <DataTable
            caption={t('fleet.recent')}
            columns={[t('fleet.started'), t('fleet.kind'), t('fleet.scope'), t('fleet.state'), t('fleet.done')]}
            actions
          >
            {jobs.data.items.map((j) => (
              <tr key={j.job_id} aria-current={j.job_id === jobId ? 'true' : undefined}>
                <td>{f.dateTime(j.created_at)}</td>
                <td>{t(`fleet.kinds.${j.kind ?? 'quota_refresh_all'}`, { defaultValue: j.kind ?? '' })}</td>
                <td>{[j.team, j.region].filter(Boolean).join(' · ') || t('fleet.everything')}</td>
                <td>
                  <JobState state={j.state} running={j.state === 'running'} />
                </td>
                <td>{t('fleet.progress', { done: j.done, total: j.total, failed: j.failed })}</td>
                <td className="button-row">
                  {j.job_id && j.job_id !== jobId && (
                    <button type="button" className="btn btn--small" onClick={() => setJobId(j.job_id)}>
                      {t('fleet.show')}
                    </button>
                  )}
                  {j.state === 'interrupted' && j.job_id && (
                    <button
                      type="button"
                      className="btn btn--small"
                      disabled={resume.isPending}
                      onClick={() => resume.mutate(j.job_id!, { onSuccess: (r) => setJobId(r.job_id) })}
                    >
                      {t('fleet.resume')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </section>
  );
}
