import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDelete, Notice, type DeleteMutation } from '@/components/ui';
import { isApiError } from '@/lib/api-client';

/** A 409: `conflict` in bold, the server's `detail` when given, and a Reload button calling `onReload`. */
export function ConflictNotice({
  conflict,
  detail,
  onReload,
}: {
  conflict: ReactNode;
  detail?: ReactNode;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Notice tone="error">
      <strong>{conflict}</strong> {detail && <>{detail} </>}
      <button type="button" className="btn btn--small" onClick={onReload}>
        {t('alerts.reload')}
      </button>
    </Notice>
  );
}

/**
 * Asks before deleting `id` (which carries the version read), like ConfirmDelete. A 409 says `conflict` with the
 * server's message and offers to reload (`onReload`, which closes the dialog); other errors show as errors.
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
  mutation: DeleteMutation<Id>;
  title: ReactNode;
  message: ReactNode;
  conflict: ReactNode;
  onReload: () => void;
  onClose: () => void;
}) {
  const err = mutation.error;
  return (
    <ConfirmDelete
      id={id}
      mutation={mutation}
      title={title}
      message={message}
      onClose={onClose}
      error={
        isApiError(err) && err.status === 409 ? (
          <ConflictNotice
            conflict={conflict}
            detail={err.message}
            onReload={() => {
              onReload();
              mutation.reset();
              onClose();
            }}
          />
        ) : undefined
      }
    />
  );
}
