import { useState } from 'react';
import { useFormat } from '@/lib/use-format';

/**
 * A relative time ("3 minutes ago") whose exact time is reachable without hovering: the element takes the keyboard
 * focus and then shows the exact time in place (also on a click or tap); screen readers hear both at once. The
 * hover title stays for mouse users.
 */
export function ExactTime({ iso, className }: { iso: string | null | undefined; className?: string }) {
  const f = useFormat();
  const [shown, setShown] = useState(false);
  if (!iso) return <span className={className}>—</span>;
  const exact = f.dateTime(iso);
  const relative = f.relative(iso);
  return (
    <time
      dateTime={iso}
      className={className}
      title={exact}
      tabIndex={0}
      aria-label={`${relative} (${exact})`}
      onFocus={() => setShown(true)}
      onBlur={() => setShown(false)}
      onClick={() => setShown((s) => !s)}
    >
      {shown ? exact : relative}
    </time>
  );
}
