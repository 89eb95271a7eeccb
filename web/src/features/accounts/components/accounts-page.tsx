import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Badge, CursorTable, Field, PageHeader } from '@/components/ui';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { useSession } from '@/lib/session';
import { useTeams } from '@/lib/api/queries/teams';
import { useAccounts, type AccountsQuery } from '@/lib/api/queries/accounts';

const PAGE_SIZE = 20;
const STATUSES = ['active', 'inactive', 'all'] as const;

export default function AccountsPage() {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as AccountsQuery['status'])
    : 'active';
  const team = params.get('team') ?? '';
  const search = params.get('search') ?? '';
  const pager = useCursorPager();
  const [searchDraft, setSearchDraft] = useState(search);
  const teams = useTeams(isAdmin);
  const teamOptions = isAdmin ? (teams.data?.items.map((x) => x.team_id) ?? []) : user.teams;

  // A filter change starts again from the first page (a cursor belongs to the filters it was made with): what
  // pager.toFirst() does — no cursor, no trail of previous pages — in the same navigation as the new filters
  // (two navigations in one event would each start from the old URL, and the second would undo the first).
  function update(patch: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('cursor');
    setParams(next, { replace: true, state: null });
  }

  // Search as the user types, a moment after they stop.
  useEffect(() => {
    if (searchDraft === search) return;
    const timer = window.setTimeout(() => update({ search: searchDraft.trim() }), 300);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searchDraft]);

  const q: AccountsQuery = {
    status,
    team: team || undefined,
    search: search || undefined,
    cursor: pager.cursor,
    page_size: PAGE_SIZE,
  };
  const accounts = useAccounts(q);

  return (
    <>
      <PageHeader
        title={t('accounts.title')}
        actions={
          isAdmin && (
            <Link to="/accounts/new" className="btn btn--primary">
              {t('accounts.add')}
            </Link>
          )
        }
      />
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('accounts.filters')}>
        <Field label={t('common.search')}>
          {(p) => (
            <input
              {...p}
              className="input"
              type="search"
              placeholder={t('accounts.searchPlaceholder')}
              value={searchDraft}
              onChange={(e) => setSearchDraft(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('accounts.status')}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={status}
              onChange={(e) => update({ status: e.target.value === 'active' ? '' : e.target.value })}
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`accounts.statusOption.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('accounts.team')}>
          {(p) => (
            <select {...p} className="input" value={team} onChange={(e) => update({ team: e.target.value })}>
              <option value="">{t('accounts.allTeams')}</option>
              {teamOptions.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>

      {accounts.data?.total !== undefined && (
        <p className="muted" aria-live="polite">
          {t('accounts.total', { count: accounts.data.total })}
        </p>
      )}
      <CursorTable
        query={accounts}
        pager={pager}
        empty={t('accounts.none')}
        caption={t('accounts.title')}
        columns={[
          t('accounts.name'),
          t('accounts.accountId'),
          t('accounts.regions'),
          t('accounts.teams'),
          t('accounts.status'),
          t('accounts.credentials'),
        ]}
        row={(a) => (
          <tr key={a.account_id}>
            <td>
              <Link to={`/accounts/${a.account_id}`}>{a.account_name}</Link>
            </td>
            <td className="mono">{a.account_id}</td>
            <td>{a.regions.join(', ')}</td>
            <td>{a.teams.length ? a.teams.join(', ') : <span className="muted">—</span>}</td>
            <td>
              <Badge tone={a.status === 'active' ? 'ok' : 'muted'}>{t(`accounts.statusOption.${a.status}`)}</Badge>{' '}
              {a.refreshing && <Badge tone="info">{t('quota.refreshing')}</Badge>}
            </td>
            <td>{t(a.credentials.type === 'access_key' ? 'accounts.accessKey' : 'accounts.assumeRole')}</td>
          </tr>
        )}
      />
    </>
  );
}
