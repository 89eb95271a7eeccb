// AssumeRoleProvider: temporary credentials for a role, from STS AssumeRole called with a base provider's
// credentials (the platform's own identity), cached and refreshed ahead of expiry (5 minutes by default).
// Concurrent callers share one AssumeRole call (single-flight, see CachingCredentialsProvider).
//
// Thread safety: safe from many threads. Ownership: references the base provider, the Sts client and the Clock,
// which must outlive it.
#pragma once

#include <string>

#include "aws/clients.h"
#include "aws/credentials_provider.h"

namespace ap::aws {

class AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(CredentialsProvider& base, Sts& sts, AssumeRoleRequest request, std::string region,
                     const Clock& clock, CachingOptions options = {});

  // The role's credentials. The base provider's error when it has none; AssumeRole's error otherwise
  // (PermissionDenied for a wrong external id or an untrusted caller).
  Result<Credentials> Get() override;
  // Forgets the cached credentials (e.g. after ExpiredToken).
  void Invalidate() { cache_.Invalidate(); }
  int assume_count() const { return cache_.fetch_count(); }

 private:
  Result<Credentials> Fetch();

  CredentialsProvider& base_;
  Sts& sts_;
  const AssumeRoleRequest request_;
  const std::string region_;
  CachingCredentialsProvider cache_;
};

}  // namespace ap::aws
