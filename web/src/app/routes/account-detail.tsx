import AccountDetailPage from '@/features/accounts/components/account-detail-page';
import { AccountIncreases } from '@/features/increases/components/account-increases';
import { RequestIncreaseButton } from '@/features/increases/components/request-increase-button';
import { QuotaPanel } from '@/features/quota/components/quota-panel';

/**
 * The account page with the quota feature's panel in it, a "Request increase" beside each value and the account's
 * increase requests under it: the app composes the features.
 */
export default function AccountDetailRoute() {
  return (
    <AccountDetailPage
      quotaPanel={(props) => (
        <>
          <QuotaPanel
            {...props}
            valueSlot={(v) => (
              <RequestIncreaseButton
                accountId={v.accountId}
                region={v.region}
                modelId={v.modelId}
                modelName={v.modelName}
                dimension={v.dimension}
                current={v.value}
              />
            )}
          />
          <AccountIncreases accountId={props.accountId} />
        </>
      )}
    />
  );
}
