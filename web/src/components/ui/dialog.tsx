import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './error-message';

interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** The role: "alertdialog" for warnings and confirmations. */
  role?: 'dialog' | 'alertdialog';
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Where the focus goes when a dialog closes: back to its opener; when the opener then goes away (the row deleted,
 * the list refetched), to the heading of the section the opener was in (else the main region), never <body>.
 */
export function returnFocus(opener: HTMLElement | null) {
  if (!opener) return;
  opener.focus?.();
  const section = opener.closest<HTMLElement>('section, [role="region"], main') ?? document.getElementById('main');
  if (!section) return;
  const rescue = () => {
    if (opener.isConnected || (document.activeElement && document.activeElement !== document.body)) return false;
    const heading = section.querySelector<HTMLElement>('h1, h2, h3') ?? section;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
    return true;
  };
  // The opener may already be gone (the action removed its row while the dialog was open).
  if (rescue() || typeof MutationObserver === 'undefined') return;
  const observer = new MutationObserver(() => {
    if (rescue() || !section.isConnected) observer.disconnect();
  });
  observer.observe(section, { childList: true, subtree: true });
  // Only the change that follows the dialog: stop watching after a while.
  window.setTimeout(() => observer.disconnect(), 10_000);
}

/**
 * A modal dialog: focus moves in and is kept inside, Escape closes, focus returns to the opener on close. It is
 * rendered at the end of <body> (a portal), not where its opener sits: its heading then follows the page's outline
 * (an <h2> inside a card's <dl> broke the heading order) and nothing of the page's layout clips or styles it.
 */
export function Dialog({ title, onClose, children, footer, role = 'dialog' }: DialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? ref.current)?.focus();
    return () => returnFocus(opener);
  }, []);

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div className="dialog-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className="dialog"
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="dialog__head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn btn--ghost btn--icon" onClick={onClose} aria-label={t('common.close')}>
            ×
          </button>
        </div>
        <div className="dialog__body">{children}</div>
        {footer && <div className="dialog__foot">{footer}</div>}
      </div>
    </div>,
    document.body,
  );
}

/**
 * A warning or a question (role "alertdialog"): its footer holds a plain button labelled `dismissLabel` that
 * closes it (as Escape and × do), then `actions`, if any.
 */
export function AlertDialog({
  title,
  onClose,
  dismissLabel,
  actions,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  dismissLabel: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      role="alertdialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {dismissLabel}
          </button>
          {actions}
        </>
      }
    >
      {children}
    </Dialog>
  );
}

/** A yes/no question before a destructive act. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  error,
}: {
  title: ReactNode;
  message: ReactNode;
  confirmLabel: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  error?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <AlertDialog
      title={title}
      onClose={onCancel}
      dismissLabel={t('common.cancel')}
      actions={
        <button type="button" className="btn btn--danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      }
    >
      <p>{message}</p>
      {error}
    </AlertDialog>
  );
}

/** A delete mutation: removes what `id` names. */
export interface DeleteMutation<Id> {
  isPending: boolean;
  error: unknown;
  reset: () => void;
  mutate: (id: Id, options: { onSuccess: () => void }) => void;
}

/**
 * Asks before deleting `id` with `mutation`: closes once deleted; Cancel closes and forgets a failed attempt.
 * `error` replaces the default rendering of the mutation's error (none shows while there is no error).
 */
export function ConfirmDelete<Id>({
  id,
  mutation,
  title,
  message,
  error,
  onClose,
}: {
  id: Id;
  mutation: DeleteMutation<Id>;
  title: ReactNode;
  message: ReactNode;
  error?: ReactNode;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      title={title}
      message={message}
      confirmLabel={t('common.delete')}
      busy={mutation.isPending}
      error={error ?? <ErrorMessage error={mutation.error} />}
      onCancel={() => {
        mutation.reset();
        onClose();
      }}
      onConfirm={() => mutation.mutate(id, { onSuccess: onClose })}
    />
  );
}
