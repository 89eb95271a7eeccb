#include "aws/retry.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ap::aws {

Result<RetryOptions> RetryOptionsFromEnvironment(const Environment& env, RetryOptions defaults) {
  std::string raw = GetEnv(env, "AWS_MAX_ATTEMPTS");
  if (raw.empty()) return defaults;
  int value = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (ec != std::errc() || ptr != raw.data() + raw.size() || value < 1) {
    return InvalidArgument("AWS_MAX_ATTEMPTS must be an integer >= 1, got '" + raw + "'", "AWS_MAX_ATTEMPTS");
  }
  defaults.max_attempts = value;
  return defaults;
}

RetryQuota::RetryQuota(const RetryOptions& options) : options_(options), available_(options.quota_capacity) {}

bool RetryQuota::TryAcquire(RetryKind kind, int* cost) {
  *cost = 0;
  if (options_.quota_capacity <= 0) return true;  // quota disabled
  int want = kind == RetryKind::kTimeout ? options_.timeout_retry_cost : options_.retry_cost;
  MutexLock lock(mu_);
  if (available_ < want) return false;
  available_ -= want;
  *cost = want;
  return true;
}

void RetryQuota::Release(int amount) {
  if (options_.quota_capacity <= 0 || amount <= 0) return;
  MutexLock lock(mu_);
  available_ = std::min(options_.quota_capacity, available_ + amount);
}

int RetryQuota::available() const {
  MutexLock lock(mu_);
  return available_;
}

RetryStrategy::RetryStrategy(RetryOptions options, Random& random, Sleeper& sleeper)
    : options_(options), random_(random), sleeper_(sleeper), quota_(options_) {}

Duration RetryStrategy::Backoff(int retry, RetryKind kind) {
  constexpr uint64_t kScale = uint64_t{1} << 53;
  double jitter;
  {
    MutexLock lock(random_mu_);
    jitter = static_cast<double>(random_.Uniform(kScale)) / static_cast<double>(kScale);
  }
  Duration base = kind == RetryKind::kThrottling ? options_.throttling_base : options_.transient_base;
  double exp = std::ldexp(1.0, std::clamp(retry - 1, 0, 30));
  double delay = jitter * exp * static_cast<double>(base.count());
  double cap = static_cast<double>(options_.max_backoff.count());
  return Duration(static_cast<Duration::rep>(std::min(delay, cap)));
}

Result<HttpResponse> RetryStrategy::Run(const std::function<Attempt(int attempt)>& attempt, AwsError* last_error) {
  const int max_attempts = std::max(1, options_.max_attempts);
  int last_cost = 0;
  for (int n = 1;; ++n) {
    Attempt outcome = attempt(n);
    if (outcome.response.has_value()) {
      quota_.Release(n == 1 ? options_.no_retry_increment : last_cost);
      return std::move(*outcome.response);
    }
    if (last_error != nullptr) *last_error = outcome.error;
    const RetryKind kind = outcome.error.retry_kind;
    if (kind == RetryKind::kNone || n >= max_attempts || !quota_.TryAcquire(kind, &last_cost)) {
      return ToStatus(outcome.error);
    }
    sleeper_.SleepFor(Backoff(n, kind));
  }
}

}  // namespace ap::aws
