// Conformance: usage against quota (store/usage_store.h) — hour records, usage snapshots, the headroom index.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "status_matchers.h"
#include "store/cursor.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

constexpr int64_t kHour = int64_t{1'700'000'000} / kUsageHourSeconds * kUsageHourSeconds;  // an hour boundary

domain::UsagePoint Point(int64_t minute, std::optional<int64_t> invocations, std::optional<int64_t> input = 10,
                         std::optional<int64_t> output = 20) {
  return domain::UsagePoint{.minute = minute,
                            .invocations = invocations,
                            .input_tokens = input,
                            .output_tokens = output,
                            .throttles = std::nullopt,
                            .cache_read = std::nullopt,
                            .cache_write = std::nullopt};
}

UsageHour Hour(const std::string& account, const std::string& series, int64_t hour,
               std::vector<domain::UsagePoint> points = {}) {
  if (points.empty()) points.push_back(Point(hour, 1));
  return UsageHour{.account_id = account,
                   .region = "us-east-1",
                   .series = series,
                   .hour = hour,
                   .points = std::move(points),
                   .expires_at = hour + kUsageHourRetentionSeconds};
}

// A model's usage whose 24-hour window has these headrooms (the other windows have none).
domain::ModelUsage Usage(std::optional<double> tpm, std::optional<double> rpm) {
  domain::ModelUsage u;
  u.end = kHour;
  u.output_token_burndown = 5;
  u.quotas = {.tpm = 1'000'000.0, .rpm = std::nullopt};
  for (domain::UsageWindow w : domain::kAllUsageWindows) {
    domain::WindowUsage& win = u.windows.emplace_back();
    win.window = w;
    win.end = kHour;
    win.start = kHour - domain::UsageWindowSeconds(w);
    win.requests = {.peak = 7, .p95 = 5, .minutes_with_data = 3, .minutes_without_data = 57};
    win.weighted_tokens = {
        .peak = std::nullopt, .p95 = std::nullopt, .minutes_with_data = 0, .minutes_without_data = 60};
    win.throttles = w == domain::UsageWindow::k1h ? std::optional<int64_t>(2) : std::nullopt;
    win.throttled_minutes = 1;
    win.throttle_minutes_without_data = 4;
    if (w == domain::UsageWindow::k24h) {
      win.headroom_tpm = tpm;
      win.headroom_rpm = rpm;
    }
  }
  return u;
}

struct M {
  std::string id;
  std::optional<double> tpm;
  std::optional<double> rpm = std::nullopt;
};

UsageSnapshot Snap(const std::string& account, const std::string& region, std::vector<std::string> teams,
                   const std::vector<M>& models, const std::vector<std::string>& series = {}) {
  UsageSnapshot s;
  s.account_id = account;
  s.region = region;
  s.teams = std::move(teams);
  s.polled_at_ms = 1'700'000'000'000;
  s.attempted_at_ms = 1'700'000'000'500;
  for (const M& m : models) s.models.push_back({m.id, Usage(m.tpm, m.rpm)});
  for (const std::string& name : series) {
    s.series.push_back(SeriesUsage{.series = name,
                                   .scope = "global",
                                   .model_id = "claude",
                                   .counts_against_quota = true,
                                   .usage = Usage(0.5, std::nullopt)});
  }
  return s;
}

using EntryKey = std::tuple<std::string, std::string, std::string>;  // account, region, model

std::vector<EntryKey> Keys(const std::vector<HeadroomEntry>& entries) {
  std::vector<EntryKey> keys;
  keys.reserve(entries.size());
  for (const HeadroomEntry& e : entries) keys.emplace_back(e.account_id, e.region, e.model_id);
  return keys;
}

// Every entry of a scope, page by page.
std::vector<HeadroomEntry> AllHeadroom(Store& store, const std::string& team, int64_t limit = 1000) {
  std::vector<HeadroomEntry> all;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    auto listed = store.ListHeadroom(team, cursor, limit);
    EXPECT_OK(listed.status());
    if (!listed.ok()) break;
    EXPECT_LE(listed->items.size(), static_cast<size_t>(limit));
    all.insert(all.end(), listed->items.begin(), listed->items.end());
    if (listed->next.empty()) break;
    cursor = listed->next;
  }
  return all;
}

// ---- Hour records --------------------------------------------------------------------------------------

