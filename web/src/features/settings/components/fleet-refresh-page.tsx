import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  Badge,
  ChoiceField,
  CursorPagination,
  CursorTable,
  DataTable,
  ErrorMessage,
  Field,
  type BadgeTone,
} from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useFormat } from '@/lib/use-format';
import { KNOWN_REGIONS } from '@/lib/regions';
import { useCursorPager, type CursorPager } from '@/lib/use-cursor-pager';
import type { JobItemOutcome, JobState } from '@/lib/api/contract';
import { useTeams } from '@/lib/api/queries/teams';
import { useStartFleetRefresh } from '../api/start-fleet-refresh';
import { isJobFinished, useJob, type Job, type JobItem } from '../api/get-job';
import { useJobItems } from '../api/get-job-items';
import { useJobs } from '../api/get-jobs';
import { useResumeJob } from '../api/resume-job';
import { jobKeys } from '../api/keys';
import { JobBar, JobStarter, JobStatus } from './job-summary';

/** The badge tone of each job state and each account outcome (both closed sets in the contract). */
const TONE: Record<JobState | JobItemOutcome, BadgeTone> = {
  running: 'info',
  succeeded: 'ok',
  failed: 'error',
  interrupted: 'error',
  pending: 'muted',
  ok: 'ok',
  partial: 'warn',
};

/** The badge tone of each usage poll state of an item (null: usage not polled). */
const USAGE_TONE: Record<NonNullable<JobItem['usage_state']>, BadgeTone> = {
  ok: 'ok',
  stale: 'warn',
  skipped: 'muted',
};

/** How an item's usage poll ended: a badge with the poll's error as its title, or a dash when not polled. */
function UsageCell({ item }: { item: JobItem }) {
  const { t } = useTranslation();
  if (!item.usage_state) return <span className="muted">—</span>;
  return (
    <>
      <Badge tone={USAGE_TONE[item.usage_state]}>{t(`fleet.usageState.${item.usage_state}`)}</Badge>
      {item.usage_error && <div className="small text-error">{item.usage_error}</div>}
    </>
  );
}

/** The outcomes the items can be narrowed to ('' = every item). */
const OUTCOMES: readonly JobItemOutcome[] = ['failed', 'partial', 'pending', 'ok'];

function StateBadge({ state }: { state: JobState | JobItemOutcome }) {
  const { t } = useTranslation();
  return <Badge tone={TONE[state]}>{t(`fleet.jobState.${state}`)}</Badge>;
}

/**
 * Cursor paging held in component state: the items of the job shown belong to that job only (the job is not in
 * the URL), so their pages do not go into the URL or the history either.
 */
function useLocalCursorPager(): CursorPager {
  const [trail, setTrail] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string>();
  return {
    cursor,
    pageNumber: trail.length + 1,
    hasPrevious: trail.length > 0,
    toNext: (next) => {
      setTrail([...trail, cursor]);
      setCursor(next);
    },
    toPrevious: () => {
      setCursor(trail[trail.length - 1]);
      setTrail(trail.slice(0, -1));
    },
    toFirst: () => {
      setTrail([]);
      setCursor(undefined);
    },
  };
}

