#include "service/account_credentials.h"

namespace ap::service {

AccountCredentials::AccountCredentials(AccountService& accounts, aws::Sts& sts,
                                       aws::CredentialsProvider* platform_identity, const Clock& clock,
                                       Duration renew_before)
    : accounts_(accounts), sts_(sts), platform_identity_(platform_identity), clock_(clock),
      renew_before_(renew_before) {}

Result<aws::Credentials> AccountCredentials::Assume(const domain::Credentials& role, const std::string& region) {
  if (!platform_identity_)
    return FailedPrecondition("the platform has no AWS identity of its own to assume roles with");
  ASSIGN_OR_RETURN(aws::Credentials base, platform_identity_->Get());
  aws::AssumeRoleRequest req;
  req.role_arn = role.role_arn;
  req.external_id = role.external_id;
  req.role_session_name = "account-platform";
  return sts_.AssumeRole(base, region, req);
}

Result<aws::Credentials> AccountCredentials::For(const domain::Account& account, const std::string& region) {
  ASSIGN_OR_RETURN(domain::Credentials stored, accounts_.OpenCredentials(account));
  if (stored.type == domain::CredentialType::kAccessKey) {
    aws::Credentials c;
    c.access_key_id = stored.access_key_id;
    c.secret_access_key = stored.secret_access_key;
    c.session_token = stored.session_token;
    return c;
  }
  std::string fingerprint = stored.role_arn + "\n" + stored.external_id;
  std::unique_lock lock(mu_);
  for (;;) {
    Cached& entry = cache_[account.account_id];
    bool fresh = entry.fingerprint == fingerprint && !entry.creds.empty() &&
                 (!entry.creds.expiration || *entry.creds.expiration - renew_before_ > clock_.Now());
    if (fresh) return entry.creds;
    if (!entry.in_flight) break;
    cv_.wait(lock);  // another caller is assuming this role right now: share its result
  }
  cache_[account.account_id].in_flight = true;
  lock.unlock();
  Result<aws::Credentials> assumed = Assume(stored, region);
  lock.lock();
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
  std::lock_guard lock(mu_);
  auto it = cache_.find(account_id);
  if (it != cache_.end() && !it->second.in_flight) cache_.erase(it);
}

}  // namespace ap::service
