import { useTranslation } from 'react-i18next';
import { ChoiceField } from '@/components/ui';
import { useTeams } from '@/lib/api/queries/teams';
import { KNOWN_REGIONS } from '@/lib/regions';
import { useSession } from '@/lib/session';
import type { DashboardModel, DashboardStats } from '@/lib/api/contract';
import type { GridSort } from './grid-query';

/** "Claude Sonnet 4.5 TPM" for `model:dim`, "Account name" for `name`. */
export function useSortLabel(models: DashboardModel[]) {
  const { t } = useTranslation();
  return (key: string) => {
    if (key === 'name') return t('dashboardSort.sortName');
    const at = key.lastIndexOf(':');
    const model = models.find((m) => m.model_id === key.slice(0, at));
    const dim = key.slice(at + 1) as 'tpm' | 'rpm' | 'tpm_1m' | 'rpm_1m';
    return t('dashboardSort.modelDim', {
      model: model?.display_name ?? key.slice(0, at),
      dim: t(`dashboardSort.dim.${dim}`),
    });
  };
}

/**
 * The grid's scope line ("All accounts" / "Your teams' accounts"), its team and region filters and the sort in
 * words (with "missing values last" for a value sort).
 */
export function GridControls({
  stats,
  sort,
  team,
  region,
  onTeam,
  onRegion,
}: {
  stats: DashboardStats;
  sort: GridSort;
  team: string;
  region: string;
  onTeam: (team: string) => void;
  onRegion: (region: string) => void;
}) {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const teams = useTeams(isAdmin);
  const teamOptions = isAdmin ? (teams.data?.items.map((x) => x.team_id) ?? []) : user.teams;
  const label = useSortLabel(stats.models);
  return (
    <>
      <p data-testid="grid-scope">
        <strong>
          {t('dashboardSort.scopeLine', {
            scope: stats.scope === 'all' ? t('dashboardSort.scopeAll') : t('dashboardSort.scopeTeams'),
          })}
        </strong>
      </p>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => e.preventDefault()}
        aria-label={t('dashboardSort.filters')}
      >
        <ChoiceField
          label={t('dashboardSort.team')}
          value={team}
          onChange={onTeam}
          emptyLabel={t('dashboardSort.allTeams')}
          options={teamOptions}
        />
        <ChoiceField
          label={t('dashboardSort.region')}
          value={region}
          onChange={onRegion}
          emptyLabel={t('dashboardSort.allRegions')}
          options={KNOWN_REGIONS}
        />
      </form>
      <p className="muted small" role="status" data-testid="grid-sorted-by">
        {t('dashboardSort.sortedBy', {
          what: label(sort.key),
          order: sort.key === 'name' ? t(`dashboardSort.${sort.order}`) : t(`dashboardSort.${sort.order}Short`),
        })}{' '}
        {sort.key !== 'name' && t('dashboardSort.missingLast')} {(team || region) && t('dashboardSort.filteredTotals')}
      </p>
    </>
  );
}