TEST_P(StoreConformance, UsageHoursRoundTripWithMissingFieldsStayingMissing) {
  domain::UsagePoint full{.minute = kHour + 60,
                          .invocations = 3,
                          .input_tokens = 100,
                          .output_tokens = 0,
                          .throttles = 0,
                          .cache_read = 7,
                          .cache_write = 8};
  domain::UsagePoint sparse{.minute = kHour + 3540};  // every metric unreported
  UsageHour h = Hour("111111111111", "global.anthropic.claude", kHour, {Point(kHour, std::nullopt), full, sparse});
  ASSERT_OK(store().PutUsageHours({h}));
  ASSERT_OK_AND_ASSIGN(auto hours,
                       store().ListUsageHours("111111111111", "us-east-1", "global.anthropic.claude", kHour, kHour));
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0], h);
  EXPECT_FALSE(hours[0].points[0].invocations.has_value());
  EXPECT_FALSE(hours[0].points[2].input_tokens.has_value());
  EXPECT_EQ(hours[0].points[1].output_tokens, std::optional<int64_t>(0));
}

TEST_P(StoreConformance, UsageHoursAreReplacedWholeAndListedByRangeAscending) {
  const std::string s = "global.m";
  ASSERT_OK(store().PutUsageHours({Hour("1", s, kHour + 7200), Hour("1", s, kHour), Hour("1", s, kHour + 3600),
                                   Hour("1", "other", kHour), Hour("2", s, kHour)}));
  // Replaced whole: the second write's points only.
  UsageHour replaced = Hour("1", s, kHour, {Point(kHour + 600, 9)});
  ASSERT_OK(store().PutUsageHours({replaced}));
  ASSERT_OK_AND_ASSIGN(auto hours, store().ListUsageHours("1", "us-east-1", s, kHour, kHour + 3 * kUsageHourSeconds));
  ASSERT_EQ(hours.size(), 3u);
  EXPECT_EQ(hours[0], replaced);
  EXPECT_EQ(hours[1].hour, kHour + 3600);
  EXPECT_EQ(hours[2].hour, kHour + 7200);
  ASSERT_OK_AND_ASSIGN(hours, store().ListUsageHours("1", "us-east-1", s, kHour + 3600, kHour + 3600));
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].hour, kHour + 3600);
  ASSERT_OK_AND_ASSIGN(hours, store().ListUsageHours("1", "eu-west-1", s, kHour, kHour + 3600));
  EXPECT_TRUE(hours.empty());
  // The widest range allowed: 169 hours.
  ASSERT_OK_AND_ASSIGN(hours, store().ListUsageHours("1", "us-east-1", s, kHour, kHour + 168 * kUsageHourSeconds));
  EXPECT_EQ(hours.size(), 3u);
}

TEST_P(StoreConformance, UsageHoursRefuseMalformedRecordsWritingNothing) {
  const UsageHour good = Hour("1", "global.m", kHour);
  struct Case {
    const char* name;
    UsageHour bad;
    const char* field;
  };
  std::vector<Case> cases;
  auto with = [&](const char* name, const char* field, auto change) {
    UsageHour h = good;
    h.hour += 3600;  // not the good record's key
    for (domain::UsagePoint& p : h.points) p.minute += 3600;
    h.expires_at += 3600;
    change(h);
    cases.push_back({name, h, field});
  };
  with("empty account", "account_id", [](UsageHour& h) { h.account_id.clear(); });
  with("empty region", "region", [](UsageHour& h) { h.region.clear(); });
  with("empty series", "series", [](UsageHour& h) { h.series.clear(); });
  with("long series", "series", [](UsageHour& h) { h.series.assign(513, 'x'); });
  with("hour off the hour", "hour", [](UsageHour& h) {
    h.hour += 60;
    h.points.clear();
  });
  with("61 points", "points", [](UsageHour& h) {
    h.points.clear();
    for (int i = 0; i < 61; ++i) h.points.push_back(Point(h.hour + i * domain::kUsageMinuteSeconds, 1));
  });
  with("point before the hour", "points", [](UsageHour& h) { h.points = {Point(h.hour - 60, 1)}; });
  with("point after the hour", "points", [](UsageHour& h) { h.points = {Point(h.hour + 3600, 1)}; });
  with("point off the minute", "points", [](UsageHour& h) { h.points = {Point(h.hour + 30, 1)}; });
  with("points out of order", "points", [](UsageHour& h) {
    h.points = {Point(h.hour + 120, 1), Point(h.hour + 60, 1)};
  });
  with("point repeated", "points", [](UsageHour& h) { h.points = {Point(h.hour + 60, 1), Point(h.hour + 60, 2)}; });
  with("negative field", "invocations", [](UsageHour& h) { h.points = {Point(h.hour, -1)}; });
  for (const Case& c : cases) {
    Status s = store().PutUsageHours({good, c.bad});
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(s.field(), c.field) << c.name;
  }
  std::vector<UsageHour> too_many;
  too_many.reserve(101);
  for (int i = 0; i < 101; ++i) too_many.push_back(Hour("1", "global.m", kHour + i * kUsageHourSeconds));
  Status s = store().PutUsageHours(too_many);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "hours");
  ASSERT_OK_AND_ASSIGN(auto hours,
                       store().ListUsageHours("1", "us-east-1", "global.m", kHour, kHour + 168 * kUsageHourSeconds));
  EXPECT_TRUE(hours.empty()) << "a refused batch wrote " << hours.size() << " records";
  ASSERT_OK(store().PutUsageHours({}));
}

