// Usage against quota: per-minute Bedrock usage of one model (from CloudWatch, namespace AWS/Bedrock, Period 60,
// statistic Sum) and what it means against the model's tokens- and requests-per-minute quotas. docs/usage.md has
// the definitions, formulas and sources.
//
// "Missing is never zero": a metric CloudWatch did not report for a minute is nullopt, never 0. Statistics are
// taken over the minutes that HAVE data, and every statistic says how many minutes had data and how many did not,
// so that "no traffic reported" and "no usage" are never confused. A statistic over no minute is nullopt.
//
// Pure value types and functions, plus UsageSeries (a bounded per-minute store). Thread safety: value types;
// UsageSeries is not thread-safe (one owner, or external locking).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::domain {

inline constexpr int64_t kUsageMinuteSeconds = 60;

// The windows usage is summarised over, each ending at `now` (see SummarizeUsage).
enum class UsageWindow { k1h, k24h, k7d };
inline constexpr UsageWindow kAllUsageWindows[] = {UsageWindow::k1h, UsageWindow::k24h, UsageWindow::k7d};
int64_t UsageWindowSeconds(UsageWindow w);       // 3,600 | 86,400 | 604,800
std::string_view UsageWindowKey(UsageWindow w);  // "1h" | "24h" | "7d" (for the wire)
// The largest window: what a UsageSeries keeps.
inline constexpr int64_t kMaxUsageWindowSeconds = int64_t{7} * 24 * 3600;
inline constexpr int64_t kMaxUsageWindowMinutes = kMaxUsageWindowSeconds / kUsageMinuteSeconds;  // 10,080

// One minute of one model's traffic: the Sum of each CloudWatch metric over the minute. nullopt = CloudWatch
// reported no datapoint for that metric and minute (or the read of it failed); never read as 0.
struct UsagePoint {
  int64_t minute = 0;                    // epoch seconds of the minute's start (a multiple of 60)
  std::optional<int64_t> invocations;    // Invocations: successful requests (throttled ones are not in it)
  std::optional<int64_t> input_tokens;   // InputTokenCount
  std::optional<int64_t> output_tokens;  // OutputTokenCount
  std::optional<int64_t> throttles;      // InvocationThrottles
  std::optional<int64_t> cache_read;     // CacheReadInputTokenCount (not counted against the TPM quota)
  std::optional<int64_t> cache_write;    // CacheWriteInputTokenCount

  bool operator==(const UsagePoint&) const = default;
};

// InvalidArgument naming the first negative field ("invocations", ...); OK otherwise.
Status ValidateUsagePoint(const UsagePoint& p);

// `a` and `b` of the same minute added up field by field, for two model ids that are one config model: a field
// present in one only is taken as it is (the other id reported no traffic), absent in both stays absent.
// REQUIRES: a.minute == b.minute.
UsagePoint SumUsagePoints(const UsagePoint& a, const UsagePoint& b);

// Requests of the minute for the RPM quota: invocations (nullopt when not reported).
std::optional<int64_t> RequestsOf(const UsagePoint& p);

// Quota-weighted tokens of the minute, as the TPM quota counts them:
//   input_tokens + cache_write + output_tokens × output_token_burndown
// nullopt unless both input_tokens and output_tokens are reported. An absent cache_write adds nothing (Bedrock
// reports the cache metrics only where prompt caching is used); cache_read never counts (it is reserved at the
// start of a request and given back at its end). REQUIRES: 1 <= output_token_burndown <= 100.
std::optional<int64_t> QuotaWeightedTokens(const UsagePoint& p, int output_token_burndown);

// The per-minute values of one metric over one window.
struct UsageStat {
  std::optional<int64_t> peak;  // the largest value; nullopt when no minute has data
  // The 95th percentile by nearest rank over the minutes with data: the value at rank ceil(0.95 × n) (1-based)
  // of the n values sorted ascending. n = 1 gives that value; n = 20 the 19th; n = 100 the 95th. Minutes without
  // data are not zeros and are left out. nullopt when n = 0.
  std::optional<int64_t> p95;
  int64_t minutes_with_data = 0;
  int64_t minutes_without_data = 0;  // the window's minutes (60 | 1,440 | 10,080) minus minutes_with_data

  bool operator==(const UsageStat&) const = default;
};

