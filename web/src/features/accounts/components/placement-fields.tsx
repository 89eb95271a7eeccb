import { useTranslation } from 'react-i18next';
import { FieldSet, MultiCheck } from '@/components/ui';
import { TeamsField } from '@/components/teams-field';
import { fieldError } from '@/lib/form-errors';
import { KNOWN_REGIONS } from '@/lib/regions';

/** Where an account is read and who sees it: its regions and its teams, with the API's messages next to them. */
export function PlacementFields({
  regions: [regions, onRegions],
  teams: [teams, onTeams],
  knownTeams,
  error,
}: {
  /** The regions and their setter, as useState gives them. */
  regions: [string[], (next: string[]) => void];
  teams: [string[], (next: string[]) => void];
  knownTeams: string[];
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <FieldSet legend={t('accounts.regions')} error={fieldError(error, 'regions')}>
        <MultiCheck
          name="regions"
          options={KNOWN_REGIONS}
          value={regions}
          onChange={onRegions}
          filterLabel={t('accounts.filterRegions')}
        />
      </FieldSet>
      <TeamsField known={knownTeams} value={teams} onChange={onTeams} error={fieldError(error, 'teams')} />
    </>
  );
}