TEST_P(StoreConformance, ListUsageHoursRefusesBadRanges) {
  auto range = [&](int64_t from, int64_t to) { return store().ListUsageHours("1", "r", "s", from, to).status(); };
  EXPECT_EQ(range(kHour, kHour - 3600).field(), "to_hour");
  EXPECT_EQ(range(kHour, kHour + 169 * kUsageHourSeconds).field(), "to_hour");
  EXPECT_EQ(range(kHour + 60, kHour + 3600).field(), "from_hour");
  EXPECT_EQ(range(kHour, kHour - 3600).code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, ExpiredUsageHoursAreSweptOrLeftToTheBackendsExpiry) {
  // Three records expired at `now`, two not yet. SQLite deletes (by limit); DynamoDB returns 0 (its TTL expires
  // them): either is the documented behaviour; the unexpired records stay in both.
  std::vector<UsageHour> hours;
  hours.reserve(5);
  for (int i = 0; i < 5; ++i) hours.push_back(Hour("1", "global.m", kHour + i * kUsageHourSeconds));
  ASSERT_OK(store().PutUsageHours(hours));
  const int64_t now = hours[2].expires_at;
  ASSERT_OK_AND_ASSIGN(int64_t first, store().DeleteExpiredUsageHours(now, 2));
  ASSERT_TRUE(first == 0 || first == 2) << first;
  ASSERT_OK_AND_ASSIGN(int64_t second, store().DeleteExpiredUsageHours(now, 2));
  ASSERT_OK_AND_ASSIGN(auto left,
                       store().ListUsageHours("1", "us-east-1", "global.m", kHour, kHour + 4 * kUsageHourSeconds));
  if (first == 0) {
    EXPECT_EQ(second, 0);  // a backend that leaves it to the expiry
    EXPECT_EQ(left.size(), 5u);
  } else {
    EXPECT_EQ(second, 1);  // fewer than the limit: nothing more to delete now
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0].hour, kHour + 3 * kUsageHourSeconds);
    EXPECT_EQ(left[1].hour, kHour + 4 * kUsageHourSeconds);
    ASSERT_OK_AND_ASSIGN(int64_t third, store().DeleteExpiredUsageHours(now, 1000));
    EXPECT_EQ(third, 0);
  }
  EXPECT_EQ(store().DeleteExpiredUsageHours(now, 0).status().field(), "limit");
  EXPECT_EQ(store().DeleteExpiredUsageHours(now, 1001).status().field(), "limit");
}

// ---- Snapshots -----------------------------------------------------------------------------------------

