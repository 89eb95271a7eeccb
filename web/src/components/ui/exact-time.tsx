import { useRef, useState } from 'react';
import { useFormat } from '@/lib/use-format';

/**
 * A relative time ("3 minutes ago") whose exact time is reachable without hovering: a quiet button that shows the
 * exact time in place while it has the keyboard focus, and toggles it on a click or tap; screen readers hear both
 * at once. The hover title stays for mouse users.
 */
export function ExactTime({ iso, className }: { iso: string | null | undefined; className?: string }) {
  const f = useFormat();
  const [shown, setShown] = useState(false);
  // A tap or click on an unfocused button focuses it first (which shows the exact time): that click must not hide
  // it again. Keyboard clicks (Enter, Space) come without a pointer press and toggle.
  const focusedBeforePress = useRef<boolean | null>(null);
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
      onPointerDown={(e) => {
        focusedBeforePress.current = document.activeElement === e.currentTarget;
      }}
      onClick={() => {
        const toggle = focusedBeforePress.current ?? true;
        focusedBeforePress.current = null;
        setShown((s) => (toggle ? !s : true));
      }}
    >
      <time dateTime={iso}>{shown ? exact : relative}</time>
    </button>
  );
}

/**
 * A translated phrase around a time ("read {{when}}", "读取于{{when}}") whose time is an ExactTime: `phrase` gets the
 * placeholder and returns the whole text; the parts before and after it stay plain text.
 */
export function TimePhrase({
  phrase,
  iso,
  className,
}: {
  phrase: (when: string) => string;
  iso: string | null | undefined;
  className?: string;
}) {
  const mark = '\u0000';
  const [before, after = ''] = phrase(mark).split(mark);
  return (
    <span className={className}>
      {before}
      <ExactTime iso={iso} />
      {after}
    </span>
  );
}
