import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDelete, DataTable, ErrorMessage, Field, FormError, Loading, RowAction } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useFormat } from '@/lib/use-format';
import { useTeams } from '@/lib/api/queries/teams';
import { useCreateTeam } from '../api/create-team';
import { useDeleteTeam } from '../api/delete-team';
import type { Team } from '../api/schemas';

export default function TeamsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const teams = useTeams();
  const create = useCreateTeam();
  const del = useDeleteTeam();
  const [teamId, setTeamId] = useState('');
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<Team | null>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { team_id: teamId.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
      {
        onSuccess: () => {
          setTeamId('');
          setName('');
        },
      },
    );
  }
  const err = create.error;

  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">{t('teams.title')}</h2>
      <p className="muted small">{t('teams.intro')}</p>
      {teams.isPending && <Loading />}
      {teams.error && <ErrorMessage error={teams.error} />}
      {teams.data && teams.data.items.length === 0 && <p className="muted">{t('teams.none')}</p>}
      {teams.data && teams.data.items.length > 0 && (
        <DataTable caption={t('teams.title')} columns={[t('teams.id'), t('teams.name'), t('teams.created')]} actions>
          {teams.data.items.map((x) => (
            <tr key={x.team_id}>
              <td className="mono">{x.team_id}</td>
              <td>{x.name}</td>
              <td>{f.dateTime(x.created_at)}</td>
              <td>
                <RowAction danger onClick={() => setDeleting(x)} label={t('teams.deleteLabel', { id: x.team_id })}>
                  {t('common.delete')}
                </RowAction>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="new-team-title">
        <h3 id="new-team-title">{t('teams.createTitle')}</h3>
        <FormError error={err} fields={['team_id', 'name']} />
        <div className="form-grid">
          <Field label={t('teams.id')} hint={t('teams.idHint')} error={fieldError(err, 'team_id')}>
            {(p) => <input {...p} className="input mono" value={teamId} onChange={(e) => setTeamId(e.target.value)} />}
          </Field>
          <Field label={t('teams.name')} hint={t('common.optional')} error={fieldError(err, 'name')}>
            {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn--primary" disabled={create.isPending || !teamId}>
            {create.isPending ? t('common.saving') : t('teams.create')}
          </button>
        </div>
      </form>
      {deleting && (
        <ConfirmDelete
          id={deleting.team_id}
          mutation={del}
          title={t('teams.deleteTitle')}
          message={t('teams.deleteConfirm', { id: deleting.team_id })}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
