import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, FormActions, FormError } from '@/components/ui';
import { useUpdateAccount } from '../api/update-account';
import type { Account } from '@/lib/api/contract';
import { CredentialsFields, emptyCredentials, toCredentialsInput, type CredentialsDraft } from './credentials-fields';

/** Admins: replace an account's credentials (access key, or role ARN with external id). */
export function RotateCredentialsDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateAccount(account.account_id);
  const [draft, setDraft] = useState<CredentialsDraft>({ ...emptyCredentials, type: account.credentials.type });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ credentials: toCredentialsInput(draft), version: account.version }, { onSuccess: onClose });
  }
  const err = update.error;
  return (
    <Dialog title={t('accounts.rotateTitle')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <p className="muted">{t('accounts.rotateIntro')}</p>
        <FormError error={err} fields={['credentials']} conflict={t('accounts.staleVersion')} />
        <CredentialsFields value={draft} onChange={setDraft} error={err} />
        <FormActions onCancel={onClose} busy={update.isPending} submitLabel={t('accounts.rotate')} />
      </form>
    </Dialog>
  );
}
