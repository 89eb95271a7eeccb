#include "service/account_credentials.h"

namespace ap::service {

AccountCredentials::AccountCredentials(AccountService& accounts, RoleAssumer& assumer, const Clock& clock,
                                       Duration renew_before)
    : accounts_(accounts), assumer_(assumer), clock_(clock), renew_before_(renew_before) {}

Result<aws::Credentials> AccountCredentials::For(const domain::Account& account, const std::string& region) {
  ASSIGN_OR_RETURN(domain::Credentials stored, accounts_.OpenCredentials(account));
  if (stored.type == domain::CredentialType::kAccessKey) return assumer_.Resolve(stored, region);
  std::string fingerprint = stored.role_arn + "\n" + stored.external_id;
  MutexLock lock(mu_);
  for (;;) {
    Cached& entry = cache_[account.account_id];
    bool fresh = entry.fingerprint == fingerprint && !entry.creds.empty() &&
                 (!entry.creds.expiration || *entry.creds.expiration - renew_before_ > clock_.Now());
    if (fresh) return entry.creds;
    if (!entry.in_flight) break;
    lock.Wait(cv_);  // another caller is assuming this role right now: share its result
  }
  cache_[account.account_id].in_flight = true;
  lock.Unlock();
  Result<aws::Credentials> assumed = assumer_.Resolve(stored, region);
  lock.Lock();
  Cached& entry = cache_[account.account_id];
  entry.in_flight = false;
  if (assumed.ok()) {
    entry.creds = *assumed;
    entry.fingerprint = fingerprint;
  }
  cv_.notify_all();
  return assumed;
}

void AccountCredentials::Forget(const std::string& account_id) {
  MutexLock lock(mu_);
  auto it = cache_.find(account_id);
  if (it != cache_.end() && !it->second.in_flight) cache_.erase(it);
}

}  // namespace ap::service
