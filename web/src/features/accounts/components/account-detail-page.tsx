import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Badge, ConfirmDialog, ErrorMessage, Field, ForbiddenPage, Loading, PageHeader } from '@/components/ui';
import { useSession } from '@/lib/session';
import { isApiError } from '@/lib/api-client';
import { useFormat } from '@/lib/use-format';
import { useAccount } from '../api/get-account';
import { useDeleteAccount } from '../api/delete-account';
import { ContactInfoSection } from './contact-info-section';
import { EditAccountDialog } from './edit-account-dialog';
import { ExportCredentialsDialog } from './export-credentials-dialog';
import { RotateCredentialsDialog } from './rotate-credentials-dialog';

type OpenDialog = 'edit' | 'rotate' | 'export' | 'delete' | null;

/** Renders the quotas of one account region. The app supplies it (the quota feature's panel): features do not import each other. */
export type QuotaPanelSlot = (props: { accountId: string; region: string; refreshing: boolean }) => ReactNode;

export default function AccountDetailPage({ quotaPanel }: { quotaPanel: QuotaPanelSlot }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { accountId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { isAdmin } = useSession();
  const account = useAccount(accountId);
  const del = useDeleteAccount(accountId);
  const [dialog, setDialog] = useState<OpenDialog>(null);

  if (account.isPending) return <Loading />;
  if (isApiError(account.error) && account.error.status === 403)
    return <ForbiddenPage message={t('accounts.forbidden')} />;
  if (isApiError(account.error) && account.error.status === 404) {
    return (
      <section className="empty-page">
        <p className="empty-page__code">404</p>
        <h1>{t('accounts.notFound')}</h1>
        <Link to="/accounts" className="btn">
          {t('accounts.backToList')}
        </Link>
      </section>
    );
  }
  if (account.error || !account.data) return <ErrorMessage error={account.error} />;

  const a = account.data;
  const requested = params.get('region');
  const region = a.regions.find((r) => r === requested) ?? a.regions[0];

  return (
    <>
      <p className="breadcrumb">
        <Link to="/accounts">{t('nav.accounts')}</Link> / <span>{a.account_name}</span>
      </p>
      <PageHeader
        title={a.account_name}
        actions={
          isAdmin && (
            <div className="button-row">
              <button type="button" className="btn" onClick={() => setDialog('edit')}>
                {t('common.edit')}
              </button>
              <button type="button" className="btn" onClick={() => setDialog('rotate')}>
                {t('accounts.rotate')}
              </button>
              <button type="button" className="btn" onClick={() => setDialog('export')}>
                {t('accounts.export')}
              </button>
              {a.status === 'active' && (
                <button type="button" className="btn btn--danger" onClick={() => setDialog('delete')}>
                  {t('common.delete')}
                </button>
              )}
            </div>
          )
        }
      >
        <dl className="meta-row">
          <div>
            <dt>{t('accounts.accountId')}</dt>
            <dd className="mono">{a.account_id}</dd>
          </div>
          <div>
            <dt>{t('accounts.status')}</dt>
            <dd>
              <Badge tone={a.status === 'active' ? 'ok' : 'muted'}>{t(`accounts.statusOption.${a.status}`)}</Badge>
            </dd>
          </div>
          <div>
            <dt>{t('accounts.teams')}</dt>
            <dd>{a.teams.length ? a.teams.join(', ') : '—'}</dd>
          </div>
          <div>
            <dt>{t('accounts.credentials')}</dt>
            <dd>
              {t(a.credentials.type === 'access_key' ? 'accounts.accessKey' : 'accounts.assumeRole')}{' '}
              <span className="mono small">{a.credentials.access_key_id ?? a.credentials.role_arn}</span>
            </dd>
          </div>
          <div>
            <dt>{t('accounts.updated')}</dt>
            <dd>{f.dateTime(a.updated_at)}</dd>
          </div>
        </dl>
      </PageHeader>

      {a.regions.length > 1 && (
        <Field label={t('accounts.region')} className="field--inline">
          {(p) => (
            <select
              {...p}
              className="input"
              value={region}
              onChange={(e) =>
                setParams(
                  (prev) => {
                    const n = new URLSearchParams(prev);
                    n.set('region', e.target.value);
                    return n;
                  },
                  { replace: true },
                )
              }
            >
              {a.regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {a.regions.length === 1 && <p className="muted">{t('accounts.regionIs', { region })}</p>}

      {region && quotaPanel({ accountId: a.account_id, region, refreshing: a.refreshing })}
      <ContactInfoSection accountId={a.account_id} canEdit={isAdmin} />

      {dialog === 'edit' && <EditAccountDialog account={a} onClose={() => setDialog(null)} />}
      {dialog === 'rotate' && <RotateCredentialsDialog account={a} onClose={() => setDialog(null)} />}
      {dialog === 'export' && <ExportCredentialsDialog accountId={a.account_id} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={t('accounts.deleteTitle')}
          message={t('accounts.deleteConfirm', { name: a.account_name, id: a.account_id })}
          confirmLabel={t('common.delete')}
          busy={del.isPending}
          error={<ErrorMessage error={del.error} />}
          onCancel={() => setDialog(null)}
          onConfirm={() => del.mutate(undefined, { onSuccess: () => void navigate('/accounts') })}
        />
      )}
    </>
  );
}
