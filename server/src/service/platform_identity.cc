#include "service/platform_identity.h"

#include <utility>

namespace ap::service {
namespace {

// The n-th ':'-separated field of an ARN (0-based), or empty.
std::string ArnField(const std::string& arn, int n) {
  size_t start = 0;
  for (int i = 0; i < n; ++i) {
    start = arn.find(':', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  size_t end = arn.find(':', start);
  return arn.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

std::string TrustPrincipalOf(const std::string& caller_arn) {
  // arn:<partition>:sts::<account>:assumed-role/<role>/<session>
  const std::string partition = ArnField(caller_arn, 1);
  const std::string account = ArnField(caller_arn, 4);
  const std::string resource = ArnField(caller_arn, 5);
  const std::string kind = "assumed-role/";
  if (ArnField(caller_arn, 2) != "sts" || resource.rfind(kind, 0) != 0) return caller_arn;
  const std::string rest = resource.substr(kind.size());
  const std::string role = rest.substr(0, rest.find('/'));
  if (role.empty() || partition.empty() || account.empty()) return caller_arn;
  return "arn:" + partition + ":iam::" + account + ":role/" + role;
}

PlatformIdentity::PlatformIdentity(aws::Sts& sts, aws::CredentialsProvider* credentials, const Clock& clock,
                                   std::string region, Duration ttl, Duration failure_ttl)
    : sts_(sts),
      credentials_(credentials),
      clock_(clock),
      region_(std::move(region)),
      ttl_(ttl),
      failure_ttl_(failure_ttl) {}

Result<PlatformPrincipal> PlatformIdentity::Get() {
  if (credentials_ == nullptr)
    return FailedPrecondition("the platform has no AWS identity of its own (assume-role accounts need one)");
  {
    MutexLock lock(mu_);
    if (cached_ && clock_.Now() < expires_) return *cached_;
  }
  // Outside the lock: STS may take seconds, and concurrent callers may as well ask themselves.
  auto fetch = [&]() -> Result<PlatformPrincipal> {
    ASSIGN_OR_RETURN(aws::Credentials creds, credentials_->Get());
    ASSIGN_OR_RETURN(aws::CallerIdentity id, sts_.GetCallerIdentity(creds, region_));
    PlatformPrincipal p;
    p.account = id.account;
    p.arn = id.arn;
    p.principal_arn = TrustPrincipalOf(id.arn);
    p.partition = ArnField(id.arn, 1);
    if (p.partition.empty()) p.partition = "aws";
    return p;
  };
  Result<PlatformPrincipal> got = fetch();
  MutexLock lock(mu_);
  cached_ = got;
  expires_ = clock_.Now() + (got.ok() ? ttl_ : failure_ttl_);
  return got;
}

}  // namespace ap::service
