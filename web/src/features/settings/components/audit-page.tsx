import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Badge, CursorTable, Field } from '@/components/ui';
import { ExportDownload } from '@/features/exports/components/export-download';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { useFormat } from '@/lib/use-format';
import { asAuditOutcome } from '@/lib/api/contract';
import { useAuditLog, type AuditQuery } from '../api/get-audit-log';
import { ActionName, ActorName, DetailText, TargetName } from './audit-entry-parts';

const PAGE_SIZE = 25;
const TEXT_FILTERS = ['actor_email', 'actor_id', 'action', 'target_type', 'target_id'] as const;
const OUTCOMES = ['success', 'partial', 'failure', 'denied'] as const;
/** Read as UTC (see toUtc). */
const TIME_FILTERS = ['from', 'to'] as const;

/** "2026-01-31T10:00" from a datetime-local input → "2026-01-31T10:00:00Z" as the server wants (the input is read as UTC). */
function toUtc(local: string): string | undefined {
  if (!local) return undefined;
  return local.length === 16 ? `${local}:00Z` : `${local}Z`;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const read = (k: string) => params.get(k) ?? '';
  const [draft, setDraft] = useState<Record<string, string>>(() => ({
    actor_email: read('actor_email'),
    actor_id: read('actor_id'),
    action: read('action'),
    target_type: read('target_type'),
    target_id: read('target_id'),
    outcome: read('outcome'),
    from: read('from'),
    to: read('to'),
  }));
  const pager = useCursorPager();
  const q: AuditQuery = {
    actor_email: read('actor_email') || undefined,
    actor_id: read('actor_id') || undefined,
    action: read('action') || undefined,
    target_type: read('target_type') || undefined,
    target_id: read('target_id') || undefined,
    outcome: asAuditOutcome(read('outcome')),
    from: toUtc(read('from')),
    to: toUtc(read('to')),
    cursor: pager.cursor,
    page_size: PAGE_SIZE,
  };
  const log = useAuditLog(q);

  // New filters replace the whole query string, cursor included, and drop the cursor trail: back to the first page
  // (a cursor belongs to one filter).
  function apply(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(draft)) if (v.trim()) next.set(k, v.trim());
    setParams(next, { replace: true });
  }
  function clear() {
    setDraft({
      actor_email: '',
      actor_id: '',
      action: '',
      target_type: '',
      target_id: '',
      outcome: '',
      from: '',
      to: '',
    });
    setParams(new URLSearchParams(), { replace: true });
  }

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('audit.title')}</h2>
      <ExportDownload
        what="audit-log"
        filters={{
          actor_id: q.actor_id,
          action: q.action,
          target_type: q.target_type,
          target_id: q.target_id,
          outcome: q.outcome,
          from: q.from,
          to: q.to,
        }}
      />
      <form className="filters card" onSubmit={apply} aria-label={t('audit.filters')}>
        {TEXT_FILTERS.map((k) => (
          <Field key={k} label={k === 'actor_email' ? t('auditJobs.actorEmail') : t(`audit.filter.${k}`)}>
            {(p) => (
              <input
                {...p}
                className="input"
                value={draft[k]}
                type={k === 'actor_email' ? 'email' : undefined}
                placeholder={
                  k === 'action'
                    ? t('audit.actionHint')
                    : k === 'actor_email'
                      ? t('auditJobs.actorEmailHint')
                      : undefined
                }
                onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <Field label={t('audit.filter.outcome')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={draft.outcome}
              onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}
            >
              <option value="">{t('audit.anyOutcome')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`audit.outcome.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {TIME_FILTERS.map((k) => (
          <Field key={k} label={t(`audit.filter.${k}`)}>
            {(p) => (
              <input
                {...p}
                className="input"
                type="datetime-local"
                value={draft[k]}
                onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <p className="small muted filters__note">{t('audit.utcNote')}</p>
        <div className="form-actions filters__actions">
          <button type="button" className="btn" onClick={clear}>
            {t('audit.clear')}
          </button>
          <button type="submit" className="btn btn--primary">
            {t('audit.apply')}
          </button>
        </div>
      </form>
      <CursorTable
        query={log}
        pager={pager}
        empty={t('audit.none')}
        caption={t('audit.title')}
        columns={[
          t('audit.col.at'),
          t('audit.col.actor'),
          t('audit.col.action'),
          t('audit.col.target'),
          t('audit.col.outcome'),
          t('audit.col.client'),
        ]}
        row={(e) => (
          <tr key={e.audit_id}>
            <td title={e.at ?? undefined}>{f.dateTime(e.at)}</td>
            <td>
              <ActorName e={e} />
            </td>
            <td>
              <ActionName action={e.action} />
              {e.count > 1 && (
                <div className="small muted" title={e.last_at ?? undefined}>
                  {t('audit.repeated', { n: e.count, last: f.dateTime(e.last_at ?? e.at) })}
                </div>
              )}
              <DetailText e={e} />
            </td>
            <td>
              <TargetName e={e} />
            </td>
            <td>
              <Badge
                tone={
                  e.outcome === 'success' ? 'ok' : e.outcome === 'denied' || e.outcome === 'partial' ? 'warn' : 'error'
                }
              >
                {t(`audit.outcome.${e.outcome}`, { defaultValue: e.outcome })}
              </Badge>
            </td>
            <td className="small">
              {e.client_ip || '—'}
              {e.request_id && <div className="mono small muted">{e.request_id}</div>}
            </td>
          </tr>
        )}
      />
    </section>
  );
}
