// "Closest to the limit" (issue 13): (account, region, model) entries with the least 24-hour headroom first, from
// GET /api/usage/headroom. Admins see the whole fleet (or one team); users pick one of their teams (the API requires
// one), the first by default.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DataTable, ErrorMessage, Loading, UsageBar } from '@/components/ui';
import { useTeams } from '@/lib/api/queries/teams';
import { useSession } from '@/lib/session';
import { useHeadroom, type HeadroomEntry } from '../api/get-headroom';

/** The dimension an entry's headroom is: the one with the least known headroom. */
function limitingDim(e: HeadroomEntry): 'tpm' | 'rpm' {
  if (e.headroom_tpm === null) return 'rpm';
  if (e.headroom_rpm === null) return 'tpm';
  return e.headroom_rpm < e.headroom_tpm ? 'rpm' : 'tpm';
}

const FLEET = '';

export function ClosestToLimit() {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const teams = useTeams(isAdmin);
  const teamOptions = isAdmin ? (teams.data?.items.map((x) => x.team_id) ?? []) : user.teams;
  const [picked, setPicked] = useState<string>(isAdmin ? FLEET : (user.teams[0] ?? FLEET));
  const team = picked === FLEET ? null : picked;
  const mayAsk = isAdmin || team !== null;
  const list = useHeadroom(team, mayAsk);
  const entries = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby="closest-title" className="section closest-list">
      <div className="section__head">
        <div>
          <h2 id="closest-title">{t('usage.closestTitle')}</h2>
          <p className="small muted">{t('usage.closestCaption')}</p>
        </div>
        {(isAdmin || teamOptions.length > 1) && (
          <div className="field field--inline">
            <label className="field__label" htmlFor="closest-team">
              {t('usage.team')}
            </label>
            <select id="closest-team" className="input" value={picked} onChange={(e) => setPicked(e.target.value)}>
              {isAdmin && <option value={FLEET}>{t('usage.fleet')}</option>}
              {teamOptions.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {!mayAsk && <p className="muted">{t('usage.noTeams')}</p>}
      {mayAsk && list.isPending && <Loading />}
      {list.error && <ErrorMessage error={list.error} />}
      {list.data && entries.length === 0 && <p className="muted">{t('usage.closestEmpty')}</p>}
      {entries.length > 0 && (
        <DataTable
          caption={t('usage.closestTitle')}
          columns={[t('usage.account'), t('usage.region'), t('usage.model'), t('usage.usedCol')]}
        >
          {entries.map((e) => (
            <tr key={`${e.account_id}/${e.region}/${e.model_id}`} data-testid="closest-entry">
              <th scope="row">
                <Link to={`/accounts/${e.account_id}?region=${e.region}`}>{e.account_name}</Link>
              </th>
              <td>{e.region}</td>
              <td>{e.display_name}</td>
              <td>
                <UsageBar label={t(`quota.dim.${limitingDim(e)}`)} headroom={e.headroom} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? t('common.loading') : t('usage.loadMore')}
        </button>
      )}
    </section>
  );
}