TEST_P(StoreConformance, UsageSnapshotRoundTripsWithItsRevision) {
  EXPECT_EQ(store().GetUsageSnapshot("1", "us-east-1").status().code(), StatusCode::kNotFound);
  UsageSnapshot s = Snap("1", "us-east-1", {"team-a", "team-b"}, {{"claude", 0.25, 0.5}, {"nova", std::nullopt}},
                         {"global.claude", "us.claude"});
  s.series[1].model_id = std::nullopt;  // unmatched: shown, never dropped
  s.series[1].counts_against_quota = false;
  s.series[1].scope = "geo";
  s.series[1].usage.quotas = {};
  ASSERT_OK_AND_ASSIGN(int64_t revision, store().PutUsageSnapshot(s, 0));
  EXPECT_EQ(revision, 1);
  ASSERT_OK_AND_ASSIGN(UsageSnapshot got, store().GetUsageSnapshot("1", "us-east-1"));
  s.revision = 1;
  EXPECT_EQ(got.account_id, s.account_id);
  EXPECT_EQ(got.region, s.region);
  EXPECT_EQ(got.teams, s.teams);
  EXPECT_EQ(got.state, UsageState::kOk);
  EXPECT_EQ(got.polled_at_ms, s.polled_at_ms);
  EXPECT_EQ(got.attempted_at_ms, s.attempted_at_ms);
  EXPECT_EQ(got.revision, 1);
  ASSERT_EQ(got.models.size(), 2u);
  EXPECT_EQ(got.models[0].model_id, "claude");
  EXPECT_EQ(got.models[0].usage.windows, s.models[0].usage.windows);
  EXPECT_EQ(got.models[0].usage.end, s.models[0].usage.end);
  EXPECT_EQ(got.models[0].usage.output_token_burndown, 5);
  EXPECT_EQ(got.models[0].usage.quotas.tpm, std::optional<double>(1'000'000.0));
  EXPECT_FALSE(got.models[0].usage.quotas.rpm.has_value());
  EXPECT_EQ(got.models[1].usage.windows, s.models[1].usage.windows);
  ASSERT_EQ(got.series.size(), 2u);
  EXPECT_EQ(got.series[0].series, "global.claude");
  EXPECT_EQ(got.series[0].scope, "global");
  EXPECT_EQ(got.series[0].model_id, std::optional<std::string>("claude"));
  EXPECT_TRUE(got.series[0].counts_against_quota);
  EXPECT_EQ(got.series[0].usage.windows, s.series[0].usage.windows);
  EXPECT_FALSE(got.series[1].model_id.has_value());
  EXPECT_FALSE(got.series[1].counts_against_quota);
  EXPECT_EQ(got.series[1].scope, "geo");
  EXPECT_FALSE(got.series[1].usage.quotas.tpm.has_value());

  // A stale write keeps the last good summaries and says why.
  s.state = UsageState::kStale;
  s.error_code = "throttled";
  s.error_message = "CloudWatch throttled the reads";
  s.attempted_at_ms += 60'000;
  s.teams = {};
  s.series.clear();
  ASSERT_OK_AND_ASSIGN(revision, store().PutUsageSnapshot(s, 1));
  EXPECT_EQ(revision, 2);
  ASSERT_OK_AND_ASSIGN(got, store().GetUsageSnapshot("1", "us-east-1"));
  EXPECT_EQ(got.state, UsageState::kStale);
  EXPECT_EQ(got.error_code, "throttled");
  EXPECT_EQ(got.error_message, "CloudWatch throttled the reads");
  EXPECT_EQ(got.attempted_at_ms, s.attempted_at_ms);
  EXPECT_TRUE(got.teams.empty());
  EXPECT_TRUE(got.series.empty());
  EXPECT_EQ(got.revision, 2);
}

TEST_P(StoreConformance, GetUsageSnapshotsKeepsKeyOrderSkipsMissingAndServesRepeatsOnce) {
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "us-east-1", {}, {{"m", 0.5}}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("2", "eu-west-1", {}, {{"m", 0.5}}), 0).status());
  ASSERT_OK_AND_ASSIGN(
      auto got,
      store().GetUsageSnapshots(
          {{"2", "eu-west-1"}, {"3", "us-east-1"}, {"1", "us-east-1"}, {"2", "eu-west-1"}, {"1", "eu-west-1"}}));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].account_id, "2");
  EXPECT_EQ(got[1].account_id, "1");
  EXPECT_EQ(got[1].models.size(), 1u);
  ASSERT_OK_AND_ASSIGN(got, store().GetUsageSnapshots({}));
  EXPECT_TRUE(got.empty());
  std::vector<UsageSnapshotKey> too_many(1001, UsageSnapshotKey{"1", "us-east-1"});
  EXPECT_EQ(store().GetUsageSnapshots(too_many).status().field(), "keys");
}