/** The job's (account, region) items, a page at a time, optionally of one outcome; live while the job runs. */
function JobItems({ job }: { job: Job }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<JobItemOutcome | ''>('');
  const pager = useLocalCursorPager();
  const items = useJobItems(
    job.job_id,
    { outcome: outcome || undefined, cursor: pager.cursor, page_size: 50 },
    !isJobFinished(job),
  );
  return (
    <>
      <div className="filters">
        <Field label={t('fleet.outcome')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={outcome}
              onChange={(e) => {
                setOutcome(e.target.value as JobItemOutcome | '');
                pager.toFirst();
              }}
            >
              <option value="">{t('fleet.allOutcomes')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`fleet.jobState.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <CursorTable<JobItem>
        query={items}
        pager={pager}
        empty={t('fleet.noItems')}
        caption={t('fleet.accountsCaption')}
        columns={[
          t('auditJobs.job.account'),
          t('accounts.region'),
          t('fleet.state'),
          t('fleet.values'),
          t('fleet.error'),
          ...(job.include_usage ? [t('fleet.usage')] : []),
        ]}
        row={(a) => (
          <tr key={a.seq}>
            <td>
              <Link to={`/accounts/${a.account_id}?region=${a.region}`}>{a.account_name ?? a.account_id}</Link>
              {a.account_name && <div className="mono small muted">{a.account_id}</div>}
            </td>
            <td>{a.region}</td>
            <td>
              <StateBadge state={a.outcome} />
            </td>
            <td className="small">{t('fleet.valuesCount', { ok: a.values_ok, failed: a.values_failed })}</td>
            <td className="small text-error">{a.error ?? ''}</td>
            {job.include_usage && (
              <td>
                <UsageCell item={a} />
              </td>
            )}
          </tr>
        )}
      />
    </>
  );
}

function JobProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const f = useFormat();
  const running = !isJobFinished(job);
  return (
    <div className="card section" aria-live="polite" data-testid="fleet-job">
      <p>
        <JobStatus job={job} />
        {running && job.eta_seconds !== null && ` · ${t('fleet.eta', { eta: f.duration(job.eta_seconds) })}`}
      </p>
      <JobBar job={job} label={t('fleet.progressLabel')} />
      <p className="small muted">
        {t('fleet.outcomes', { ok: job.ok, partial: job.partial, failed: job.failed })} · <JobStarter job={job} />
        {job.model_ids && ` · ${t('auditJobs.job.limitedTo', { models: job.model_ids.join(', ') })}`}
      </p>
      {job.include_usage && (
        <p className={job.usage_failed > 0 ? 'small text-error' : 'small muted'}>
          {t('fleet.usageFailed', { count: job.usage_failed })}
        </p>
      )}
      {job.total > 0 && <JobItems job={job} />}
    </div>
  );
}

/** Refresh every account's quotas in the background (optionally one team or region) and follow the job live. */
export default function FleetRefreshPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const start = useStartFleetRefresh();
  const resume = useResumeJob();
  const teams = useTeams();
  const pager = useCursorPager();
  const jobs = useJobs(pager.cursor);
  // ?job= (e.g. the audit log's link to a fleet refresh) shows that job.
  const [params] = useSearchParams();
  const [jobId, setJobId] = useState<string | undefined>(() => params.get('job') ?? undefined);
  const [team, setTeam] = useState('');
  const [region, setRegion] = useState('');
  const [includeUsage, setIncludeUsage] = useState(true);
  const job = useJob(jobId);
  const running = Boolean(jobId) && !isJobFinished(job.data) && !job.error;
  const conflict = isApiError(start.error) && start.error.status === 409;

  // Follow a job that is already running (started elsewhere, or before a reload). Set while rendering, React's
  // pattern for state derived from new data: no effect, no extra commit of the page without the job.
  const runningJob = jobs.data?.items.find((j) => j.state === 'running');
  if (!jobId && runningJob) setJobId(runningJob.job_id);
  // The list and the items show the followed job's end.
  useEffect(() => {
    if (jobId && isJobFinished(job.data)) {
      void qc.invalidateQueries({ queryKey: jobKeys.lists });
      void qc.invalidateQueries({ queryKey: jobKeys.allItems(jobId) });
    }
  }, [jobId, job.data, qc]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    start.mutate({ team, region, includeUsage }, { onSuccess: (r) => setJobId(r.job_id) });
  }

  return (
    <section aria-labelledby="fleet-refresh-title">
      <h2 id="fleet-refresh-title">{t('fleet.title')}</h2>
      <p className="muted">{t('fleet.intro')}</p>
      <form className="filters card" onSubmit={onSubmit} aria-label={t('fleet.title')}>
        <ChoiceField
          label={t('accounts.team')}
          value={team}
          onChange={setTeam}
          emptyLabel={t('accounts.allTeams')}
          options={teams.data?.items.map((x) => x.team_id) ?? []}
        />
        <ChoiceField
          label={t('accounts.region')}
          value={region}
          onChange={setRegion}
          emptyLabel={t('fleet.allRegions')}
          options={KNOWN_REGIONS}
        />
        <label className="check" title={t('fleet.includeUsageHint')}>
          <input type="checkbox" checked={includeUsage} onChange={(e) => setIncludeUsage(e.target.checked)} />
          <span>{t('fleet.includeUsage')}</span>
        </label>
        <div className="form-actions filters__actions">
          <button type="submit" className="btn btn--primary" disabled={start.isPending || running}>
            {running ? t('fleet.running') : t('fleet.start')}
          </button>
        </div>
      </form>
      {conflict && (
        <p className="alert alert--warn" role="alert">
          {t('fleet.conflict')}
        </p>
      )}
      {start.error && !conflict && <ErrorMessage error={start.error} />}
      {job.error && <ErrorMessage error={job.error} />}
      {job.data && <JobProgress key={job.data.job_id} job={job.data} />}

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
                <td>
                  {t(`fleet.kinds.${j.kind}`)}
                  <div className="small muted">
                    <JobStarter job={j} />
                  </div>
                </td>
                <td>
                  {[j.team, j.region, j.model_ids?.join(', ')].filter(Boolean).join(' · ') || t('fleet.everything')}
                </td>
                <td>
                  <JobStatus job={j} />
                </td>
                <td>{t('fleet.progress', { done: j.done, total: j.total, failed: j.failed })}</td>
                <td className="button-row">
                  {j.job_id !== jobId && (
                    <button type="button" className="btn btn--small" onClick={() => setJobId(j.job_id)}>
                      {t('fleet.show')}
                    </button>
                  )}
                  {j.state === 'interrupted' && (
                    <button
                      type="button"
                      className="btn btn--small"
                      disabled={resume.isPending}
                      onClick={() => resume.mutate(j.job_id, { onSuccess: (r) => setJobId(r.job_id) })}
                    >
                      {t('fleet.resume')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <CursorPagination pager={pager} next={jobs.data.next} />
        </section>
      )}
    </section>
  );
}
