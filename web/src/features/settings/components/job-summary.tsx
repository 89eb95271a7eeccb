import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '@/components/ui';
import type { Job } from '../api/get-job';

/** The tone of a job's state as people read it: a finished job with some failed accounts completed, with a warning. */
function toneOf(job: Job): BadgeTone {
  if (job.state === 'running') return 'info';
  if (job.state === 'interrupted') return 'error';
  return job.failed > 0 || job.partial > 0 ? 'warn' : 'ok';
}

/** "Completed with 1 of 12 failed", "Running: 3 of 12 done", ... (issue 16 §5: not "Failed" for one failure). */
export function jobStatusText(job: Job, t: (key: string, o?: Record<string, unknown>) => string): string {
  const n = { done: job.done, total: job.total, failed: job.failed, partial: job.partial };
  switch (job.state) {
    case 'running':
      return t('auditJobs.job.running', n);
    case 'interrupted':
      return t('auditJobs.job.interrupted', n);
    default:
      if (job.failed > 0) return t('auditJobs.job.completedWithFailures', n);
      if (job.partial > 0) return t('auditJobs.job.completedPartial', n);
      return t('auditJobs.job.completed', n);
  }
}

export function JobStatus({ job }: { job: Job }) {
  const { t } = useTranslation();
  return (
    <span data-testid="job-status">
      <Badge tone={toneOf(job)}>{jobStatusText(job, t)}</Badge>
    </span>
  );
}

/** Who started the job: the user's email, "schedule" for the scheduler and take-overs, else the user id. */
export function JobStarter({ job }: { job: Job }) {
  const { t } = useTranslation();
  const who =
    job.created_by_email ??
    (job.created_by === 'system' || job.kind === 'quota_refresh_scheduled' ? t('auditJobs.schedule') : job.created_by);
  return <>{t('auditJobs.job.startedBy', { who })}</>;
}

/**
 * The job's progress as segments: ok (green), partial (amber), failed (red), pending (grey), so a finished job with
 * failures never shows as a full blue bar.
 */
export function JobBar({ job, label }: { job: Job; label: string }) {
  const { t } = useTranslation();
  const pending = Math.max(0, job.total - job.done);
  const pct = (n: number) => (job.total > 0 ? `${(n / job.total) * 100}%` : '0%');
  const segments = [
    { key: 'ok', n: job.ok, color: 'var(--c-ok)' },
    { key: 'partial', n: job.partial, color: 'var(--c-warn)' },
    { key: 'failed', n: job.failed, color: 'var(--c-error)' },
  ];
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={job.total}
      aria-valuenow={job.done}
      aria-valuetext={t('auditJobs.job.segments', { ok: job.ok, partial: job.partial, failed: job.failed, pending })}
      style={{ display: 'flex' }}
    >
      {segments
        .filter((s) => s.n > 0)
        .map((s) => (
          <span
            key={s.key}
            data-segment={s.key}
            style={{ width: pct(s.n), background: s.color, height: '100%', transition: 'width 0.3s' }}
          />
        ))}
    </div>
  );
}
