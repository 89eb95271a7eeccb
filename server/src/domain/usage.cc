#include "domain/usage.h"

#include <algorithm>
#include <cmath>

#include "domain/quota_config.h"

namespace ap::domain {

namespace {

// Floor to the minute, also for times before 1970 (integer division truncates toward zero).
int64_t FloorMinute(int64_t t) {
  int64_t r = t % kUsageMinuteSeconds;
  return r < 0 ? t - r - kUsageMinuteSeconds : t - r;
}

// The metric fields of a UsagePoint with their wire names, so that validating, summing and merging cannot miss one.
struct MetricField {
  std::optional<int64_t> UsagePoint::*member;
  const char* name;
};
constexpr MetricField kMetricFields[] = {
    {&UsagePoint::invocations, "invocations"},     {&UsagePoint::input_tokens, "input_tokens"},
    {&UsagePoint::output_tokens, "output_tokens"}, {&UsagePoint::throttles, "throttles"},
    {&UsagePoint::cache_read, "cache_read"},       {&UsagePoint::cache_write, "cache_write"}};

bool BurndownInRange(int rate) { return rate >= kMinOutputTokenBurndown && rate <= kMaxOutputTokenBurndown; }

}  // namespace

int64_t UsageWindowSeconds(UsageWindow w) {
  switch (w) {
    case UsageWindow::k1h:
      return 3600;
    case UsageWindow::k24h:
      return int64_t{24} * 3600;
    case UsageWindow::k7d:
      return kMaxUsageWindowSeconds;
  }
  return 3600;
}

std::string_view UsageWindowKey(UsageWindow w) {
  switch (w) {
    case UsageWindow::k1h:
      return "1h";
    case UsageWindow::k24h:
      return "24h";
    case UsageWindow::k7d:
      return "7d";
  }
  return "1h";
}

Status ValidateUsagePoint(const UsagePoint& p) {
  for (const MetricField& f : kMetricFields) {
    const std::optional<int64_t>& value = p.*f.member;
    if (value && *value < 0) return InvalidArgument("must not be negative", f.name);
  }
  return Status::Ok();
}

UsagePoint SumUsagePoints(const UsagePoint& a, const UsagePoint& b) {
  UsagePoint out;
  out.minute = a.minute;
  for (const MetricField& f : kMetricFields) {
    const std::optional<int64_t>&x = a.*f.member, &y = b.*f.member;
    if (x && y) {
      out.*f.member = *x + *y;
    } else {
      out.*f.member = x ? x : y;
    }
  }
  return out;
}

std::optional<int64_t> RequestsOf(const UsagePoint& p) { return p.invocations; }

std::optional<int64_t> QuotaWeightedTokens(const UsagePoint& p, int output_token_burndown) {
  if (!p.input_tokens || !p.output_tokens) return std::nullopt;
  return *p.input_tokens + p.cache_write.value_or(0) + *p.output_tokens * output_token_burndown;
}

UsageStat ComputeUsageStat(std::vector<int64_t> values, int64_t window_minutes) {
  UsageStat stat;
  auto n = static_cast<int64_t>(values.size());
  stat.minutes_with_data = n;
  stat.minutes_without_data = std::max<int64_t>(0, window_minutes - n);
  if (n == 0) return stat;
  std::sort(values.begin(), values.end());
  stat.peak = values.back();
  // Nearest rank: ceil(0.95 n) in integers, so that no floating-point rounding moves the rank.
  int64_t rank = (95 * n + 99) / 100;
  stat.p95 = values[static_cast<size_t>(rank - 1)];
  return stat;
}

std::optional<double> Headroom(std::optional<int64_t> peak, std::optional<double> quota) {
  if (!peak || !quota || !std::isfinite(*quota) || *quota <= 0) return std::nullopt;
  return 1.0 - static_cast<double>(*peak) / *quota;
}

Status UsageSeries::Upsert(const UsagePoint& p, int64_t now) {
  RETURN_IF_ERROR(ValidateUsagePoint(p));
  int64_t current = FloorMinute(now);
  int64_t oldest = current - kMaxUsageWindowSeconds;
  int64_t minute = FloorMinute(p.minute);
  // Drop what fell out of the largest window first, so the bound holds even if this point is not stored.
  points_.erase(points_.begin(), points_.lower_bound(oldest));
  if (minute < oldest || minute > current) return Status::Ok();
  UsagePoint& stored = points_[minute];
  stored.minute = minute;
  for (const MetricField& f : kMetricFields) {
    if (p.*f.member) stored.*f.member = p.*f.member;
  }
  // A `now` that went backwards leaves minutes after the current one: they are dropped too, so that the series
  // never holds more than the window and the current minute.
  points_.erase(points_.upper_bound(current), points_.end());
  return Status::Ok();
}

std::vector<UsagePoint> UsageSeries::PointsBetween(int64_t start, int64_t end) const {
  std::vector<UsagePoint> out;
  for (auto it = points_.lower_bound(start); it != points_.end() && it->first < end; ++it) out.push_back(it->second);
  return out;
}

Result<ModelUsage> SummarizeUsage(const std::vector<UsagePoint>& points, int64_t now, int output_token_burndown,
                                  const UsageQuotas& quotas) {
  if (!BurndownInRange(output_token_burndown)) return InvalidArgument("must be 1-100", "output_token_burndown");
  ModelUsage usage;
  usage.end = FloorMinute(now);
  usage.output_token_burndown = output_token_burndown;
  usage.quotas = quotas;
  // Only the 7-day window matters; sorted by minute, each window is a suffix of it.
  std::vector<UsagePoint> in_range;
  for (const UsagePoint& p : points) {
    RETURN_IF_ERROR(ValidateUsagePoint(p));
    int64_t minute = FloorMinute(p.minute);
    if (minute < usage.end - kMaxUsageWindowSeconds || minute >= usage.end) continue;
    in_range.push_back(p);
    in_range.back().minute = minute;
  }
  std::sort(in_range.begin(), in_range.end(),
            [](const UsagePoint& a, const UsagePoint& b) { return a.minute < b.minute; });
  for (size_t i = 1; i < in_range.size(); ++i) {
    if (in_range[i].minute == in_range[i - 1].minute)
      return InvalidArgument("two points for the minute " + std::to_string(in_range[i].minute), "points");
  }
  for (UsageWindow w : kAllUsageWindows) {
    WindowUsage wu;
    wu.window = w;
    wu.end = usage.end;
    wu.start = usage.end - UsageWindowSeconds(w);
    int64_t window_minutes = UsageWindowSeconds(w) / kUsageMinuteSeconds;
    std::vector<int64_t> requests, tokens;
    int64_t throttle_minutes_with_data = 0;
    for (const UsagePoint& p : in_range) {
      if (p.minute < wu.start) continue;
      if (auto r = RequestsOf(p)) requests.push_back(*r);
      if (auto t = QuotaWeightedTokens(p, output_token_burndown)) tokens.push_back(*t);
      if (p.throttles) {
        ++throttle_minutes_with_data;
        wu.throttles = wu.throttles.value_or(0) + *p.throttles;
        if (*p.throttles > 0) ++wu.throttled_minutes;
      }
    }
    wu.requests = ComputeUsageStat(std::move(requests), window_minutes);
    wu.weighted_tokens = ComputeUsageStat(std::move(tokens), window_minutes);
    wu.throttle_minutes_without_data = window_minutes - throttle_minutes_with_data;
    wu.headroom_tpm = Headroom(wu.weighted_tokens.peak, quotas.tpm);
    wu.headroom_rpm = Headroom(wu.requests.peak, quotas.rpm);
    usage.windows.push_back(wu);
  }
  return usage;
}

Result<ModelUsage> SummarizeUsage(const UsageSeries& series, int64_t now, int output_token_burndown,
                                  const UsageQuotas& quotas) {
  int64_t end = FloorMinute(now);
  return SummarizeUsage(series.PointsBetween(end - kMaxUsageWindowSeconds, end), now, output_token_burndown, quotas);
}

}  // namespace ap::domain
