#include "aws/assume_role_provider.h"

namespace ap::aws {

AssumeRoleProvider::AssumeRoleProvider(CredentialsProvider& base, Sts& sts, AssumeRoleRequest request,
                                       std::string region, const Clock& clock, CachingOptions options)
    : base_(base),
      sts_(sts),
      request_(std::move(request)),
      region_(std::move(region)),
      cache_([this] { return Fetch(); }, clock, options) {}

Result<Credentials> AssumeRoleProvider::Get() { return cache_.Get(); }

Result<Credentials> AssumeRoleProvider::Fetch() {
  ASSIGN_OR_RETURN(Credentials base, base_.Get());
  return sts_.AssumeRole(base, region_, request_);
}

}  // namespace ap::aws
