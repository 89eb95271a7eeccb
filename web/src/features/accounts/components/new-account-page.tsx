import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Field, ForbiddenPage, FormError, Notice, PageHeader } from '@/components/ui';
import { useSession } from '@/lib/session';
import { fieldError, isFieldErrorFor } from '@/lib/form-errors';
import { useTeams } from '@/lib/api/queries/teams';
import { asRegions } from '@/lib/api/contract';
import { useCreateAccount } from '../api/create-account';
import { CredentialsFields, emptyCredentials, toCredentialsInput, type CredentialsDraft } from './credentials-fields';
import { PlacementFields } from './placement-fields';

const FORM_FIELDS = ['account_name', 'account_id', 'regions', 'teams', 'credentials'];

export default function NewAccountPage() {
  const { t } = useTranslation();
  const { isAdmin } = useSession();
  const navigate = useNavigate();
  const teams = useTeams(isAdmin);
  const create = useCreateAccount();
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [regions, setRegions] = useState<string[]>(['us-east-1']);
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [creds, setCreds] = useState<CredentialsDraft>(emptyCredentials);

  if (!isAdmin) return <ForbiddenPage />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        account_name: name.trim(),
        ...(accountId.trim() ? { account_id: accountId.trim() } : {}),
        regions: asRegions(regions),
        teams: teamIds,
        credentials: toCredentialsInput(creds),
      },
      { onSuccess: (a) => void navigate(`/accounts/${a.account_id}`) },
    );
  }

  const err = create.error;

  return (
    <>
      <PageHeader title={t('accounts.addTitle')}>
        <p className="muted">{t('accounts.addIntro')}</p>
      </PageHeader>
      <form className="form card" onSubmit={onSubmit} noValidate aria-label={t('accounts.addTitle')}>
        <FormError error={err} fields={FORM_FIELDS} />
        {isFieldErrorFor(err, FORM_FIELDS) && <Notice tone="error">{t('errors.fixFields')}</Notice>}
        <div className="form-grid">
          <Field label={t('accounts.name')} error={fieldError(err, 'account_name')}>
            {(p) => (
              <input
                {...p}
                className="input"
                name="account_name"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field
            label={t('accounts.accountId')}
            hint={t('accounts.accountIdHint')}
            error={fieldError(err, 'account_id')}
          >
            {(p) => (
              <input
                {...p}
                className="input mono"
                name="account_id"
                inputMode="numeric"
                maxLength={12}
                value={accountId}
                onChange={(e) => setAccountId(e.target.value)}
              />
            )}
          </Field>
        </div>
        <PlacementFields
          regions={[regions, setRegions]}
          teams={[teamIds, setTeamIds]}
          knownTeams={teams.data?.items.map((x) => x.team_id) ?? []}
          error={err}
        />
        <CredentialsFields value={creds} onChange={setCreds} error={err} />
        <div className="form-actions">
          <Link to="/accounts" className="btn">
            {t('common.cancel')}
          </Link>
          <button type="submit" className="btn btn--primary" disabled={create.isPending}>
            {create.isPending ? t('common.saving') : t('accounts.create')}
          </button>
        </div>
      </form>
    </>
  );
}
