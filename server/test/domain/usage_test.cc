#include "domain/usage.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ap::domain {
namespace {

constexpr int64_t kT = 1'700'000'040;  // a minute boundary (28,333,334 × 60)
constexpr int64_t kMin = 60;

UsagePoint Minute(int64_t minute, std::optional<int64_t> invocations, std::optional<int64_t> input,
                  std::optional<int64_t> output) {
  UsagePoint p;
  p.minute = minute;
  p.invocations = invocations;
  p.input_tokens = input;
  p.output_tokens = output;
  return p;
}

const WindowUsage& W(const ModelUsage& u, UsageWindow w) {
  for (const WindowUsage& x : u.windows) {
    if (x.window == w) return x;
  }
  ADD_FAILURE() << "no window " << UsageWindowKey(w);
  return u.windows.front();
}

TEST(UsageWindow, LengthsAndKeys) {
  EXPECT_EQ(UsageWindowSeconds(UsageWindow::k1h), 3600);
  EXPECT_EQ(UsageWindowSeconds(UsageWindow::k24h), 86400);
  EXPECT_EQ(UsageWindowSeconds(UsageWindow::k7d), 604800);
  EXPECT_EQ(kMaxUsageWindowMinutes, 10080);
  EXPECT_EQ(UsageWindowKey(UsageWindow::k1h), "1h");
  EXPECT_EQ(UsageWindowKey(UsageWindow::k24h), "24h");
  EXPECT_EQ(UsageWindowKey(UsageWindow::k7d), "7d");
}

TEST(QuotaWeightedTokens, AddsInputAndCacheWritesAndWeighsOutputByTheBurndownRate) {
  UsagePoint p = Minute(kT, 3, 100, 10);
  p.cache_write = 50;
  p.cache_read = 100000;  // reserved at the start of a request and given back: never counted
  EXPECT_EQ(QuotaWeightedTokens(p, 5), 100 + 50 + 10 * 5);
  EXPECT_EQ(QuotaWeightedTokens(p, 1), 100 + 50 + 10);
  EXPECT_EQ(QuotaWeightedTokens(p, 100), 100 + 50 + 10 * 100);
  p.cache_write.reset();
  EXPECT_EQ(QuotaWeightedTokens(p, 5), 150);
}

TEST(QuotaWeightedTokens, UnknownUnlessInputAndOutputAreBothReported) {
  EXPECT_EQ(QuotaWeightedTokens(Minute(kT, 1, std::nullopt, 10), 5), std::nullopt);
  EXPECT_EQ(QuotaWeightedTokens(Minute(kT, 1, 100, std::nullopt), 5), std::nullopt);
  UsagePoint only_cache;
  only_cache.cache_write = 10;
  EXPECT_EQ(QuotaWeightedTokens(only_cache, 5), std::nullopt);
  EXPECT_EQ(QuotaWeightedTokens(Minute(kT, 0, 0, 0), 5), 0);  // reported zeros are data
}

TEST(RequestsOf, IsTheInvocationsOrUnknown) {
  EXPECT_EQ(RequestsOf(Minute(kT, 7, 1, 1)), 7);
  EXPECT_EQ(RequestsOf(Minute(kT, std::nullopt, 1, 1)), std::nullopt);
}

TEST(ValidateUsagePoint, NamesTheNegativeField) {
  EXPECT_OK(ValidateUsagePoint(Minute(kT, 0, 0, 0)));
  EXPECT_OK(ValidateUsagePoint(UsagePoint{}));
  UsagePoint p = Minute(kT, 1, 1, 1);
  p.cache_write = -1;
  Status s = ValidateUsagePoint(p);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "cache_write");
  EXPECT_EQ(ValidateUsagePoint(Minute(kT, -1, 1, 1)).field(), "invocations");
}

TEST(SumUsagePoints, AddsPresentFieldsAndKeepsAbsentAbsent) {
  UsagePoint a = Minute(kT, 1, 100, std::nullopt);
  a.throttles = 2;
  UsagePoint b = Minute(kT, 2, std::nullopt, std::nullopt);
  b.throttles = 3;
  b.cache_write = 9;
  UsagePoint s = SumUsagePoints(a, b);
  EXPECT_EQ(s.minute, kT);
  EXPECT_EQ(s.invocations, 3);
  EXPECT_EQ(s.input_tokens, 100);
  EXPECT_EQ(s.output_tokens, std::nullopt);
  EXPECT_EQ(s.throttles, 5);
  EXPECT_EQ(s.cache_write, 9);
  EXPECT_EQ(s.cache_read, std::nullopt);
}

