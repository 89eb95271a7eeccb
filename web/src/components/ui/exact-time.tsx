import { useState } from 'react';
import { useFormat } from '@/lib/use-format';

/**
 * A relative time ("3 minutes ago") whose exact time is reachable without hovering: a quiet button that shows the
 * exact time in place while it has the keyboard focus, and toggles it on a click or tap; screen readers hear both
 * at once. The hover title stays for mouse users.
 */
export function ExactTime({ iso, className }: { iso: string | null | undefined; className?: string }) {
  const f = useFormat();
  const [shown, setShown] = useState(false);
  if (!iso) return <span className={className}>—</span>;
  const exact = f.dateTime(iso);
  const relative = f.relative(iso);
  return (
    <button
      type="button"
      className={`btn btn--ghost btn--small${className ? ` ${className}` : ''}`}
      title={exact}
      aria-label={`${relative} (${exact})`}
      onFocus={() => setShown(true)}
      onBlur={() => setShown(false)}
      onClick={() => setShown((s) => !s)}
    >
      <time dateTime={iso}>{shown ? exact : relative}</time>
    </button>
  );
}
