import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CursorPager } from '@/lib/use-cursor-pager';
import { DataTable } from './data-table';
import { ErrorMessage } from './error-message';
import { Loading } from './misc';

/** One cursor page of a list as a query gives it: pending, failed, or the page's items and the next cursor. */
export interface CursorPageQuery<T> {
  isPending: boolean;
  error: unknown;
  /** `next`: the cursor of the following page; absent or null on the last page. */
  data?: { items: T[]; next?: string | null };
}

/** Previous / next over cursor pages, with the page's number (counted from the first page). */
export function CursorPagination({ pager, next }: { pager: CursorPager; next?: string | null }) {
  const { t } = useTranslation();
  return (
    <nav className="pagination" aria-label={t('common.pagination')}>
      <button type="button" className="btn" onClick={pager.toPrevious} disabled={!pager.hasPrevious}>
        {t('common.previous')}
      </button>
      <span aria-live="polite">{t('common.pageN', { page: pager.pageNumber })}</span>
      <button type="button" className="btn" onClick={() => next && pager.toNext(next)} disabled={!next}>
        {t('common.next')}
      </button>
    </nav>
  );
}

interface CursorTableProps<T> {
  query: CursorPageQuery<T>;
  pager: CursorPager;
  /** Shown instead of the table when the page has no items. */
  empty: ReactNode;
  /** Read by screen readers only. */
  caption: ReactNode;
  columns: ReactNode[];
  /** The row (`<tr>`, keyed) of one item. */
  row: (item: T) => ReactNode;
}

/** A cursor-paged list: loading, its error, an empty note, or the table of the page's items and the pager. */
export function CursorTable<T>({ query, pager, empty, caption, columns, row }: CursorTableProps<T>) {
  const { data } = query;
  return (
    <>
      {query.isPending && <Loading />}
      {Boolean(query.error) && <ErrorMessage error={query.error} />}
      {data && data.items.length === 0 && <p className="muted">{empty}</p>}
      {data && data.items.length > 0 && (
        <>
          <DataTable caption={caption} columns={columns}>
            {data.items.map(row)}
          </DataTable>
          <CursorPagination pager={pager} next={data.next} />
        </>
      )}
    </>
  );
}
