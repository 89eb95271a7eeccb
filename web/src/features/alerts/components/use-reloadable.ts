import { useState } from 'react';

/**
 * What an edit dialog of something read at a version works on: `current` (starting as `item`) and, after a 409,
 * `reload`, which reads it again with `get`, calls `onReloaded` (the update's reset) and makes the fresh copy
 * current; a failed read is `reloadError` (null otherwise).
 */
export function useReloadable<T>(item: T, get: () => Promise<T>, onReloaded: () => void) {
  const [current, setCurrent] = useState(item);
  const [reloadError, setReloadError] = useState<unknown>(null);
  async function reload() {
    try {
      const fresh = await get();
      onReloaded();
      setReloadError(null);
      setCurrent(fresh);
    } catch (e) {
      setReloadError(e);
    }
  }
  return { current, reloadError, reload: () => void reload() };
}
