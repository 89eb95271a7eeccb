import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge, CursorTable, ErrorMessage, ProgressBar, type BadgeTone } from '@/components/ui';
import type { CursorPager } from '@/lib/use-cursor-pager';
import type { JobItemOutcome, JobState } from '@/lib/api/contract';
import { isJobFinished, useBulkJob, useBulkJobItems, type JobItem } from '../api/get-bulk-job';

const TONE: Record<JobState | JobItemOutcome, BadgeTone> = {
  running: 'info',
  succeeded: 'ok',
  failed: 'error',
  interrupted: 'error',
  pending: 'muted',
  ok: 'ok',
  partial: 'warn',
};

/** Cursor pages of the job's items in component state (the job is not in the URL). */
function useLocalPager(): CursorPager {
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

function Items({ jobId, live }: { jobId: string; live: boolean }) {
  const { t } = useTranslation();
  const pager = useLocalPager();
  const items = useBulkJobItems(jobId, pager.cursor, live);
  return (
    <CursorTable<JobItem>
      query={items}
      pager={pager}
      empty={t('increases.bulk.noItems')}
      caption={t('increases.bulk.progressLabel')}
      columns={[t('increases.col.account'), t('accounts.region'), t('increases.col.status'), '']}
      row={(a) => (
        <tr key={a.seq}>
          <td className="mono">{a.account_id}</td>
          <td>{a.region}</td>
          <td>
            <Badge tone={TONE[a.outcome]}>{t(`increases.bulk.outcome.${a.outcome}`)}</Badge>
            {a.error && <div className="small text-error">{a.error}</div>}
          </td>
          <td>
            {a.ref && (
              <Link to={`/increases?request=${encodeURIComponent(a.ref)}&open=false`}>
                {t('increases.bulk.viewRequest')}
              </Link>
            )}
          </td>
        </tr>
      )}
    />
  );
}

/** A bulk request job live: its state, progress and the per-account outcomes with a link to each request sent. */
export function BulkJobProgress({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const job = useBulkJob(jobId);
  if (job.error) return <ErrorMessage error={job.error} />;
  if (!job.data) return null;
  const j = job.data;
  return (
    <div className="card section" aria-live="polite" data-testid="increase-job">
      <p>
        <Badge tone={TONE[j.state]}>{t(`increases.bulk.state.${j.state}`)}</Badge>{' '}
        {t('increases.bulk.progress', { done: j.done, total: j.total, failed: j.failed })}
      </p>
      <ProgressBar value={j.done} max={j.total} label={t('increases.bulk.progressLabel')} />
      <Items jobId={j.job_id} live={!isJobFinished(j)} />
    </div>
  );
}
