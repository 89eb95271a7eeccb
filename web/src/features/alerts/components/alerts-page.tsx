import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CursorPagination, ErrorMessage, Loading, Notice, PageHeader } from '@/components/ui';
import { useSession } from '@/lib/session';
import { useCursorPager } from '@/lib/use-cursor-pager';
import { useAccounts } from '@/lib/api/queries/accounts';
import { useAlerts } from '../api/list-alerts';
import { useAlertChannels } from '../api/list-alert-channels';
import { useAlertRules } from '../api/list-alert-rules';
import { AccountPicker } from './account-picker';
import { AlertItem, type AlertNames } from './alert-item';

const PAGE_SIZE = 20;
const STATES = ['all', 'firing', 'resolved'] as const;
type StateFilter = (typeof STATES)[number];
/** The page's sections, firing first; the state filter keeps one or both. */
const SECTIONS = ['firing', 'resolved'] as const;

function AlertSection({
  state,
  accountId,
  ruleId,
  names,
  canAct,
}: {
  state: 'firing' | 'resolved';
  accountId: string | undefined;
  ruleId: string | undefined;
  names: AlertNames;
  canAct: boolean;
}) {
  const { t } = useTranslation();
  // Each section pages on its own (?firing= / ?resolved= cursors), firing first.
  const pager = useCursorPager(state);
  const alerts = useAlerts({ state, account_id: accountId, rule_id: ruleId, cursor: pager.cursor, limit: PAGE_SIZE });
  const titleId = `alerts-${state}-title`;
  return (
    <section className="section" aria-labelledby={titleId}>
      <h2 id={titleId}>{t(`alerts.sections.${state}`)}</h2>
      {alerts.isPending && <Loading />}
      <ErrorMessage error={alerts.error} />
      {alerts.data && alerts.data.items.length === 0 && <p className="muted">{t(`alerts.none.${state}`)}</p>}
      {alerts.data && alerts.data.items.length > 0 && (
        <>
          <div className="stack">
            {alerts.data.items.map((a) => (
              <AlertItem key={a.alert_id} alert={a} names={names} canAct={canAct} />
            ))}
          </div>
          <CursorPagination pager={pager} next={alerts.data.next} />
        </>
      )}
    </section>
  );
}

/**
 * The alerts list: firing alerts first, then resolved ones, each newest first. Admins see the fleet or one
 * account; users choose one of their accounts (the API needs it).
 */
export default function AlertsPage() {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const [params, setParams] = useSearchParams();
  const stateParam = params.get('state');
  const state: StateFilter = STATES.find((s) => s === stateParam) ?? 'all';
  const accountId = params.get('account_id') ?? '';
  // Admins may follow a rule's "Alerts" link: one rule's alerts (the API takes a rule or an account, not both).
  const ruleId = isAdmin && !accountId ? (params.get('rule_id') ?? '') : '';
  const rules = useAlertRules(isAdmin && Boolean(ruleId));
  const ruleName = rules.data?.items.find((r) => r.id === ruleId)?.name ?? ruleId;
  // Names for the ids on the cards: the accounts of the first page (the picker's), channel names for admins.
  const accounts = useAccounts({ page_size: 100, status: 'all' });
  const channels = useAlertChannels(isAdmin);
  const account = accounts.data?.items.find((a) => a.account_id === accountId);
  const names: AlertNames = {
    account: (id) => accounts.data?.items.find((a) => a.account_id === id)?.account_name,
    channel: (id) => channels.data?.items.find((c) => c.id === id)?.name,
    user: (id) => (id === user.user_id ? user.email : undefined),
  };
  // The server decides; the buttons show where they can succeed: admins, or users of one of the account's teams.
  const canAct = isAdmin || !account || account.teams.some((team) => user.teams.includes(team));

  function setFilter(key: 'state' | 'account_id' | 'rule_id', value: string) {
    setParams((p) => {
      const out = new URLSearchParams(p);
      if (value && value !== 'all') out.set(key, value);
      else out.delete(key);
      if (key === 'account_id' && value) out.delete('rule_id');
      // A cursor belongs to one filter.
      out.delete('firing');
      out.delete('resolved');
      return out;
    });
  }

  const ready = isAdmin || Boolean(accountId);
  return (
    <>
      <PageHeader title={t('alerts.title')}>
        <p className="muted">{t('alerts.intro')}</p>
      </PageHeader>
      <div className="filters" role="search">
        <div className="field">
          <label htmlFor="alerts-state" className="field__label">
            {t('alerts.stateFilter')}
          </label>
          <select
            id="alerts-state"
            className="input"
            value={state}
            onChange={(e) => setFilter('state', e.target.value)}
          >
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`alerts.stateOption.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <AccountPicker
          label={t('alerts.account')}
          value={accountId}
          allLabel={isAdmin ? t('alerts.allAccounts') : undefined}
          onChange={(id) => setFilter('account_id', id)}
        />
      </div>
      {ruleId && (
        <p className="filters__note">
          {t('alerts.ruleFilter', { name: ruleName })}{' '}
          <button type="button" className="btn btn--small" onClick={() => setFilter('rule_id', '')}>
            {t('alerts.clearRuleFilter')}
          </button>
        </p>
      )}
      {!ready && <Notice>{t('alerts.pickAccount')}</Notice>}
      {ready &&
        SECTIONS.filter((s) => state === 'all' || state === s).map((s) => (
          <AlertSection
            key={s}
            state={s}
            accountId={accountId || undefined}
            ruleId={ruleId || undefined}
            names={names}
            canAct={canAct}
          />
        ))}
    </>
  );
}
