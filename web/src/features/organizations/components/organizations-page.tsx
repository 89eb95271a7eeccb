import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, DataTable, ErrorMessage, Field, MultiCheck, Notice, PageHeader, type BadgeTone } from '@/components/ui';
import { fieldError } from '@/lib/form-errors';
import { useAccounts } from '@/lib/api/queries/accounts';
import { useTeams } from '@/lib/api/queries/teams';
import { useFormat } from '@/lib/use-format';
import { useOrganizationAccounts, type OrganizationAccount } from '../api/list-organization-accounts';
import {
  useRegisterOrganizationAccounts,
  type OrganizationRegistrationOutcome,
} from '../api/register-organization-accounts';

const PAGE_SIZE = 50;
const MAX_SELECTION = 100;
const DEFAULT_ROLE = 'OrganizationAccountAccessRole';

const AWS_STATUS_TONE: Record<string, BadgeTone> = { ACTIVE: 'ok', SUSPENDED: 'error', PENDING_CLOSURE: 'warn' };
const RESULT_TONE: Record<OrganizationRegistrationOutcome['result'], BadgeTone> = {
  registered: 'ok',
  already_registered: 'muted',
  failed: 'error',
};

/** The management (or delegated administrator) account to read the organization through: any registered account. */
function ManagementPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const accounts = useAccounts({ page_size: 200 });
  return (
    <Field label={t('organizations.management')} hint={t('organizations.managementHint')}>
      {(p) => (
        <select {...p} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('organizations.chooseManagement')}</option>
          {(accounts.data?.items ?? []).map((a) => (
            <option key={a.account_id} value={a.account_id}>
              {a.account_name} ({a.account_id})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function AccountRow({
  account,
  selected,
  onToggle,
}: {
  account: OrganizationAccount;
  selected: boolean;
  onToggle: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={t('organizations.select', { id: account.account_id })}
          checked={selected}
          disabled={account.registered}
          onChange={(e) => onToggle(e.target.checked)}
        />
      </td>
      <td className="mono">{account.account_id}</td>
      <td>
        {account.name}
        <div className="small muted">{account.email}</div>
      </td>
      <td>{account.ou_path ?? <span className="muted">—</span>}</td>
      <td>
        {account.status ? (
          <Badge tone={AWS_STATUS_TONE[account.status] ?? 'muted'}>{account.status}</Badge>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {account.registered ? (
          <Badge tone="ok">{t(`organizations.platformStatus.${account.platform_status ?? 'active'}`)}</Badge>
        ) : (
          <Badge tone="muted">{t('organizations.notRegistered')}</Badge>
        )}
      </td>
      <td>{account.joined_at ? dateTime(account.joined_at) : <span className="muted">—</span>}</td>
    </tr>
  );
}

function Results({ outcomes }: { outcomes: OrganizationRegistrationOutcome[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={t('organizations.results')}
      columns={[t('organizations.col.account'), t('organizations.col.result'), t('organizations.col.error')]}
    >
      {outcomes.map((o) => (
        <tr key={o.account_id}>
          <td className="mono">{o.account_id}</td>
          <td>
            <Badge tone={RESULT_TONE[o.result]}>{t(`organizations.result.${o.result}`)}</Badge>
          </td>
          <td>{o.error ? <span className="text-error">{o.error.message}</span> : <span className="muted">—</span>}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * Organizations onboarding (admins): pick the registered management account, see the organization's accounts with
 * OU, AWS status and registration, select some and register them through a role and external id; per-account
 * results.
 */
export default function OrganizationsPage() {
  const { t } = useTranslation();
  const [management, setManagement] = useState('');
  const [unregisteredOnly, setUnregisteredOnly] = useState(true);
  const [trail, setTrail] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [roleName, setRoleName] = useState(DEFAULT_ROLE);
  const [externalId, setExternalId] = useState('');
  const [teams, setTeams] = useState<string[]>([]);
  const teamList = useTeams();
  const page = useOrganizationAccounts(management, {
    registered: unregisteredOnly ? false : undefined,
    cursor,
    page_size: PAGE_SIZE,
  });
  const register = useRegisterOrganizationAccounts(management);

  function resetPaging() {
    setTrail([]);
    setCursor(undefined);
  }
  function toggle(id: string, on: boolean) {
    setSelected((s) => (on ? (s.includes(id) ? s : [...s, id]) : s.filter((x) => x !== id)));
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    register.mutate(
      {
        account_ids: selected,
        role_name: roleName.trim() || DEFAULT_ROLE,
        external_id: externalId.trim() || undefined,
        teams,
      },
      { onSuccess: () => setSelected([]) },
    );
  }

  const items = page.data?.items ?? [];
  const tooMany = selected.length > MAX_SELECTION;
  return (
    <>
      <PageHeader title={t('organizations.title')}>
        <p className="muted">{t('organizations.intro')}</p>
      </PageHeader>
      <div className="filters">
        <ManagementPicker
          value={management}
          onChange={(id) => {
            setManagement(id);
            setSelected([]);
            resetPaging();
            register.reset();
          }}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={unregisteredOnly}
            onChange={(e) => {
              setUnregisteredOnly(e.target.checked);
              resetPaging();
            }}
          />
          <span>{t('organizations.unregisteredOnly')}</span>
        </label>
      </div>

      {!management && <Notice>{t('organizations.pickManagement')}</Notice>}
      {management && page.isError && <ErrorMessage error={page.error} />}
      {management && page.isPending && <p className="muted">{t('common.loading')}</p>}
      {management && page.data && (
        <>
          <p className="muted">
            {t('organizations.summary', { count: page.data.organization_accounts, selected: selected.length })}
          </p>
          {items.length === 0 ? (
            <Notice>{t('organizations.none')}</Notice>
          ) : (
            <DataTable
              caption={t('organizations.tableCaption')}
              columns={[
                t('organizations.col.select'),
                t('organizations.col.account'),
                t('organizations.col.name'),
                t('organizations.col.ou'),
                t('organizations.col.awsStatus'),
                t('organizations.col.registered'),
                t('organizations.col.joined'),
              ]}
            >
              {items.map((a) => (
                <AccountRow
                  key={a.account_id}
                  account={a}
                  selected={selected.includes(a.account_id)}
                  onToggle={(on) => toggle(a.account_id, on)}
                />
              ))}
            </DataTable>
          )}
          <div className="pagination">
            <button
              type="button"
              className="btn btn--small"
              disabled={trail.length === 0}
              onClick={() => {
                setCursor(trail[trail.length - 1]);
                setTrail(trail.slice(0, -1));
              }}
            >
              {t('organizations.previous')}
            </button>
            <button
              type="button"
              className="btn btn--small"
              disabled={!page.data.next}
              onClick={() => {
                setTrail([...trail, cursor]);
                setCursor(page.data.next ?? undefined);
              }}
            >
              {t('organizations.next')}
            </button>
          </div>

          <form className="form" onSubmit={submit} aria-label={t('organizations.registerForm')}>
            <h2>{t('organizations.registerTitle')}</h2>
            <div className="form-grid">
              <Field
                label={t('organizations.roleName')}
                hint={t('organizations.roleNameHint')}
                error={fieldError(register.error, 'role_name')}
              >
                {(p) => (
                  <input {...p} className="input" value={roleName} onChange={(e) => setRoleName(e.target.value)} />
                )}
              </Field>
              <Field label={t('organizations.externalId')} error={fieldError(register.error, 'external_id')}>
                {(p) => (
                  <input {...p} className="input" value={externalId} onChange={(e) => setExternalId(e.target.value)} />
                )}
              </Field>
            </div>
            <Field label={t('organizations.teams')} error={fieldError(register.error, 'teams')}>
              {() => (
                <MultiCheck
                  name="teams"
                  options={(teamList.data?.items ?? []).map((x) => x.team_id)}
                  value={teams}
                  onChange={setTeams}
                />
              )}
            </Field>
            {tooMany && <Notice tone="warn">{t('organizations.tooMany', { max: MAX_SELECTION })}</Notice>}
            {register.isError &&
              !fieldError(register.error, 'role_name') &&
              !fieldError(register.error, 'external_id') && <ErrorMessage error={register.error} />}
            <button
              type="submit"
              className="btn btn--primary"
              disabled={selected.length === 0 || tooMany || register.isPending}
            >
              {register.isPending
                ? t('organizations.registering')
                : t('organizations.register', { count: selected.length })}
            </button>
          </form>
        </>
      )}

      {register.data && (
        <section aria-label={t('organizations.results')}>
          <h2>{t('organizations.results')}</h2>
          <p>
            {t('organizations.resultSummary', {
              registered: register.data.registered,
              already: register.data.already_registered,
              failed: register.data.failed,
            })}
          </p>
          <Results outcomes={register.data.results} />
        </section>
      )}
    </>
  );
}
