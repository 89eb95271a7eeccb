import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, ErrorMessage, Notice } from '@/components/ui';
import { isApiError } from '@/lib/api-client';

/** A delete mutation of something read at a version. */
interface VersionedDeleteMutation<Id> {
  isPending: boolean;
  error: unknown;
  reset: () => void;
  mutate: (id: Id, options: { onSuccess: () => void }) => void;
}

/**
 * Asks before deleting `id` (which carries the version read). A 409 says `conflict` with the server's message and
 * offers to reload (`onReload`, which closes the dialog); other errors show as errors.
 */
export function VersionedDelete<Id>({
  id,
  mutation,
  title,
  message,
  conflict,
  onReload,
  onClose,
}: {
  id: Id;
  mutation: VersionedDeleteMutation<Id>;
  title: ReactNode;
  message: ReactNode;
  conflict: ReactNode;
  onReload: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const err = mutation.error;
  const is409 = isApiError(err) && err.status === 409;
  function close() {
    mutation.reset();
    onClose();
  }
  return (
    <ConfirmDialog
      title={title}
      message={message}
      confirmLabel={t('common.delete')}
      busy={mutation.isPending}
      onCancel={close}
      onConfirm={() => mutation.mutate(id, { onSuccess: onClose })}
      error={
        is409 ? (
          <Notice tone="error">
            <strong>{conflict}</strong> {err.message}{' '}
            <button
              type="button"
              className="btn btn--small"
              onClick={() => {
                onReload();
                close();
              }}
            >
              {t('alerts.reload')}
            </button>
          </Notice>
        ) : (
          <ErrorMessage error={err} />
        )
      }
    />
  );
}