TEST(ComputeUsageStat, NoValuesIsUnknownNotZero) {
  UsageStat s = ComputeUsageStat({}, 60);
  EXPECT_EQ(s.peak, std::nullopt);
  EXPECT_EQ(s.p95, std::nullopt);
  EXPECT_EQ(s.minutes_with_data, 0);
  EXPECT_EQ(s.minutes_without_data, 60);
}

TEST(ComputeUsageStat, SingleValueIsBothPeakAndP95) {
  UsageStat s = ComputeUsageStat({42}, 60);
  EXPECT_EQ(s.peak, 42);
  EXPECT_EQ(s.p95, 42);
  EXPECT_EQ(s.minutes_with_data, 1);
  EXPECT_EQ(s.minutes_without_data, 59);
}

std::vector<int64_t> OneTo(int64_t n, bool descending = true) {
  std::vector<int64_t> v;
  for (int64_t i = 1; i <= n; ++i) v.push_back(descending ? n + 1 - i : i);
  return v;
}

TEST(ComputeUsageStat, P95IsTheNearestRankOverTheMinutesWithData) {
  struct Case {
    int64_t n;
    int64_t p95;  // values 1..n: the value at rank ceil(0.95 n)
  };
  for (Case c : {Case{1, 1}, Case{2, 2}, Case{19, 19}, Case{20, 19}, Case{21, 20}, Case{40, 38}, Case{60, 57},
                 Case{100, 95}, Case{101, 96}, Case{1440, 1368}, Case{10080, 9576}}) {
    UsageStat s = ComputeUsageStat(OneTo(c.n), 10080);
    EXPECT_EQ(s.p95, c.p95) << "n=" << c.n;
    EXPECT_EQ(s.peak, c.n) << "n=" << c.n;
    EXPECT_EQ(s.minutes_with_data, c.n);
    EXPECT_EQ(s.minutes_without_data, 10080 - c.n);
  }
}

TEST(ComputeUsageStat, P95OfTwentyMinutesIgnoresOneSpike) {
  std::vector<int64_t> v(19, 10);
  v.push_back(1000);
  UsageStat s = ComputeUsageStat(v, 60);
  EXPECT_EQ(s.peak, 1000);
  EXPECT_EQ(s.p95, 10);
}

TEST(Headroom, IsOneMinusPeakOverQuota) {
  EXPECT_EQ(Headroom(0, 100.0), 1.0);
  EXPECT_EQ(Headroom(50, 100.0), 0.5);
  EXPECT_EQ(Headroom(100, 100.0), 0.0);   // exactly at the quota
  EXPECT_EQ(Headroom(150, 100.0), -0.5);  // over the cached quota: negative, not clamped
  EXPECT_DOUBLE_EQ(*Headroom(1'000'000, 2'000'000.0), 0.5);
}

