import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardModel } from '@/lib/api/contract';
import { useSession } from '@/lib/session';
import { BulkIncreaseDialog, type BulkTarget } from './bulk-increase-dialog';

/** At most this many targets go in one preview or bulk job (the API's limit). */
export const MAX_BULK_TARGETS = 500;

/**
 * Above the dashboard grid (the app places it through the grid's selection slot): how many account regions are
 * selected, "Clear selection" and "Request increase for selected", which opens the bulk dialog. Admins only (the
 * bulk request is theirs); nothing for users.
 */
export function BulkIncreaseBar({
  selected,
  models,
  clear,
}: {
  selected: BulkTarget[];
  models: DashboardModel[];
  clear: () => void;
}) {
  const { t } = useTranslation();
  const { isAdmin } = useSession();
  const [open, setOpen] = useState(false);
  if (!isAdmin) return null;
  return (
    <div className="button-row" data-testid="bulk-increase-bar">
      <span className="muted" role="status">
        {t('increases.select.count', { count: selected.length })}
      </span>
      <button type="button" className="btn btn--small" onClick={clear} disabled={selected.length === 0}>
        {t('increases.select.clear')}
      </button>
      <button
        type="button"
        className="btn btn--primary btn--small"
        onClick={() => setOpen(true)}
        disabled={selected.length === 0 || selected.length > MAX_BULK_TARGETS || models.length === 0}
      >
        {t('increases.bulk.open')}
      </button>
      {open && <BulkIncreaseDialog targets={selected} models={models} onClose={() => setOpen(false)} />}
    </div>
  );
}
