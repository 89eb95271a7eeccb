#include "aws/credentials_provider.h"

namespace ap::aws {

Result<Credentials> StaticCredentialsProvider::Get() {
  if (creds_.empty()) return Unauthenticated("static credentials are empty");
  return creds_;
}

EnvironmentCredentialsProvider::EnvironmentCredentialsProvider(const Environment& env)
    : access_key_id_(GetEnv(env, "AWS_ACCESS_KEY_ID")),
      secret_access_key_(GetEnv(env, "AWS_SECRET_ACCESS_KEY")),
      session_token_(GetEnv(env, "AWS_SESSION_TOKEN")) {}

Result<Credentials> EnvironmentCredentialsProvider::Get() {
  if (access_key_id_.empty() && secret_access_key_.empty()) {
    return Unauthenticated("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (access_key_id_.empty()) return Unauthenticated("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  if (secret_access_key_.empty()) {
    return Unauthenticated("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  Credentials c;
  c.access_key_id = access_key_id_;
  c.secret_access_key = secret_access_key_;
  c.session_token = session_token_;
  return c;
}

CachingCredentialsProvider::CachingCredentialsProvider(Fetch fetch, const Clock& clock, CachingOptions options)
    : fetch_(std::move(fetch)), clock_(clock), options_(options) {}

CachingCredentialsProvider::CachingCredentialsProvider(std::unique_ptr<CredentialsProvider> inner, const Clock& clock,
                                                       CachingOptions options)
    : inner_(std::move(inner)), clock_(clock), options_(options) {
  CredentialsProvider* raw = inner_.get();
  fetch_ = [raw] { return raw->Get(); };
}

bool CachingCredentialsProvider::FreshLocked(TimePoint now) const { return cached_.has_value() && now < refresh_at_; }

bool CachingCredentialsProvider::UsableLocked(TimePoint now) const {
  return cached_.has_value() && (!expires_at_.has_value() || now < *expires_at_);
}

Result<Credentials> CachingCredentialsProvider::Get() {
  MutexLock lock(mu_);
  TimePoint now = clock_.Now();
  if (FreshLocked(now)) return *cached_;
  if (fetching_) {
    // Someone else is refreshing: serve what is still valid, or wait for their result.
    if (UsableLocked(now)) return *cached_;
    uint64_t waiting_for = generation_;
    lock.Wait(cv_, [&]() REQUIRES(mu_) { return generation_ != waiting_for; });
    if (UsableLocked(clock_.Now())) return *cached_;
    return last_error_.ok() ? Unavailable("credentials refresh failed") : last_error_;
  }
  fetching_ = true;
  lock.Unlock();
  Result<Credentials> fetched = fetch_();
  lock.Lock();
  fetching_ = false;
  ++generation_;
  ++fetch_count_;
  now = clock_.Now();
  if (fetched.ok()) {
    cached_ = *fetched;
    last_error_ = Status::Ok();
    expires_at_ = fetched->expiration;
    if (expires_at_.has_value()) {
      Duration lifetime = *expires_at_ - now;
      refresh_at_ = lifetime > 2 * options_.refresh_ahead ? *expires_at_ - options_.refresh_ahead : now + lifetime / 2;
    } else {
      refresh_at_ = options_.static_ttl > Duration::zero() ? now + options_.static_ttl : TimePoint::max();
    }
  } else {
    last_error_ = fetched.status();
  }
  cv_.notify_all();
  if (fetched.ok()) return fetched;
  // A failed refresh does not take away credentials that are still valid.
  if (UsableLocked(now)) return *cached_;
  return fetched.status();
}

void CachingCredentialsProvider::Invalidate() {
  MutexLock lock(mu_);
  cached_.reset();
  expires_at_.reset();
}

int CachingCredentialsProvider::fetch_count() const {
  MutexLock lock(mu_);
  return fetch_count_;
}

CredentialsProviderChain::CredentialsProviderChain(std::vector<Link> links) : links_(std::move(links)) {}

Result<Credentials> CredentialsProviderChain::Get() {
  std::string reasons;
  bool unreachable = false;
  for (auto& link : links_) {
    Result<Credentials> r = link.provider->Get();
    if (r.ok()) return r;
    StatusCode code = r.status().code();
    unreachable = unreachable || code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
    if (!reasons.empty()) reasons += "; ";
    reasons += link.name + ": " + r.status().message();
  }
  std::string message = "no AWS credentials found (" + reasons + ")";
  return unreachable ? Unavailable(std::move(message)) : Unauthenticated(std::move(message));
}

}  // namespace ap::aws