TEST(Headroom, UnknownWhenThePeakOrTheQuotaIsMissingNeverZero) {
  EXPECT_EQ(Headroom(std::nullopt, 100.0), std::nullopt);
  EXPECT_EQ(Headroom(10, std::nullopt), std::nullopt);
  EXPECT_EQ(Headroom(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(Headroom(10, 0.0), std::nullopt);
  EXPECT_EQ(Headroom(0, 0.0), std::nullopt);
  EXPECT_EQ(Headroom(10, -5.0), std::nullopt);
  EXPECT_EQ(Headroom(10, std::numeric_limits<double>::quiet_NaN()), std::nullopt);
  EXPECT_EQ(Headroom(10, std::numeric_limits<double>::infinity()), std::nullopt);
}

TEST(SummarizeUsage, NoPointsGivesUnknownStatsAndCountsEveryMinuteAsWithoutData) {
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(std::vector<UsagePoint>{}, kT, 5, {1000.0, 10.0}));
  EXPECT_EQ(u.end, kT);
  EXPECT_EQ(u.output_token_burndown, 5);
  ASSERT_EQ(u.windows.size(), 3u);
  const int64_t minutes[] = {60, 1440, 10080};
  for (size_t i = 0; i < 3; ++i) {
    const WindowUsage& w = u.windows[i];
    EXPECT_EQ(w.window, kAllUsageWindows[i]);
    EXPECT_EQ(w.end, kT);
    EXPECT_EQ(w.start, kT - minutes[i] * kMin);
    EXPECT_EQ(w.requests.peak, std::nullopt);
    EXPECT_EQ(w.requests.minutes_without_data, minutes[i]);
    EXPECT_EQ(w.weighted_tokens.p95, std::nullopt);
    EXPECT_EQ(w.weighted_tokens.minutes_without_data, minutes[i]);
    EXPECT_EQ(w.throttles, std::nullopt);
    EXPECT_EQ(w.throttled_minutes, 0);
    EXPECT_EQ(w.throttle_minutes_without_data, minutes[i]);
    // Quotas known, usage unknown: headroom is unknown, not 1 and not 0.
    EXPECT_EQ(w.headroom_tpm, std::nullopt);
    EXPECT_EQ(w.headroom_rpm, std::nullopt);
  }
}

TEST(SummarizeUsage, PointsWithEveryMetricMissingAreMinutesWithoutData) {
  std::vector<UsagePoint> pts;
  for (int i = 1; i <= 10; ++i) pts.push_back(Minute(kT - i * kMin, std::nullopt, std::nullopt, std::nullopt));
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {1000.0, 10.0}));
  const WindowUsage& h = W(u, UsageWindow::k1h);
  EXPECT_EQ(h.requests.minutes_with_data, 0);
  EXPECT_EQ(h.requests.minutes_without_data, 60);
  EXPECT_EQ(h.weighted_tokens.peak, std::nullopt);
  EXPECT_EQ(h.throttles, std::nullopt);
  EXPECT_EQ(h.headroom_tpm, std::nullopt);
}

TEST(SummarizeUsage, SingleMinute) {
  UsagePoint p = Minute(kT - kMin, 4, 1000, 200);
  p.throttles = 1;
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage({p}, kT, 5, {4000.0, 8.0}));
  for (const WindowUsage& w : u.windows) {
    SCOPED_TRACE(UsageWindowKey(w.window));
    EXPECT_EQ(w.requests.peak, 4);
    EXPECT_EQ(w.requests.p95, 4);
    EXPECT_EQ(w.requests.minutes_with_data, 1);
    EXPECT_EQ(w.weighted_tokens.peak, 2000);  // 1000 + 200 × 5
    EXPECT_EQ(w.weighted_tokens.p95, 2000);
    EXPECT_EQ(w.throttles, 1);
    EXPECT_EQ(w.throttled_minutes, 1);
    EXPECT_EQ(w.headroom_tpm, 0.5);
    EXPECT_EQ(w.headroom_rpm, 0.5);
  }
  EXPECT_EQ(W(u, UsageWindow::k1h).requests.minutes_without_data, 59);
  EXPECT_EQ(W(u, UsageWindow::k7d).throttle_minutes_without_data, 10079);
}

TEST(SummarizeUsage, AppliesTheBurndownRateItIsGiven) {
  UsagePoint p = Minute(kT - kMin, 1, 100, 100);
  p.cache_write = 10;
  p.cache_read = 5000;
  ASSERT_OK_AND_ASSIGN(ModelUsage five, SummarizeUsage({p}, kT, 5, {}));
  ASSERT_OK_AND_ASSIGN(ModelUsage one, SummarizeUsage({p}, kT, 1, {}));
  EXPECT_EQ(W(five, UsageWindow::k1h).weighted_tokens.peak, 100 + 10 + 500);
  EXPECT_EQ(W(one, UsageWindow::k1h).weighted_tokens.peak, 100 + 10 + 100);
}

TEST(SummarizeUsage, ExactlyAtTheQuotaHasZeroHeadroomAndOverItNegative) {
  std::vector<UsagePoint> pts = {Minute(kT - 2 * kMin, 10, 500, 100), Minute(kT - kMin, 5, 100, 20)};
  ASSERT_OK_AND_ASSIGN(ModelUsage at, SummarizeUsage(pts, kT, 5, {1000.0, 10.0}));
  EXPECT_EQ(W(at, UsageWindow::k1h).headroom_tpm, 0.0);
  EXPECT_EQ(W(at, UsageWindow::k1h).headroom_rpm, 0.0);
  ASSERT_OK_AND_ASSIGN(ModelUsage over, SummarizeUsage(pts, kT, 5, {800.0, 8.0}));
  EXPECT_EQ(W(over, UsageWindow::k1h).headroom_tpm, 1.0 - 1000.0 / 800.0);
  EXPECT_EQ(W(over, UsageWindow::k1h).headroom_rpm, 1.0 - 10.0 / 8.0);
  EXPECT_LT(*W(over, UsageWindow::k1h).headroom_tpm, 0);
}

