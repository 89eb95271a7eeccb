import { useTranslation } from 'react-i18next';
import { ConfirmDialog, ErrorMessage } from '@/components/ui';
import type { User } from '@/lib/api/contract';
import { useUpdateUser } from '../api/update-user';

/**
 * An admin forces a user's password reset (PATCH must_change_password: true): the user's sessions end and their next
 * login must set a new password first. Confirmed, since it logs the user out at once.
 */
export function ForceResetDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  if (update.isSuccess) {
    return (
      <ConfirmDialog
        title={t('basics.users.forceResetTitle')}
        message={t('basics.users.forceResetDone', { email: user.email })}
        confirmLabel={t('common.close')}
        onConfirm={onClose}
        onCancel={onClose}
      />
    );
  }
  return (
    <ConfirmDialog
      title={t('basics.users.forceResetTitle')}
      message={t('basics.users.forceResetConfirm', { email: user.email })}
      confirmLabel={t('basics.users.forceReset')}
      busy={update.isPending}
      error={update.error ? <ErrorMessage error={update.error} /> : undefined}
      onConfirm={() => update.mutate({ id: user.user_id, patch: { must_change_password: true } })}
      onCancel={onClose}
    />
  );
}
