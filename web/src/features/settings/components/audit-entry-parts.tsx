import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AuditEntry } from '../api/get-audit-log';

/** The lists of model ids a quota_config.update entry records, in display order. */
const CHANGE_KEYS = ['added', 'removed', 'enabled', 'disabled', 'shown', 'hidden', 'edited'] as const;

/** The entry's detail as an object, or null when it is plain text or empty. */
export function parseDetail(detail: string): Record<string, unknown> | null {
  if (!detail.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** "Registered an account" for account.create; an unknown code is shown as it is. */
export function useActionName(): (action: string) => string {
  const { t } = useTranslation();
  // i18next keys cannot hold dots: the map writes them "__".
  return (action) => t(`auditJobs.action.${action.replace(/\./g, '__')}`, { defaultValue: action });
}

/** The action's text, with its code beside it (what the filter takes). */
export function ActionName({ action }: { action: string }) {
  const name = useActionName()(action);
  return (
    <>
      <span>{name}</span>
      {name !== action && <div className="mono small muted">{action}</div>}
    </>
  );
}

/** Who: the email (or System / Anonymous), the id below it. */
export function ActorName({ e }: { e: AuditEntry }) {
  const { t } = useTranslation();
  const name =
    e.actor_email ||
    (e.actor_id === 'system' ? t('auditJobs.system') : e.actor_id === 'anonymous' ? t('auditJobs.anonymous') : '');
  return (
    <>
      {name || e.actor_id}
      {name && <div className="mono small muted">{e.actor_id}</div>}
    </>
  );
}

/** The target: its type, its name as recorded (older entries: none) and its id; a fleet job links to its page. */
export function TargetName({ e }: { e: AuditEntry }) {
  const { t } = useTranslation();
  const id =
    e.target_type === 'account' && e.target_id ? (
      <Link className="mono" to={`/accounts/${encodeURIComponent(e.target_id)}`}>
        {e.target_id}
      </Link>
    ) : (
      <span className="mono">{e.target_id}</span>
    );
  return (
    <>
      <span className="muted small">{t(`auditJobs.targetType.${e.target_type}`, { defaultValue: e.target_type })}</span>{' '}
      {e.target_name && <strong className="audit-target-name">{e.target_name}</strong>}{' '}
      {e.target_name ? <div className="small">{id}</div> : id}
      {e.target_type === 'job' && e.target_id && (
        <div className="small">
          <Link to={`/settings/fleet-refresh?job=${encodeURIComponent(e.target_id)}`}>{t('auditJobs.showJob')}</Link>
        </div>
      )}
    </>
  );
}

/**
 * The detail as people read it: what a quota config change changed (models added, removed, toggled), why an attempt
 * was refused; otherwise the raw detail (target_name left out: it is shown as the target).
 */
export function DetailText({ e }: { e: AuditEntry }) {
  const { t } = useTranslation();
  const d = parseDetail(e.detail);
  if (e.action === 'quota_config.update' && d) {
    const parts = CHANGE_KEYS.map((k) => [k, stringList(d[k])] as const).filter(([, ids]) => ids.length > 0);
    return (
      <div className="small audit-detail" data-testid="audit-changes">
        {typeof d.version === 'number' && (
          <span className="muted">{t('auditJobs.change.version', { version: d.version })} </span>
        )}
        {parts.length === 0 && <span className="muted">{t('auditJobs.change.none')}</span>}
        {parts.map(([k, ids]) => (
          <div key={k}>
            {t(`auditJobs.change.${k}`)}: <span className="mono">{ids.join(', ')}</span>
          </div>
        ))}
      </div>
    );
  }
  if (d && (e.outcome === 'denied' || e.outcome === 'failure') && typeof d.error === 'string') {
    return <div className="small text-error audit-detail">{t('auditJobs.refused', { error: d.error })}</div>;
  }
  if (!e.detail) return null;
  let shown = e.detail;
  if (d && 'target_name' in d) {
    const rest = Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'target_name'));
    shown = Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
  }
  return shown ? <div className="mono small muted audit-detail">{shown}</div> : null;
}
