import AccountDetailPage from '@/features/accounts/components/account-detail-page';
import { QuotaPanel } from '@/features/quota/components/quota-panel';

/** The account page with the quota feature's panel in it: the app composes the two features. */
export default function AccountDetailRoute() {
  return <AccountDetailPage quotaPanel={(props) => <QuotaPanel {...props} />} />;
}
