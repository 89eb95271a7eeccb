#include "aws/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ap::aws {
namespace {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

RateLimitTable DefaultRateLimits() {
  return {
      {"GetServiceQuota", {5, 5}},
      {"GetAWSDefaultServiceQuota", {5, 5}},
      {"ListServiceQuotas", {10, 10}},
      {"ListAWSDefaultServiceQuotas", {10, 10}},
      {"RequestServiceQuotaIncrease", {3, 3}},
      {"GetRequestedServiceQuotaChange", {5, 5}},
      {"ListRequestedServiceQuotaChangeHistory", {5, 5}},
      {"ListRequestedServiceQuotaChangeHistoryByQuota", {5, 5}},
      {"ListServices", {10, 10}},
      {"GetContactInformation", {10, 15}},
      {"PutContactInformation", {5, 8}},
      {"GetMetricData", {50, 50}},
      {"ListMetrics", {25, 25}},
      {"DescribeOrganization", {5, 10}},
      {"ListAccounts", {5, 10}},
      {"ListRoots", {5, 10}},
      {"ListOrganizationalUnitsForParent", {5, 10}},
      {"ListAccountsForParent", {5, 10}},
      {"DescribeOrganizationalUnit", {5, 10}},
      {"ListParents", {5, 10}},
      {"GetCallerIdentity", {600, 600}},
      {"AssumeRole", {600, 600}},
  };
}

RateLimiter::RateLimiter(const Clock& clock, Sleeper& sleeper, RateLimiterOptions options)
    : clock_(clock), sleeper_(sleeper), options_(std::move(options)) {}

Duration RateLimiter::Reserve(std::string_view access_key_id, std::string_view region, std::string_view operation) {
  auto limit_it = options_.limits.find(operation);
  if (limit_it == options_.limits.end()) return Duration::zero();
  const double rate = std::max(1e-6, limit_it->second.rate * std::clamp(options_.headroom, 0.01, 1.0));
  const double burst = std::max(1.0, limit_it->second.burst);

  std::string key;
  key.reserve(access_key_id.size() + region.size() + operation.size() + 2);
  key.append(access_key_id).push_back('\n');
  key.append(region).push_back('\n');
  key.append(operation);

  const TimePoint now = clock_.Now();
  double deficit;
  {
    MutexLock lock(mu_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
      if (buckets_.size() >= options_.max_buckets) PruneLocked(now);
      it = buckets_.emplace(std::move(key), Bucket{burst, now}).first;
    } else if (now > it->second.last) {
      // A wall clock that steps back simply refills nothing until it catches up.
      it->second.tokens = std::min(burst, it->second.tokens + Seconds(now - it->second.last) * rate);
      it->second.last = now;
    }
    it->second.tokens -= 1;
    deficit = -it->second.tokens;
  }
  if (deficit <= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(deficit / rate));
}

void RateLimiter::Acquire(std::string_view access_key_id, std::string_view region, std::string_view operation) {
  Duration wait = Reserve(access_key_id, region, operation);
  if (wait > Duration::zero()) sleeper_.SleepFor(wait);
}

size_t RateLimiter::bucket_count() const {
  MutexLock lock(mu_);
  return buckets_.size();
}

void RateLimiter::PruneLocked(TimePoint now) {
  // A bucket that would be full by now carries no state worth keeping.
  std::erase_if(buckets_, [&](const auto& entry) {
    const auto& [key, bucket] = entry;
    std::string_view op = std::string_view(key).substr(key.rfind('\n') + 1);
    auto limit_it = options_.limits.find(op);
    if (limit_it == options_.limits.end()) return true;
    double rate = limit_it->second.rate * options_.headroom;
    return bucket.tokens + Seconds(now - bucket.last) * rate >= limit_it->second.burst;
  });
}

}  // namespace ap::aws
