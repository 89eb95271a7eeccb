import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Field, ForbiddenPage, FormError, Notice, PageHeader } from '@/components/ui';
import { useSession } from '@/lib/session';
import { isFieldErrorFor } from '@/lib/form-errors';
import { fieldMessage, validateBody, type FieldErrors } from '@/lib/form-validation';
import { useTeams } from '@/lib/api/queries/teams';
import { asRegions, zNewAccount } from '@/lib/api/contract';
import { useCreateAccount } from '../api/create-account';
import { generateExternalId } from '../api/get-assume-role-onboarding';
import { AssumeRoleOnboarding } from './assume-role-onboarding';
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
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const form = useRef<HTMLFormElement>(null);
  const [focusNonce, setFocusNonce] = useState(0);

  // After a refused submit, focus the first marked field (not <body>), so the keyboard lands where the fix is.
  useEffect(() => {
    if (focusNonce === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusNonce]);

  if (!isAdmin) return <ForbiddenPage />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = {
      account_name: name.trim(),
      ...(accountId.trim() ? { account_id: accountId.trim() } : {}),
      regions: asRegions(regions),
      teams: teamIds,
      credentials: toCredentialsInput(creds),
    };
    // Every field error at once, from the contract's schema; the server's 422 covers what it cannot know.
    const errors = validateBody(t, zNewAccount, body, {
      account_id: t('basics.validation.accountId'),
      'credentials.role_arn': t('basics.validation.roleArn'),
      'credentials.external_id': t('basics.validation.externalId'),
      'credentials.access_key_id': t('basics.validation.accessKeyId'),
      'credentials.secret_access_key': t('basics.validation.secretAccessKey'),
    });
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) {
      create.reset();
      setFocusNonce((n) => n + 1);
      return;
    }
    create.mutate(body, {
      onSuccess: (a) => void navigate(`/accounts/${a.account_id}`),
      onError: () => setFocusNonce((n) => n + 1),
    });
  }

  function onTypeChange(type: CredentialsDraft['type']) {
    // An assume-role account starts with a generated external id (editable): the trust policy below names it.
    setCreds((c) => ({
      ...c,
      type,
      external_id: type === 'assume_role' && !c.external_id ? generateExternalId() : c.external_id,
    }));
  }

  const err = create.error;
  const hasClientErrors = Object.keys(clientErrors).length > 0;

  return (
    <>
      <PageHeader title={t('accounts.addTitle')}>
        <p className="muted">{t('accounts.addIntro')}</p>
      </PageHeader>
      <form className="form card" onSubmit={onSubmit} noValidate aria-label={t('accounts.addTitle')} ref={form}>
        <FormError error={err} fields={FORM_FIELDS} />
        {(hasClientErrors || isFieldErrorFor(err, FORM_FIELDS)) && (
          <Notice tone="error">{t('errors.fixFields')}</Notice>
        )}
        <div className="form-grid">
          <Field label={t('accounts.name')} error={fieldMessage(clientErrors, err, 'account_name')}>
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
            error={fieldMessage(clientErrors, err, 'account_id')}
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
        <CredentialsFields
          value={creds}
          onChange={setCreds}
          error={err}
          clientErrors={clientErrors}
          onTypeChange={onTypeChange}
        />
        {creds.type === 'assume_role' && (
          <AssumeRoleOnboarding externalId={creds.external_id} roleArn={creds.role_arn} accountId={accountId} />
        )}
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
