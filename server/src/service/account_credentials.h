// AccountCredentials: the AWS credentials to use for one registered account.
//  - access_key accounts: the stored keys, decrypted.
//  - assume_role accounts: the platform's own identity (its credential chain) assumes the account's role with
//    its external id; the temporary credentials are cached per account and renewed `renew_before` ahead of
//    their expiry, with one AssumeRole in flight per account however many callers ask at once.
//
// Thread safety: safe from any thread. Blocking (may call STS): never call on an HTTP I/O thread.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "domain/account.h"
#include "service/account_service.h"
#include "service/role_assumer.h"

namespace ap::service {

class AccountCredentials {
 public:
  AccountCredentials(AccountService& accounts, RoleAssumer& assumer, const Clock& clock,
                     Duration renew_before = std::chrono::minutes(5));

  // Credentials for calls in `region`. Internal if the stored secret cannot be decrypted; Unauthenticated /
  // PermissionDenied / Unavailable from STS (message starts with AWS's error code) for a role that cannot be
  // assumed; FailedPrecondition when the platform has no identity of its own to assume roles with.
  Result<aws::Credentials> For(const domain::Account& account, const std::string& region);

  // Drops the cached role credentials of an account (after its credentials were rotated).
  void Forget(const std::string& account_id);

 private:
  struct Cached {
    aws::Credentials creds;
    std::string fingerprint;  // role arn + external id the credentials were made for
    bool in_flight = false;
  };
  AccountService& accounts_;
  RoleAssumer& assumer_;
  const Clock& clock_;
  const Duration renew_before_;
  Mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Cached> cache_ GUARDED_BY(mu_);
};

}  // namespace ap::service