TEST_P(StoreConformance, UsageSnapshotRevisionConflictChangesNothing) {
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r", {"t"}, {{"m", 0.5}}), 0).status());
  for (int64_t wrong : {0, 2, 7}) {
    Result<int64_t> put = store().PutUsageSnapshot(Snap("1", "r", {"u"}, {{"m", -1.0}, {"n", 0.1}}), wrong);
    EXPECT_EQ(put.status().code(), StatusCode::kFailedPrecondition) << wrong;
  }
  EXPECT_EQ(store().PutUsageSnapshot(Snap("9", "r", {}, {{"m", 0.5}}), 1).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().GetUsageSnapshot("9", "r").status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(UsageSnapshot got, store().GetUsageSnapshot("1", "r"));
  EXPECT_EQ(got.revision, 1);
  EXPECT_EQ(got.teams, std::vector<std::string>{"t"});
  EXPECT_EQ(Keys(AllHeadroom(store(), "")), std::vector<EntryKey>{EntryKey("1", "r", "m")});
  EXPECT_TRUE(AllHeadroom(store(), "u").empty());
  EXPECT_EQ(AllHeadroom(store(), "t").size(), 1u);
}

TEST_P(StoreConformance, UsageSnapshotRefusesMalformedInputChangingNothing) {
  const UsageSnapshot good = Snap("1", "r", {"a", "b"}, {{"m", 0.5}, {"n", 0.5}}, {"s1", "s2"});
  struct Case {
    const char* name;
    UsageSnapshot bad;
    const char* field;
  };
  std::vector<Case> cases;
  auto with = [&](const char* name, const char* field, auto change) {
    UsageSnapshot s = good;
    change(s);
    cases.push_back({name, s, field});
  };
  with("empty account", "account_id", [](UsageSnapshot& s) { s.account_id.clear(); });
  with("empty region", "region", [](UsageSnapshot& s) { s.region.clear(); });
  with("unsorted teams", "teams", [](UsageSnapshot& s) { s.teams = {"b", "a"}; });
  with("repeated team", "teams", [](UsageSnapshot& s) { s.teams = {"a", "a"}; });
  with("unsorted models", "models", [](UsageSnapshot& s) { std::swap(s.models[0], s.models[1]); });
  with("repeated model", "models", [](UsageSnapshot& s) { s.models[1].model_id = s.models[0].model_id; });
  with("unsorted series", "series", [](UsageSnapshot& s) { std::swap(s.series[0], s.series[1]); });
  with("repeated series", "series", [](UsageSnapshot& s) { s.series[1].series = s.series[0].series; });
  with("NaN headroom", "models",
       [](UsageSnapshot& s) { s.models[0].usage.windows[1].headroom_tpm = std::numeric_limits<double>::quiet_NaN(); });
  with("infinite quota", "series",
       [](UsageSnapshot& s) { s.series[0].usage.quotas.tpm = std::numeric_limits<double>::infinity(); });
  with("too many series", "series", [](UsageSnapshot& s) {
    s.series.clear();
    for (int i = 0; i < 201; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "s%03d", i);
      s.series.push_back(SeriesUsage{.series = name, .scope = "global"});
    }
  });
  with("too many models", "models", [](UsageSnapshot& s) {
    s.models.clear();
    for (int i = 0; i < 201; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "m%03d", i);
      s.models.push_back(ModelUsageEntry{.model_id = name});
    }
  });
  for (const Case& c : cases) {
    Status s = store().PutUsageSnapshot(c.bad, 0).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(s.field(), c.field) << c.name;
  }
  EXPECT_EQ(store().GetUsageSnapshot("1", "r").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetUsageSnapshot("", "r").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(AllHeadroom(store(), "").empty());
  EXPECT_TRUE(AllHeadroom(store(), "a").empty());
  // At the bounds it is accepted.
  UsageSnapshot full = good;
  full.series.clear();
  for (int i = 0; i < 200; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "s%03d", i);
    full.series.push_back(SeriesUsage{.series = name, .scope = "global", .usage = Usage(0.5, 0.5)});
  }
  ASSERT_OK(store().PutUsageSnapshot(full, 0).status());
}

// ---- Headroom index ------------------------------------------------------------------------------------

