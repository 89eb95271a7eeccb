import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, ErrorMessage, Field, FieldSet, FormActions, MultiCheck } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { fieldError, isFieldErrorFor } from '@/lib/form-errors';
import { useTeams } from '@/features/settings/api/get-teams';
import { useUpdateAccount } from '../api/update-account';
import type { Account, AccountStatus } from '../api/schemas';
import { KNOWN_REGIONS } from '@/lib/regions';
import { TeamsField } from '@/components/teams-field';

/** Admins: rename, change regions, teams or status, with the version read (409 when someone else saved). */
export function EditAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateAccount(account.account_id);
  const teams = useTeams();
  const [name, setName] = useState(account.account_name);
  const [regions, setRegions] = useState(account.regions);
  const [teamIds, setTeamIds] = useState(account.teams);
  const [status, setStatus] = useState<AccountStatus>(account.status);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      { account_name: name.trim(), regions, teams: teamIds, status, version: account.version },
      { onSuccess: onClose },
    );
  }
  const err = update.error;
  const inline =
    isApiError(err) &&
    (err.status === 422 || err.status === 409) &&
    isFieldErrorFor(err, ['account_name', 'regions', 'teams', 'status']);
  return (
    <Dialog title={t('accounts.editTitle')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        {err &&
          !inline &&
          (isApiError(err) && err.status === 409 ? (
            <div className="alert alert--error" role="alert">
              {t('accounts.staleVersion')}
            </div>
          ) : (
            <ErrorMessage error={err} />
          ))}
        <Field label={t('accounts.name')} error={fieldError(err, 'account_name')}>
          {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('accounts.status')} error={fieldError(err, 'status')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={status}
              onChange={(e) => setStatus(e.target.value as AccountStatus)}
            >
              <option value="active">{t('accounts.statusOption.active')}</option>
              <option value="inactive">{t('accounts.statusOption.inactive')}</option>
            </select>
          )}
        </Field>
        <FieldSet legend={t('accounts.regions')} error={fieldError(err, 'regions')}>
          <MultiCheck
            name="regions"
            options={KNOWN_REGIONS}
            value={regions}
            onChange={setRegions}
            filterLabel={t('accounts.filterRegions')}
          />
        </FieldSet>
        <TeamsField
          known={teams.data?.items.map((x) => x.team_id) ?? []}
          value={teamIds}
          onChange={setTeamIds}
          error={fieldError(err, 'teams')}
        />
        <FormActions onCancel={onClose} busy={update.isPending} />
      </form>
    </Dialog>
  );
}
