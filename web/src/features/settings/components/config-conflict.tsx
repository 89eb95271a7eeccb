import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/lib/use-format';
import type { ModelSpec } from '../api/schemas';

/**
 * My edit (`mine`, made on `base`) re-applied on `latest`, someone else's newer save: every field I changed on a model
 * takes my value, the rest keeps theirs; models I added are added (unless they added them too: then my fields win),
 * models I removed are removed; models only they added stay. Order: latest's, then my additions.
 */
export function rebaseModels(base: ModelSpec[], mine: ModelSpec[], latest: ModelSpec[]): ModelSpec[] {
  const byId = (list: ModelSpec[]) => new Map(list.map((m) => [m.model_id, m]));
  const baseById = byId(base);
  const mineById = byId(mine);
  const out: ModelSpec[] = [];
  for (const theirs of latest) {
    const was = baseById.get(theirs.model_id);
    const now = mineById.get(theirs.model_id);
    if (was && !now) continue; // I removed it
    if (!now) {
      out.push(theirs);
      continue;
    }
    const merged: Record<string, unknown> = { ...theirs };
    for (const key of Object.keys(now) as (keyof ModelSpec)[]) {
      if (!was || JSON.stringify(now[key]) !== JSON.stringify(was[key])) merged[key] = now[key];
    }
    out.push(merged as ModelSpec);
  }
  const inLatest = new Set(latest.map((m) => m.model_id));
  for (const m of mine) {
    if (!baseById.has(m.model_id) && !inLatest.has(m.model_id)) out.push(m);
  }
  return out;
}

/**
 * A version conflict on the quota configuration (409): who saved in the meantime and which version, and a way to
 * re-apply my edit on that version (then review and save) or to drop it. Takes the focus when it appears, so a
 * keyboard user hears it and can act.
 */
export function ConfigConflict({
  base,
  mine,
  latest,
  who,
  onReapply,
  onDiscard,
}: {
  base: ModelSpec[];
  mine: ModelSpec[];
  latest: { models: ModelSpec[]; version: number; updated_at: string | null };
  /** The email (or id) of whoever saved `latest`, or null when unknown. */
  who: string | null;
  onReapply: (merged: ModelSpec[]) => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div className="alert alert--error" role="alert" ref={box} tabIndex={-1} data-testid="config-conflict">
      <strong>{t('basics.conflict.title')}</strong>{' '}
      <span>
        {who
          ? t('basics.conflict.who', { who, version: latest.version, when: f.dateTime(latest.updated_at) })
          : t('basics.conflict.whoUnknown', { version: latest.version })}
      </span>
      <div className="button-row">
        <button
          type="button"
          className="btn btn--small btn--primary"
          onClick={() => onReapply(rebaseModels(base, mine, latest.models))}
        >
          {t('basics.conflict.reapply', { version: latest.version })}
        </button>
        <button type="button" className="btn btn--small" onClick={onDiscard}>
          {t('basics.conflict.discard')}
        </button>
      </div>
    </div>
  );
}
