import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccountMayRequest } from '../api/list-account-quota-increases';
import { RequestIncreaseDialog, type IncreaseTarget } from './request-increase-dialog';

/**
 * "Request increase" beside one value of a quota card (the app places it through the quota card's value slot);
 * nothing when the caller may not request increases for the account.
 */
export function RequestIncreaseButton(target: IncreaseTarget) {
  const { t } = useTranslation();
  const may = useAccountMayRequest(target.accountId);
  const [open, setOpen] = useState(false);
  if (!may) return null;
  const label = `${t('increases.request')}: ${target.modelName} · ${t(`quota.dim.${target.dimension}`)}`;
  return (
    <>
      <button type="button" className="btn btn--small" aria-label={label} title={label} onClick={() => setOpen(true)}>
        {t('increases.request')}
      </button>
      {open && <RequestIncreaseDialog target={target} onClose={() => setOpen(false)} />}
    </>
  );
}