TEST_P(StoreConformance, HeadroomIndexOrdersByHeadroomThenAccountRegionModel) {
  ASSERT_OK(
      store().PutUsageSnapshot(Snap("2", "us-east-1", {}, {{"a", 0.0}, {"b", 0.75}, {"c", std::nullopt}}), 0).status());
  ASSERT_OK(
      store().PutUsageSnapshot(Snap("1", "us-west-2", {}, {{"a", -0.5}, {"b", 0.125, 0.75}, {"z", 1.0}}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "eu-west-1", {}, {{"b", 0.75, 0.125}, {"c", -2.5}}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "us-east-1", {}, {{"x", std::nullopt, 0.75}}), 0).status());
  std::vector<HeadroomEntry> all = AllHeadroom(store(), "");
  const std::vector<EntryKey> expected = {
      {"1", "eu-west-1", "c"},  // -2.5
      {"1", "us-west-2", "a"},  // -0.5
      {"2", "us-east-1", "a"},  // 0
      {"1", "eu-west-1", "b"},  // min(0.75, 0.125)
      {"1", "us-west-2", "b"},  // 0.125: ties broken by account, region, model
      {"1", "us-east-1", "x"},  // 0.75 (rpm only)
      {"2", "us-east-1", "b"},  // 0.75
      {"1", "us-west-2", "z"},  // 1
  };                            // "c" of account 2 has no known headroom: not indexed
  EXPECT_EQ(Keys(all), expected);
  ASSERT_EQ(all.size(), expected.size());
  EXPECT_EQ(all[0].headroom, -2.5);
  EXPECT_EQ(all[2].headroom, 0.0);
  EXPECT_EQ(all[3].headroom, 0.125);
  EXPECT_EQ(all[3].headroom_tpm, std::optional<double>(0.75));
  EXPECT_EQ(all[3].headroom_rpm, std::optional<double>(0.125));
  EXPECT_EQ(all[5].headroom, 0.75);
  EXPECT_FALSE(all[5].headroom_tpm.has_value());
  EXPECT_EQ(all[5].polled_at_ms, 1'700'000'000'000);
  // The index holds what HeadroomEntriesOf gives.
  std::vector<HeadroomEntry> of = HeadroomEntriesOf(Snap("1", "eu-west-1", {}, {{"b", 0.75, 0.125}, {"c", -2.5}}));
  ASSERT_EQ(of.size(), 2u);
  EXPECT_EQ(all[3], of[0]);
  EXPECT_EQ(all[0], of[1]);
}

TEST_P(StoreConformance, HeadroomPagingVisitsEachEntryOnce) {
  std::vector<M> models;
  models.reserve(5);
  for (int i = 0; i < 5; ++i) models.push_back({"m" + std::to_string(i), 0.1 * (i % 3) - 0.1});
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r1", {"t"}, models), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("2", "r1", {"t"}, models), 0).status());
  const std::vector<HeadroomEntry> all = AllHeadroom(store(), "", 1000);
  ASSERT_EQ(all.size(), 10u);
  for (int64_t limit : {1, 2, 3}) {
    EXPECT_EQ(AllHeadroom(store(), "", limit), all) << "limit " << limit;
    EXPECT_EQ(AllHeadroom(store(), "t", limit), all) << "limit " << limit;
  }
  ASSERT_OK_AND_ASSIGN(HeadroomPage page, store().ListHeadroom("", "", 10));
  EXPECT_EQ(page.items.size(), 10u);
  EXPECT_TRUE(page.next.empty());
  ASSERT_OK_AND_ASSIGN(HeadroomPage empty, store().ListHeadroom("nobody", "", 10));
  EXPECT_TRUE(empty.items.empty());
  EXPECT_TRUE(empty.next.empty());
}

TEST_P(StoreConformance, HeadroomTeamScopesListOnlyTheirAccounts) {
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r", {"a", "b"}, {{"m", 0.5}}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("2", "r", {"b"}, {{"m", 0.25}}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("3", "r", {}, {{"m", 0.0}}), 0).status());
  EXPECT_EQ(Keys(AllHeadroom(store(), "a")), std::vector<EntryKey>{EntryKey("1", "r", "m")});
  EXPECT_EQ(Keys(AllHeadroom(store(), "b")), (std::vector<EntryKey>{{"2", "r", "m"}, {"1", "r", "m"}}));
  EXPECT_EQ(Keys(AllHeadroom(store(), "")), (std::vector<EntryKey>{{"3", "r", "m"}, {"2", "r", "m"}, {"1", "r", "m"}}));
  EXPECT_TRUE(AllHeadroom(store(), "c").empty());
}