// The statistic of `values` (the per-minute values of the minutes with data, any order) in a window of
// `window_minutes` minutes. REQUIRES: values.size() <= window_minutes.
UsageStat ComputeUsageStat(std::vector<int64_t> values, int64_t window_minutes);

// 1 − peak / quota: the share of the quota left at the peak minute. 1 with no usage, 0 exactly at the quota,
// negative over it (the peak went above the cached quota: the quota was raised and not refreshed yet, or the
// quota is not what throttles this traffic). nullopt — never 0 — when the peak or the quota is unknown, or the
// quota is not positive (a quota of 0 has no headroom to speak of).
std::optional<double> Headroom(std::optional<int64_t> peak, std::optional<double> quota);

// The quotas one series is compared with (cached QuotaValue::value; nullopt when unknown). For a model with 1M
// context the caller compares the 1M series with the 1M quotas in a second SummarizeUsage call, when it can tell
// that traffic apart; CloudWatch's ModelId dimension cannot (docs/usage.md).
struct UsageQuotas {
  std::optional<double> tpm;
  std::optional<double> rpm;
};

// One window's summary.
struct WindowUsage {
  UsageWindow window = UsageWindow::k1h;
  int64_t start = 0;          // epoch seconds, inclusive: end − the window's length
  int64_t end = 0;            // epoch seconds, exclusive: the start of the minute `now` is in
  UsageStat requests;         // per-minute requests (RequestsOf)
  UsageStat weighted_tokens;  // per-minute quota-weighted tokens (QuotaWeightedTokens)
  // Sum of InvocationThrottles over the minutes that report it; nullopt when none does.
  std::optional<int64_t> throttles;
  int64_t throttled_minutes = 0;              // minutes with throttles > 0
  int64_t throttle_minutes_without_data = 0;  // the window's minutes that do not report InvocationThrottles
  std::optional<double> headroom_tpm;         // Headroom(weighted_tokens.peak, quotas.tpm)
  std::optional<double> headroom_rpm;         // Headroom(requests.peak, quotas.rpm)

  bool operator==(const WindowUsage&) const = default;
};

struct ModelUsage {
  int64_t end = 0;  // the start of the minute `now` is in: every window ends here (exclusive)
  int output_token_burndown = 0;
  UsageQuotas quotas;
  std::vector<WindowUsage> windows;  // one per kAllUsageWindows, in that order
};

// A bounded per-minute series of one model (one account, Region and config model): the minutes of the last
// 7 days before `now` plus the minute `now` is in, at most kMaxUsageWindowMinutes + 1 points, whatever is added.
// Not thread-safe.
class UsageSeries {
 public:
  // Stores `p` for its minute (p.minute floored to a multiple of 60). Fields present in `p` replace the stored
  // ones (a re-read of a minute wins: CloudWatch revises recent minutes as late data arrives); absent fields keep
  // what was stored. Then drops the minutes older than floor(now) − 7 days, and any after the minute `now` is in
  // (left by an earlier, later `now`).
  // Returns OK and stores; OK and stores nothing when the minute is older than floor(now) − 7 days or after the
  // minute `now` is in; InvalidArgument when a field is negative (nothing stored).
  Status Upsert(const UsagePoint& p, int64_t now);

  // The stored points with start <= minute < end, ascending by minute.
  std::vector<UsagePoint> PointsBetween(int64_t start, int64_t end) const;
  size_t size() const { return points_.size(); }

 private:
  std::map<int64_t, UsagePoint> points_;  // by minute
};

// The summary of `points` (any order; minutes floored to a multiple of 60; at most one per minute — use
// SumUsagePoints or a UsageSeries to merge) over each window ending at end = floor(now / 60) × 60: a window covers the
// whole minutes [end − length, end). The minute `now` is in is still being reported and is left out, and so are points
// outside the 7-day window. Returns InvalidArgument when output_token_burndown is outside 1..100, when a point has a
// negative field, or when two points share a minute.
Result<ModelUsage> SummarizeUsage(const std::vector<UsagePoint>& points, int64_t now, int output_token_burndown,
                                  const UsageQuotas& quotas);
// The same over a UsageSeries.
Result<ModelUsage> SummarizeUsage(const UsageSeries& series, int64_t now, int output_token_burndown,
                                  const UsageQuotas& quotas);

}  // namespace ap::domain