TEST(SummarizeUsage, HeadroomIsUnknownForTheQuotaThatIsMissing) {
  std::vector<UsagePoint> pts = {Minute(kT - kMin, 10, 500, 100)};
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {std::nullopt, 20.0}));
  EXPECT_EQ(W(u, UsageWindow::k1h).headroom_tpm, std::nullopt);
  EXPECT_EQ(W(u, UsageWindow::k1h).headroom_rpm, 0.5);
  ASSERT_OK_AND_ASSIGN(ModelUsage zero, SummarizeUsage(pts, kT, 5, {0.0, 0.0}));
  EXPECT_EQ(W(zero, UsageWindow::k1h).headroom_tpm, std::nullopt);
  EXPECT_EQ(W(zero, UsageWindow::k1h).headroom_rpm, std::nullopt);
}

TEST(SummarizeUsage, RequestsAndTokensCountTheirOwnMinutesWithData) {
  // Minute 1: invocations only; minute 2: tokens only; minute 3: input without output.
  std::vector<UsagePoint> pts = {Minute(kT - kMin, 3, std::nullopt, std::nullopt),
                                 Minute(kT - 2 * kMin, std::nullopt, 10, 2),
                                 Minute(kT - 3 * kMin, std::nullopt, 10, std::nullopt)};
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {}));
  const WindowUsage& h = W(u, UsageWindow::k1h);
  EXPECT_EQ(h.requests.minutes_with_data, 1);
  EXPECT_EQ(h.requests.peak, 3);
  EXPECT_EQ(h.weighted_tokens.minutes_with_data, 1);
  EXPECT_EQ(h.weighted_tokens.minutes_without_data, 59);
  EXPECT_EQ(h.weighted_tokens.peak, 20);
}

TEST(SummarizeUsage, GapsAreLeftOutOfPeakAndP95NotReadAsZero) {
  // 20 minutes with data spread over the hour, the rest missing: p95 is over those 20 only.
  std::vector<UsagePoint> pts;
  pts.reserve(20);
  for (int i = 0; i < 20; ++i) pts.push_back(Minute(kT - (3 * i + 1) * kMin, i + 1, 100 * (i + 1), 0));
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {4000.0, 40.0}));
  const WindowUsage& h = W(u, UsageWindow::k1h);
  EXPECT_EQ(h.requests.minutes_with_data, 20);
  EXPECT_EQ(h.requests.minutes_without_data, 40);
  EXPECT_EQ(h.requests.peak, 20);
  EXPECT_EQ(h.requests.p95, 19);
  EXPECT_EQ(h.weighted_tokens.peak, 2000);
  EXPECT_EQ(h.weighted_tokens.p95, 1900);
  EXPECT_EQ(h.headroom_tpm, 0.5);
  EXPECT_EQ(h.headroom_rpm, 0.5);
}

TEST(SummarizeUsage, WindowsCoverWholeMinutesBeforeTheCurrentOne) {
  std::vector<UsagePoint> pts = {
      Minute(kT, 1000, 1, 1),                                 // the current minute: still being reported, left out
      Minute(kT - kMin, 1, 1, 1),                             // the last whole minute: in every window
      Minute(kT - 3600, 2, 1, 1),                             // the first minute of the hour: in 1h
      Minute(kT - 3600 - kMin, 3, 1, 1),                      // just before the hour: 24h and 7d only
      Minute(kT - 86400, 4, 1, 1),                            // the first minute of the day
      Minute(kT - 86400 - kMin, 5, 1, 1),                     // 7d only
      Minute(kT - kMaxUsageWindowSeconds, 6, 1, 1),           // the first minute of the week
      Minute(kT - kMaxUsageWindowSeconds - kMin, 999, 1, 1),  // before the week: in no window
  };
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {}));
  EXPECT_EQ(W(u, UsageWindow::k1h).requests.minutes_with_data, 2);
  EXPECT_EQ(W(u, UsageWindow::k1h).requests.peak, 2);
  EXPECT_EQ(W(u, UsageWindow::k24h).requests.minutes_with_data, 4);
  EXPECT_EQ(W(u, UsageWindow::k24h).requests.peak, 4);
  EXPECT_EQ(W(u, UsageWindow::k7d).requests.minutes_with_data, 6);
  EXPECT_EQ(W(u, UsageWindow::k7d).requests.peak, 6);

  // `now` anywhere inside the minute gives the same windows.
  ASSERT_OK_AND_ASSIGN(ModelUsage late, SummarizeUsage(pts, kT + 59, 5, {}));
  EXPECT_EQ(late.end, kT);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(late.windows[i], u.windows[i]);
  // One second later the current minute is whole and enters; the oldest minutes leave.
  ASSERT_OK_AND_ASSIGN(ModelUsage next, SummarizeUsage(pts, kT + 60, 5, {}));
  EXPECT_EQ(W(next, UsageWindow::k1h).requests.peak, 1000);
  EXPECT_EQ(W(next, UsageWindow::k1h).requests.minutes_with_data, 2);  // kT and kT - 60; kT - 3600 left
  EXPECT_EQ(W(next, UsageWindow::k7d).requests.minutes_with_data, 6);  // kT in, kT - 7 d out
}