TEST_P(StoreConformance, HeadroomIndexIsReplacedWhenTheSnapshotIsRewritten) {
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r", {"a", "b"}, {{"m", 0.5}, {"n", 0.25}}), 0).status());
  // n's headroom became unknown, m's moved, team b was removed.
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r", {"a"}, {{"m", -0.25}, {"n", std::nullopt}}), 1).status());
  std::vector<HeadroomEntry> fleet = AllHeadroom(store(), "");
  EXPECT_EQ(Keys(fleet), std::vector<EntryKey>{EntryKey("1", "r", "m")});
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0].headroom, -0.25);
  EXPECT_EQ(Keys(AllHeadroom(store(), "a")), std::vector<EntryKey>{EntryKey("1", "r", "m")});
  EXPECT_TRUE(AllHeadroom(store(), "b").empty());
  // A snapshot without known headroom leaves nothing in the index.
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r", {"a"}, {}), 2).status());
  EXPECT_TRUE(AllHeadroom(store(), "").empty());
  EXPECT_TRUE(AllHeadroom(store(), "a").empty());
}

TEST_P(StoreConformance, DeleteAccountUsageRemovesSnapshotsEntriesAndHours) {
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r1", {"t"}, {{"m", 0.5}}, {"s"}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r2", {"t"}, {{"m", 0.25}}, {"s"}), 0).status());
  ASSERT_OK(store().PutUsageSnapshot(Snap("2", "r1", {"t"}, {{"m", 0.75}}, {"s"}), 0).status());
  std::vector<UsageHour> hours;
  for (const char* account : {"1", "2"}) {
    for (const char* region : {"r1", "r2"}) {
      UsageHour h = Hour(account, "s", kHour);
      h.region = region;
      hours.push_back(h);
    }
  }
  ASSERT_OK(store().PutUsageHours(hours));

  ASSERT_OK(store().DeleteAccountUsage("1", {"r1", "r2", "r3"}));
  EXPECT_EQ(store().GetUsageSnapshot("1", "r1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetUsageSnapshot("1", "r2").status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto got, store().GetUsageSnapshots({{"1", "r1"}, {"2", "r1"}}));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].account_id, "2");
  EXPECT_EQ(Keys(AllHeadroom(store(), "")), std::vector<EntryKey>{EntryKey("2", "r1", "m")});
  EXPECT_EQ(Keys(AllHeadroom(store(), "t")), std::vector<EntryKey>{EntryKey("2", "r1", "m")});
  for (const char* region : {"r1", "r2"}) {
    ASSERT_OK_AND_ASSIGN(auto left, store().ListUsageHours("1", region, "s", kHour, kHour));
    EXPECT_TRUE(left.empty()) << region;
  }
  ASSERT_OK_AND_ASSIGN(auto kept, store().ListUsageHours("2", "r1", "s", kHour, kHour));
  EXPECT_EQ(kept.size(), 1u);

  // Nothing to delete is OK; a new snapshot starts again at revision 1.
  ASSERT_OK(store().DeleteAccountUsage("1", {"r1"}));
  ASSERT_OK(store().DeleteAccountUsage("9", {}));
  ASSERT_OK_AND_ASSIGN(int64_t revision, store().PutUsageSnapshot(Snap("1", "r1", {}, {{"m", 0.5}}), 0));
  EXPECT_EQ(revision, 1);
}

TEST_P(StoreConformance, ListHeadroomRefusesBadLimitsAndCursors) {
  ASSERT_OK(store().PutUsageSnapshot(Snap("1", "r", {}, {{"m", 0.5}, {"n", 0.6}}), 0).status());
  EXPECT_EQ(store().ListHeadroom("", "", 0).status().field(), "limit");
  EXPECT_EQ(store().ListHeadroom("", "", 1001).status().field(), "limit");
  EXPECT_EQ(store().ListHeadroom("", "garbage", 10).status().field(), "cursor");
  EXPECT_EQ(store().ListHeadroom("", EncodeCursor("accounts", {"x"}), 10).status().field(), "cursor");
  EXPECT_EQ(store().ListHeadroom("", EncodeCursor("usage_headroom", {"zz", "1", "r", "m"}), 10).status().field(),
            "cursor");
  ASSERT_OK_AND_ASSIGN(HeadroomPage first, store().ListHeadroom("", "", 1));
  ASSERT_FALSE(first.next.empty());
  ASSERT_OK_AND_ASSIGN(HeadroomPage second, store().ListHeadroom("", first.next, 1000));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].model_id, "n");
}

}  // namespace
}  // namespace ap::store::testing
