import { useLocation, useSearchParams } from 'react-router';

/** Where a cursor-paged list stands: the cursor of the page shown (undefined = the first page) and moves. */
export interface CursorPager {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: string | undefined;
  /** 1-based number of the page shown, counted from the first page this browser tab visited. */
  pageNumber: number;
  hasPrevious: boolean;
  /** Shows the page that starts at `next` (the `next` cursor of the page shown). */
  toNext: (next: string) => void;
  toPrevious: () => void;
  /** Back to the first page (call when a filter changes: a cursor belongs to one filter). */
  toFirst: () => void;
}

interface TrailState {
  cursorTrail?: string[];
}

/**
 * Cursor paging kept in the URL: `?cursor=` (named by `param`) sits next to the list's filters, so a page can be
 * bookmarked and reloaded; the cursors of the pages before it travel in the history state, so "Previous" needs no
 * server offset. A URL opened without that state still has "Previous": it goes to the first page.
 */
export function useCursorPager(param = 'cursor'): CursorPager {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const cursor = params.get(param) ?? undefined;
  const trail = (location.state as TrailState | null)?.cursorTrail ?? [];
  function go(to: string | undefined, nextTrail: string[]) {
    setParams(
      (p) => {
        const out = new URLSearchParams(p);
        if (to) out.set(param, to);
        else out.delete(param);
        return out;
      },
      { state: { cursorTrail: nextTrail } satisfies TrailState },
    );
  }
  return {
    cursor,
    pageNumber: cursor === undefined ? 1 : trail.length + 1,
    hasPrevious: cursor !== undefined,
    toNext: (next) => go(next, [...trail, cursor ?? '']),
    toPrevious: () => {
      const before = trail.slice(0, -1);
      const to = trail.length > 0 ? trail[trail.length - 1] : undefined;
      go(to === '' ? undefined : to, before);
    },
    toFirst: () => go(undefined, []),
  };
}
