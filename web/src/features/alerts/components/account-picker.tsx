import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '@/lib/api/contract';
import { useAccounts } from '@/lib/api/queries/accounts';

const PICKER_PAGE = 100;

/**
 * Chooses one account the caller may see: a search box (the accounts list's own search) and a select of the
 * first matches. `allLabel`, when given, offers "no account" (value ''). `onAccounts` hears the accounts shown.
 */
export function AccountPicker({
  value,
  onChange,
  allLabel,
  label,
}: {
  value: string;
  onChange: (accountId: string, account: Account | undefined) => void;
  allLabel?: string;
  label: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [search, setSearch] = useState('');
  const accounts = useAccounts({ search: search.trim() || undefined, page_size: PICKER_PAGE, status: 'all' });
  const items = accounts.data?.items ?? [];
  const known = items.some((a) => a.account_id === value);
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input
        type="search"
        className="input"
        aria-label={t('alerts.accountSearch')}
        placeholder={t('alerts.accountSearch')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <select
        id={id}
        className="input"
        value={value}
        onChange={(e) =>
          onChange(
            e.target.value,
            items.find((a) => a.account_id === e.target.value),
          )
        }
      >
        {allLabel !== undefined ? (
          <option value="">{allLabel}</option>
        ) : (
          <option value="">{t('alerts.chooseAccount')}</option>
        )}
        {value && !known && <option value={value}>{value}</option>}
        {items.map((a) => (
          <option key={a.account_id} value={a.account_id}>
            {a.account_name} ({a.account_id})
          </option>
        ))}
      </select>
    </div>
  );
}
