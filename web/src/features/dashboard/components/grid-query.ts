import { useSearchParams } from 'react-router';
import { gridQueryFrom } from '../api/get-dashboard-stats';

/** The grid's sort: `name` or `<model_id>:<dimension>`, and its direction. */
export interface GridSort {
  key: string;
  order: 'asc' | 'desc';
}

/** The direction a sort key takes when first chosen: names A→Z, values largest first. */
export const defaultOrder = (key: string): 'asc' | 'desc' => (key === 'name' ? 'asc' : 'desc');

/**
 * The grid's sort and filters kept in the URL. A change starts again from the first page (a cursor belongs to the
 * sort and filters it was made with), in one navigation, as the accounts page's filters do.
 */
export function useGridQuery() {
  const [params, setParams] = useSearchParams();
  const q = gridQueryFrom(params);
  const sort: GridSort = { key: q.sort ?? 'name', order: q.order ?? defaultOrder(q.sort ?? 'name') };
  function update(patch: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('cursor');
    setParams(next, { replace: true, state: null });
  }
  return {
    query: q,
    sort,
    /** Sorts by `key`; choosing the current value key again flips its direction (names sort A→Z only). */
    sortBy: (key: string) => {
      if (key === 'name') return update({ sort: undefined, order: undefined });
      const order = key === sort.key ? (sort.order === 'asc' ? 'desc' : 'asc') : defaultOrder(key);
      update({ sort: key === 'name' ? undefined : key, order: order === defaultOrder(key) ? undefined : order });
    },
    setTeam: (team: string) => update({ team }),
    setRegion: (region: string) => update({ region }),
  };
}
