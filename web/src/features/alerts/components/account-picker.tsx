import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '@/components/ui';
import { useAccounts } from '@/lib/api/queries/accounts';

const PICKER_PAGE = 100;

/**
 * Chooses one account the caller may see: a select of the first matches and, beside it, a search box (the accounts
 * list's own search) that narrows them. Two grid cells (for "filters" and "form-grid"). `allLabel`, when given,
 * offers "no account" (value ''); `error` shows under the select.
 */
export function AccountPicker({
  value,
  onChange,
  allLabel,
  label,
  error,
}: {
  value: string;
  onChange: (accountId: string) => void;
  allLabel?: string;
  label: string;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const accounts = useAccounts({ search: search.trim() || undefined, page_size: PICKER_PAGE, status: 'all' });
  const items = accounts.data?.items ?? [];
  const known = items.some((a) => a.account_id === value);
  return (
    <>
      <Field label={label} error={error}>
        {(p) => (
          <select {...p} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{allLabel ?? t('alerts.chooseAccount')}</option>
            {value && !known && <option value={value}>{value}</option>}
            {items.map((a) => (
              <option key={a.account_id} value={a.account_id}>
                {a.account_name} ({a.account_id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('alerts.accountSearch')}>
        {(p) => (
          <input {...p} type="search" className="input" value={search} onChange={(e) => setSearch(e.target.value)} />
        )}
      </Field>
    </>
  );
}
