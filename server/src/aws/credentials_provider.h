// Credentials providers (implementations of CredentialsProvider in clients.h) and the pieces they are built from.
// Modelled on the AWS SDKs' default chain (and Envoy's source/extensions/common/aws/credentials_provider_impl):
//
//   environment → shared files (~/.aws/credentials, ~/.aws/config) → container (ECS/EKS) → EC2 instance metadata
//
// Every provider returns Unauthenticated when it has nothing to offer (not configured, no such profile, IMDS
// disabled …) and Unavailable / DeadlineExceeded when it is configured but its source cannot be reached. The chain
// tries each in order and returns the first credentials found.
//
// This header: Static, Environment, Caching (refresh ahead of expiry, single-flight) and Chain.
// profile_credentials_provider.h: shared files. metadata_credentials_provider.h: container and IMDS.
// assume_role_provider.h: STS AssumeRole on top of another provider. aws_clients.h: MakeDefaultCredentialsChain().
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "aws/environment.h"
#include "common/clock.h"
#include "common/mutex.h"

namespace ap::aws {

// Fixed credentials (e.g. an account's stored access key). Thread-safe; immutable.
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials creds) : creds_(std::move(creds)) {}
  // The credentials; Unauthenticated when they are empty.
  Result<Credentials> Get() override;

 private:
  const Credentials creds_;
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional) from the injected environment. Thread-safe;
// immutable (the environment is a snapshot taken at construction).
class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(const Environment& env);
  // Unauthenticated when the key id or the secret is unset (naming which).
  Result<Credentials> Get() override;

 private:
  std::string access_key_id_;
  std::string secret_access_key_;
  std::string session_token_;
};

struct CachingOptions {
  // Credentials with an expiration are refreshed this long before it. When they live shorter than twice this, they
  // are refreshed at half their lifetime instead. Default 5 minutes.
  Duration refresh_ahead = std::chrono::minutes(5);
  // Credentials without an expiration (env, files) are fetched again after this long (picks up rotated keys);
  // zero = keep them forever. Default 15 minutes.
  Duration static_ttl = std::chrono::minutes(15);
};

// Caches what a fetch function (or an inner provider) returns and refreshes it ahead of expiry.
//
// Single-flight: one thread fetches at a time; while it does, other callers get the cached credentials if they
// have not expired yet, or wait for the fetch and share its result. A failed refresh keeps serving the cached
// credentials until they expire.
//
// Thread safety: safe from many threads. Ownership: owns the inner provider; references the Clock.
class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  using Fetch = std::function<Result<Credentials>()>;

  CachingCredentialsProvider(Fetch fetch, const Clock& clock, CachingOptions options = {});
  CachingCredentialsProvider(std::unique_ptr<CredentialsProvider> inner, const Clock& clock,
                             CachingOptions options = {});

  // Cached or freshly fetched credentials; the fetch's error when there is nothing valid to serve.
  Result<Credentials> Get() override;
  // Drops the cached credentials (e.g. after the service answered ExpiredToken); the next Get() fetches.
  void Invalidate();
  // How many fetches have run (for tests).
  int fetch_count() const;

 private:
  bool FreshLocked(TimePoint now) const REQUIRES(mu_);
  bool UsableLocked(TimePoint now) const REQUIRES(mu_);

  std::unique_ptr<CredentialsProvider> inner_;
  Fetch fetch_;
  const Clock& clock_;
  const CachingOptions options_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  bool fetching_ GUARDED_BY(mu_) = false;
  uint64_t generation_ GUARDED_BY(mu_) = 0;  // bumped after every fetch, so waiters know theirs finished
  std::optional<Credentials> cached_ GUARDED_BY(mu_);
  TimePoint refresh_at_ GUARDED_BY(mu_);
  std::optional<TimePoint> expires_at_ GUARDED_BY(mu_);
  Status last_error_ GUARDED_BY(mu_);
  int fetch_count_ GUARDED_BY(mu_) = 0;
};

// Tries providers in order; returns the first credentials found. When all fail: Unavailable if any source was
// unreachable (Unavailable / DeadlineExceeded), else Unauthenticated; the message lists each provider's reason.
// Thread safety: as safe as its providers (all of ours are). Ownership: owns the providers.
class CredentialsProviderChain final : public CredentialsProvider {
 public:
  struct Link {
    std::string name;  // "environment", "profile", "container", "imds" — used in error messages
    std::unique_ptr<CredentialsProvider> provider;
  };
  explicit CredentialsProviderChain(std::vector<Link> links);
  Result<Credentials> Get() override;

 private:
  std::vector<Link> links_;
};

}  // namespace ap::aws
