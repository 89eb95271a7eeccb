// RoleAssumer: turns an account's stored credentials into AWS credentials and proves whose they are.
//  - access_key: used as they are.
//  - assume_role: the platform's own identity (its default credential chain) calls STS AssumeRole with the
//    role ARN and external id.
// CallerAccount() asks STS GetCallerIdentity which AWS account the credentials belong to — how onboarding
// learns (and checks) the account id.
//
// Thread safety: safe from any thread. Blocking (STS calls): never call on an HTTP I/O thread.
#pragma once

#include <string>

#include "aws/clients.h"
#include "domain/account.h"

namespace ap::service {

class RoleAssumer {
 public:
  // `platform_identity` may be null: assume_role credentials then fail with FailedPrecondition.
  RoleAssumer(aws::Sts& sts, aws::CredentialsProvider* platform_identity)
      : sts_(sts), platform_identity_(platform_identity) {}

  // AWS credentials for `c` in `region` (no caching here; see AccountCredentials). Errors from STS keep AWS's
  // error code at the start of the message.
  Result<aws::Credentials> Resolve(const domain::Credentials& c, const std::string& region);
  // The 12-digit account id the credentials belong to. Unauthenticated / PermissionDenied when AWS rejects
  // them; Unavailable / DeadlineExceeded when STS cannot be reached.
  Result<std::string> CallerAccount(const domain::Credentials& c, const std::string& region);

  aws::Sts& sts() { return sts_; }

 private:
  aws::Sts& sts_;
  aws::CredentialsProvider* platform_identity_;
};

}  // namespace ap::service