TEST(SummarizeUsage, SumsThrottlesOverTheMinutesThatReportThem) {
  std::vector<UsagePoint> pts;
  for (int i = 1; i <= 5; ++i) {
    UsagePoint p = Minute(kT - i * kMin, 1, 1, 1);
    if (i <= 3) p.throttles = i == 2 ? 0 : 4;
    pts.push_back(p);
  }
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {}));
  const WindowUsage& h = W(u, UsageWindow::k1h);
  EXPECT_EQ(h.throttles, 8);
  EXPECT_EQ(h.throttled_minutes, 2);
  EXPECT_EQ(h.throttle_minutes_without_data, 57);
}

TEST(SummarizeUsage, RejectsABadBurndownNegativeValuesAndTwoPointsForOneMinute) {
  for (int rate : {0, 101, -5}) {
    auto r = SummarizeUsage(std::vector<UsagePoint>{}, kT, rate, {});
    ASSERT_FALSE(r.ok()) << rate;
    EXPECT_EQ(r.status().field(), "output_token_burndown");
  }
  auto negative = SummarizeUsage({Minute(kT - kMin, 1, -1, 1)}, kT, 5, {});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().field(), "input_tokens");
  auto twice = SummarizeUsage({Minute(kT - kMin, 1, 1, 1), Minute(kT - kMin, 2, 2, 2)}, kT, 5, {});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  // Unaligned minutes are floored, so these two are the same minute too.
  auto floored = SummarizeUsage({Minute(kT - kMin, 1, 1, 1), Minute(kT - kMin + 30, 2, 2, 2)}, kT, 5, {});
  EXPECT_FALSE(floored.ok());
}

TEST(SummarizeUsage, AFullWeekOfMinutes) {
  std::vector<UsagePoint> pts;
  for (int64_t i = 1; i <= kMaxUsageWindowMinutes; ++i) pts.push_back(Minute(kT - i * kMin, i, i, 0));
  ASSERT_OK_AND_ASSIGN(ModelUsage u, SummarizeUsage(pts, kT, 5, {20000.0, 20000.0}));
  // The last hour holds the values 1..60, the day 1..1440, the week 1..10080.
  EXPECT_EQ(W(u, UsageWindow::k1h).requests.peak, 60);
  EXPECT_EQ(W(u, UsageWindow::k1h).requests.p95, 57);
  EXPECT_EQ(W(u, UsageWindow::k24h).requests.peak, 1440);
  EXPECT_EQ(W(u, UsageWindow::k24h).requests.p95, 1368);
  EXPECT_EQ(W(u, UsageWindow::k7d).requests.peak, 10080);
  EXPECT_EQ(W(u, UsageWindow::k7d).requests.p95, 9576);
  EXPECT_EQ(W(u, UsageWindow::k7d).requests.minutes_without_data, 0);
  EXPECT_EQ(W(u, UsageWindow::k7d).headroom_rpm, 1.0 - 10080.0 / 20000.0);
}

