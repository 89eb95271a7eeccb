// RateLimiter: client-side token buckets per (access key id, region, operation) at the API request rates AWS
// publishes, so that bulk work (refreshing the quotas of hundreds of accounts) paces itself instead of provoking
// throttling and burning the retry quota.
//
// Rates (requests per second, bucket size = burst):
//  - Service Quotas ("Service quotas for Service Quotas", API request rates): GetServiceQuota 5,
//    GetAWSDefaultServiceQuota 5, ListServiceQuotas 10, ListAWSDefaultServiceQuotas 10,
//    RequestServiceQuotaIncrease 3, GetRequestedServiceQuotaChange / ListRequestedServiceQuotaChangeHistory[ByQuota]
//    5, ListServices 10; burst = rate.
//  - Account Management: GetContactInformation 10 (burst 15), PutContactInformation 5 (burst 8).
//  - STS: 600.
//  - CloudWatch ("CloudWatch service quotas" in the CloudWatch user guide, and the AWS Knowledge Center article
//    "Which API should I use, GetMetricData or GetMetricStatistics?": "50 transactions per second"):
//    GetMetricData 50, ListMetrics 25 (the quotas page's figure as remembered; not re-read when this was written:
//    check it), per account and region; burst = rate (AWS publishes none). GetMetricData's
//    other quota, data points per second (180,000 for ranges starting within 3 h, 396,000 otherwise), is not
//    paced here: a usage poll of a few models asks for far fewer points per request.
//  - AWS Organizations: AWS publishes no per-operation rates (it throttles with TooManyRequestsException, "too many
//    requests"); DescribeOrganization, ListAccounts, ListRoots, ListOrganizationalUnitsForParent,
//    ListAccountsForParent, DescribeOrganizationalUnit, ListParents 5 (burst 10) — our choice, well under what an
//    onboarding walk needs to finish in seconds.
// These are the same figures tools/aws-sim/rate-limit.mjs enforces. Operations not listed are not limited.
//
// Buckets refill at `headroom` × rate (default 0.9): at exactly the server's rate, a request that reaches the server
// a millisecond sooner than its predecessor (the first call of a burst pays the TCP handshake) finds less than one
// token there and is throttled; 10 % headroom absorbs that jitter. Set 1.0 for the exact published rate.
//
// Acquire() reserves a token (a bucket may go negative: later callers queue behind earlier ones) and sleeps,
// outside the lock, until the reservation is due. Time comes from the injected Clock, waiting from the Sleeper.
//
// Thread safety: safe from many threads (one mutex around the buckets; no sleeping under it).
// Ownership: keeps references to the Clock and Sleeper, which must outlive it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "aws/sleeper.h"
#include "common/clock.h"
#include "common/mutex.h"

namespace ap::aws {

struct RateLimit {
  double rate = 1;   // tokens per second, > 0
  double burst = 1;  // bucket size, >= 1
};
using RateLimitTable = std::map<std::string, RateLimit, std::less<>>;

// The table above.
RateLimitTable DefaultRateLimits();

struct RateLimiterOptions {
  RateLimitTable limits = DefaultRateLimits();  // per operation name
  double headroom = 0.9;                        // fraction of the rate actually used, (0, 1]
  size_t max_buckets = 100000;                  // idle (full) buckets are dropped beyond this many
};

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, Sleeper& sleeper, RateLimiterOptions options = {});

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Blocks until the call may be made. Returns at once for operations without a limit.
  void Acquire(std::string_view access_key_id, std::string_view region, std::string_view operation);

  // Takes a token and returns how long the caller must wait before using it (zero when one was available). The
  // non-blocking half of Acquire(), for callers with their own scheduling and for tests.
  Duration Reserve(std::string_view access_key_id, std::string_view region, std::string_view operation);

  size_t bucket_count() const;

 private:
  struct Bucket {
    double tokens;
    TimePoint last;
  };
  void PruneLocked(TimePoint now) REQUIRES(mu_);

  const Clock& clock_;
  Sleeper& sleeper_;
  const RateLimiterOptions options_;
  mutable Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
};

}  // namespace ap::aws
