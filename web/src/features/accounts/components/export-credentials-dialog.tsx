import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertDialog, CopyButton, ErrorMessage } from '@/components/ui';
import { useExportCredentials } from '../api/get-credentials';

/** Admins: the decrypted credentials, after a warning that reading them is audited. Shown only on request. */
export function ExportCredentialsDialog({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const exp = useExportCredentials(accountId);
  const [shown, setShown] = useState(false);
  const creds = exp.data;
  const rows: [string, string | null | undefined][] = !creds
    ? []
    : creds.type === 'access_key'
      ? [
          [t('accounts.accessKeyId'), creds.access_key_id],
          [t('accounts.secretAccessKey'), creds.secret_access_key],
          [t('accounts.sessionToken'), creds.session_token],
        ]
      : [
          [t('accounts.roleArn'), creds.role_arn],
          [t('accounts.externalId'), creds.external_id],
        ];

  return (
    <AlertDialog title={t('accounts.exportTitle')} onClose={onClose} dismissLabel={t('common.close')}>
      <div className="alert alert--warn">{t('accounts.exportWarning')}</div>
      {!creds && (
        <button type="button" className="btn btn--danger" onClick={() => exp.mutate()} disabled={exp.isPending}>
          {exp.isPending ? t('common.loading') : t('accounts.reveal')}
        </button>
      )}
      <ErrorMessage error={exp.error} />
      {creds && (
        <>
          <dl className="secret-list">
            {rows.map(([label, value]) => (
              <div key={label} className="secret-list__row">
                <dt>{label}</dt>
                <dd>
                  {value ? (
                    <>
                      <code className="mono secret">{shown ? value : '•'.repeat(Math.min(24, value.length))}</code>
                      <CopyButton text={value} label={label} />
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <button type="button" className="btn btn--small" onClick={() => setShown((s) => !s)} aria-pressed={shown}>
            {shown ? t('accounts.hideValues') : t('accounts.showValues')}
          </button>
        </>
      )}
    </AlertDialog>
  );
}