TEST(UsageSeries, ReReadFieldsReplaceAndAbsentFieldsKeepWhatWasStored) {
  UsageSeries s;
  UsagePoint first = Minute(kT - kMin, 5, 100, 10);
  first.cache_write = 7;
  ASSERT_OK(s.Upsert(first, kT));
  ASSERT_OK(s.Upsert(Minute(kT - kMin, 6, std::nullopt, 12), kT));
  std::vector<UsagePoint> pts = s.PointsBetween(0, kT + kMin);
  ASSERT_EQ(pts.size(), 1u);
  EXPECT_EQ(pts[0].invocations, 6);
  EXPECT_EQ(pts[0].input_tokens, 100);
  EXPECT_EQ(pts[0].output_tokens, 12);
  EXPECT_EQ(pts[0].cache_write, 7);
  EXPECT_EQ(pts[0].throttles, std::nullopt);
}

TEST(UsageSeries, FloorsMinutesAndIgnoresPointsOutsideTheWeekAndTheFuture) {
  UsageSeries s;
  ASSERT_OK(s.Upsert(Minute(kT - kMin + 59, 1, 1, 1), kT + 10));
  ASSERT_OK(s.Upsert(Minute(kT + 30, 2, 1, 1), kT + 10));    // the current minute is kept (it is re-read later)
  ASSERT_OK(s.Upsert(Minute(kT + kMin, 3, 1, 1), kT + 10));  // the future: ignored
  ASSERT_OK(s.Upsert(Minute(kT - kMaxUsageWindowSeconds - kMin, 4, 1, 1), kT + 10));  // too old: ignored
  ASSERT_OK(s.Upsert(Minute(kT - kMaxUsageWindowSeconds, 5, 1, 1), kT + 10));         // the oldest kept
  std::vector<UsagePoint> pts = s.PointsBetween(0, kT + 10 * kMin);
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0].minute, kT - kMaxUsageWindowSeconds);
  EXPECT_EQ(pts[1].minute, kT - kMin);
  EXPECT_EQ(pts[2].minute, kT);
  EXPECT_EQ(pts[2].invocations, 2);
}

TEST(UsageSeries, RejectsNegativeValuesAndStoresNothing) {
  UsageSeries s;
  Status st = s.Upsert(Minute(kT - kMin, 1, 1, -3), kT);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "output_tokens");
  EXPECT_EQ(s.size(), 0u);
}

TEST(UsageSeries, HoldsAtMostAWeekAndTheCurrentMinuteHoweverLongItRuns) {
  UsageSeries s;
  size_t largest = 0;
  // Three weeks of minutes: each minute read while it runs, and again once it is whole.
  for (int64_t i = 0; i < 3 * kMaxUsageWindowMinutes; ++i) {
    int64_t now = kT + i * kMin;
    ASSERT_OK(s.Upsert(Minute(now, 1, 1, 1), now));
    ASSERT_OK(s.Upsert(Minute(now - kMin, 2, 1, 1), now));
    largest = std::max(largest, s.size());
  }
  EXPECT_LE(largest, static_cast<size_t>(kMaxUsageWindowMinutes) + 1);
  EXPECT_EQ(s.size(), static_cast<size_t>(kMaxUsageWindowMinutes) + 1);
}

TEST(UsageSeries, ANowThatGoesBackDropsTheMinutesAfterIt) {
  UsageSeries s;
  ASSERT_OK(s.Upsert(Minute(kT + 10 * kMin, 1, 1, 1), kT + 10 * kMin));
  ASSERT_OK(s.Upsert(Minute(kT - kMin, 2, 1, 1), kT));
  std::vector<UsagePoint> pts = s.PointsBetween(0, kT + 100 * kMin);
  ASSERT_EQ(pts.size(), 1u);
  EXPECT_EQ(pts[0].minute, kT - kMin);
}

TEST(UsageSeries, SummarizesLikeTheSamePointsGivenAsAList) {
  UsageSeries s;
  std::vector<UsagePoint> pts;
  for (int64_t i = 1; i <= 200; i += 3) {
    UsagePoint p = Minute(kT - i * kMin, i % 7, 10 * i, i);
    if (i % 5 == 0) p.throttles = 1;
    pts.push_back(p);
    ASSERT_OK(s.Upsert(p, kT));
  }
  ASSERT_OK_AND_ASSIGN(ModelUsage from_series, SummarizeUsage(s, kT, 5, {5000.0, 5.0}));
  ASSERT_OK_AND_ASSIGN(ModelUsage from_list, SummarizeUsage(pts, kT, 5, {5000.0, 5.0}));
  ASSERT_EQ(from_series.windows.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(from_series.windows[i], from_list.windows[i]);
  EXPECT_EQ(W(from_series, UsageWindow::k1h).requests.minutes_with_data, 20);
}

}  // namespace
}  // namespace ap::domain
