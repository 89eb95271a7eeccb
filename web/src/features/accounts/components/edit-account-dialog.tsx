import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, Field, FormActions, FormError } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useTeams } from '@/lib/api/queries/teams';
import { useUpdateAccount } from '../api/update-account';
import { asRegions, type Account } from '@/lib/api/contract';
import type { AccountStatus } from '../api/schemas';
import { PlacementFields } from './placement-fields';

/** Admins: rename, change regions, teams or status, with the version read (409 when someone else saved). */
export function EditAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateAccount(account.account_id);
  const teams = useTeams();
  const [name, setName] = useState(account.account_name);
  const [regions, setRegions] = useState<string[]>(account.regions);
  const [teamIds, setTeamIds] = useState(account.teams);
  const [status, setStatus] = useState<AccountStatus>(account.status);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      { account_name: name.trim(), regions: asRegions(regions), teams: teamIds, status, version: account.version },
      { onSuccess: onClose },
    );
  }
  const err = update.error;
  return (
    <Dialog title={t('accounts.editTitle')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="form">
        <FormError
          error={err}
          fields={['account_name', 'regions', 'teams', 'status']}
          conflict={t('accounts.staleVersion')}
        />
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
        <PlacementFields
          regions={[regions, setRegions]}
          teams={[teamIds, setTeamIds]}
          knownTeams={teams.data?.items.map((x) => x.team_id) ?? []}
          error={err}
        />
        <FormActions onCancel={onClose} busy={update.isPending} />
      </form>
    </Dialog>
  );
}
