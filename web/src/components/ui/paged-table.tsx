import type { ReactNode } from 'react';
import { DataTable } from './data-table';
import { ErrorMessage } from './error-message';
import { Loading, Pagination } from './misc';

/** One page of a list as a query gives it: pending, failed, or the page's items and the total of all pages. */
export interface PageQuery<T> {
  isPending: boolean;
  error: unknown;
  data?: { items: T[]; total: number };
}

interface PagedTableProps<T> {
  query: PageQuery<T>;
  /** Shown instead of the table when the page has no items. */
  empty: ReactNode;
  /** Read by screen readers only. */
  caption: ReactNode;
  columns: ReactNode[];
  /** The row (`<tr>`, keyed) of one item. */
  row: (item: T) => ReactNode;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
}

/** A server-paged list: loading, its error, an empty note, or the table of the page's items and the pager. */
export function PagedTable<T>({ query, empty, caption, columns, row, page, pageSize, onPage }: PagedTableProps<T>) {
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
          <Pagination page={page} pageSize={pageSize} total={data.total} onPage={onPage} />
        </>
      )}
    </>
  );
}
