// PlatformIdentity: who the platform itself is in AWS — STS GetCallerIdentity on its own credentials (the default
// chain: the task role, a profile, the environment). The add-account form shows it, so that the trust policy a
// member account pastes names the right principal.
//
// Cache: a success is kept for `ttl` (the identity changes only when the deployment does; a restart picks a new
// one up at once), a failure for `failure_ttl`, so that a page asking again does not call STS each time.
// Concurrent first calls may each ask STS (the answers are the same); nothing depends on there being one call.
//
// Thread safety: safe from any thread. Get() blocks on STS when the cache is empty or expired: never call it on
// an HTTP I/O thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/mutex.h"

namespace ap::service {

struct PlatformPrincipal {
  std::string account;  // 12 digits
  std::string arn;      // as STS reports it (an assumed role's session ARN, an IAM user, root)
  // The principal a trust policy names: for an assumed role the role's ARN
  // ("arn:aws:sts::1:assumed-role/R/s" → "arn:aws:iam::1:role/R"; a role path, which the session ARN does not
  // carry, is lost: IAM accepts the ARN without it only for roles at "/"), else `arn` as it is.
  std::string principal_arn;
  std::string partition;  // "aws", "aws-cn", "aws-us-gov": the ARN's second field
};

// The trust-policy principal of a caller ARN (see PlatformPrincipal::principal_arn).
std::string TrustPrincipalOf(const std::string& caller_arn);

class PlatformIdentity {
 public:
  // `credentials` may be null (no identity of its own): Get() is then FailedPrecondition.
  PlatformIdentity(aws::Sts& sts, aws::CredentialsProvider* credentials, const Clock& clock, std::string region,
                   Duration ttl = std::chrono::hours(1), Duration failure_ttl = std::chrono::seconds(30));

  // The platform's principal. FailedPrecondition without credentials of its own; the credential chain's or STS's
  // error otherwise (AWS's error code first in the message), cached for failure_ttl.
  Result<PlatformPrincipal> Get();

 private:
  aws::Sts& sts_;
  aws::CredentialsProvider* credentials_;
  const Clock& clock_;
  const std::string region_;
  const Duration ttl_;
  const Duration failure_ttl_;
  Mutex mu_;
  std::optional<Result<PlatformPrincipal>> cached_ GUARDED_BY(mu_);
  TimePoint expires_ GUARDED_BY(mu_){};
};

}  // namespace ap::service
