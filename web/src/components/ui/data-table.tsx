import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface DataTableProps {
  /** Read by screen readers only (the page's heading already says it on screen). */
  caption: ReactNode;
  /** The column headers, in order. */
  columns: ReactNode[];
  /** Adds a last column for per-row buttons, headed "Actions" for screen readers only. */
  actions?: boolean;
  /** Classes added to "table" (e.g. "table--grid"). */
  className?: string;
  /** The rows (`<tr>` elements). */
  children: ReactNode;
}

/** A scrollable data table with a screen-reader caption and column headers. */
export function DataTable({ caption, columns, actions = false, className, children }: DataTableProps) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((label, i) => (
              <th key={i} scope="col">
                {label}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A small button in a table row's actions cell; `label` names the row for screen readers ("Delete team ops"). */
export function RowAction({
  children,
  label,
  onClick,
  danger = false,
}: {
  children: ReactNode;
  label: string;
  onClick: () => void;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn--small btn--danger' : 'btn btn--small'}
      onClick={onClick}
      aria-label={label}
    >
      {children}
    </button>
  );
}
