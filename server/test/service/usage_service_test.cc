#include "service/usage_service.h"

#include <gtest/gtest.h>

#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

constexpr const char* kSonnet = "claude-sonnet-4.5-v1";
constexpr const char* kOpus = "claude-opus-4.5";
constexpr const char* kGlobalSonnet = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
constexpr int64_t kHour = 3600;

class UsageServiceTest : public ::testing::Test {
 protected:
  UsageServiceTest() : usage(*env.graph->usage) {
    env.clock.Set(TimePoint(std::chrono::seconds(int64_t{1'800'000'000})));  // 2027-01-15T08:00:00Z
  }

  void Create(const std::string& id, std::vector<std::string> teams, std::vector<std::string> regions = {"us-east-1"}) {
    auto req = env.AccessKeyAccount(id, std::move(teams));
    req.regions = std::move(regions);
    ASSERT_OK(env.accounts->Create(env.Admin(), req));
  }
  // A model usage whose 24-hour window has the given headroom (TPM) and nothing else known.
  static domain::ModelUsage UsageWithHeadroom(std::optional<double> tpm, std::optional<double> rpm = std::nullopt) {
    domain::ModelUsage u;
    u.output_token_burndown = 5;
    for (domain::UsageWindow w : domain::kAllUsageWindows) {
      domain::WindowUsage wu;
      wu.window = w;
      if (w == domain::UsageWindow::k24h) {
        wu.headroom_tpm = tpm;
        wu.headroom_rpm = rpm;
      }
      u.windows.push_back(wu);
    }
    return u;
  }
  store::UsageSnapshot Snapshot(const std::string& id, std::vector<std::string> teams, double headroom,
                                const std::string& region = "us-east-1") {
    store::UsageSnapshot s;
    s.account_id = id;
    s.region = region;
    s.teams = std::move(teams);
    s.polled_at_ms = s.attempted_at_ms = env.clock.NowUnixMillis();
    s.models.push_back({kSonnet, UsageWithHeadroom(headroom)});
    store::SeriesUsage series;
    series.series = kGlobalSonnet;
    series.scope = "global";
    series.model_id = kSonnet;
    series.counts_against_quota = true;
    s.series.push_back(series);
    return s;
  }
  void PutSnapshot(const store::UsageSnapshot& s) {
    auto current = env.store->GetUsageSnapshot(s.account_id, s.region);
    ASSERT_OK(env.store->PutUsageSnapshot(s, current.ok() ? current->revision : 0));
  }
  static std::vector<std::string> Ids(const HeadroomListing& l) {
    std::vector<std::string> ids;
    for (const HeadroomItem& i : l.items) ids.push_back(i.entry.account_id);
    return ids;
  }

  ap::testing::TestEnv env;
  UsageService& usage;
};

TEST_F(UsageServiceTest, HeadroomOrdersLeastFirstAndNamesEntries) {
  Create("111111111111", {"team-a"});
  Create("222222222222", {"team-b"});
  Create("333333333333", {"team-a", "team-b"});
  PutSnapshot(Snapshot("111111111111", {"team-a"}, 0.2));
  PutSnapshot(Snapshot("222222222222", {"team-b"}, 0.5));
  PutSnapshot(Snapshot("333333333333", {"team-a", "team-b"}, -0.1));

  ASSERT_OK_AND_ASSIGN(HeadroomListing fleet, usage.Headroom(env.Admin(), "", "", 50));
  EXPECT_EQ(Ids(fleet), (std::vector<std::string>{"333333333333", "111111111111", "222222222222"}));
  EXPECT_EQ(fleet.team, "");
  EXPECT_EQ(fleet.next, "");
  EXPECT_EQ(fleet.items[0].account_name, "Account 333333333333");
  EXPECT_EQ(fleet.items[0].display_name, "Claude Sonnet 4.5 V1");
  EXPECT_DOUBLE_EQ(fleet.items[0].entry.headroom, -0.1);

  // Pages of one, by cursor.
  std::vector<std::string> paged;
  std::string cursor;
  for (int i = 0; i < 10; ++i) {
    ASSERT_OK_AND_ASSIGN(HeadroomListing page, usage.Headroom(env.Admin(), "", cursor, 1));
    for (auto& id : Ids(page)) paged.push_back(id);
    if (page.next.empty()) break;
    cursor = page.next;
  }
  EXPECT_EQ(paged, Ids(fleet));

  ASSERT_OK_AND_ASSIGN(HeadroomListing team_a, usage.Headroom(env.UserOf({"team-a"}), "team-a", "", 50));
  EXPECT_EQ(Ids(team_a), (std::vector<std::string>{"333333333333", "111111111111"}));
  EXPECT_EQ(team_a.team, "team-a");
}

TEST_F(UsageServiceTest, HeadroomAccessAndValidation) {
  auto field_of = [](const Status& s) { return s.field(); };
  auto user = env.UserOf({"team-a"});
  auto no_team = usage.Headroom(user, "", "", 50);
  ASSERT_EQ(no_team.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(field_of(no_team.status()), "team");
  EXPECT_EQ(usage.Headroom(user, "team-b", "", 50).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(field_of(usage.Headroom(env.Admin(), "Not A Team!", "", 50).status()), "team");
  EXPECT_EQ(field_of(usage.Headroom(user, "team-a", "", 0).status()), "limit");
  EXPECT_EQ(field_of(usage.Headroom(user, "team-a", "", 201).status()), "limit");
  EXPECT_OK(usage.Headroom(user, "team-a", "", 200));
  EXPECT_EQ(field_of(usage.Headroom(user, "team-a", "garbage", 50).status()), "cursor");
  // Admins may read any team, existing or not.
  EXPECT_OK(usage.Headroom(env.Admin(), "team-z", "", 50));
}

TEST_F(UsageServiceTest, HeadroomLeavesOutAccountsTheCallerCanNoLongerRead) {
  Create("111111111111", {"team-a"});
  Create("222222222222", {"team-a"});
  PutSnapshot(Snapshot("111111111111", {"team-a"}, 0.2));
  PutSnapshot(Snapshot("222222222222", {"team-a"}, 0.3));
  // The account moved to team-b; its index entries follow at its next poll.
  AccountPatch patch;
  patch.teams = std::vector<std::string>{"team-b"};
  ASSERT_OK(env.accounts->Update(env.Admin(), "111111111111", patch));

  ASSERT_OK_AND_ASSIGN(HeadroomListing page, usage.Headroom(env.UserOf({"team-a"}), "team-a", "", 50));
  EXPECT_EQ(Ids(page), (std::vector<std::string>{"222222222222"}));
  // An admin asking for team-a sees the team's current accounts only, too.
  ASSERT_OK_AND_ASSIGN(HeadroomListing admin, usage.Headroom(env.Admin(), "team-a", "", 50));
  EXPECT_EQ(Ids(admin), (std::vector<std::string>{"222222222222"}));
}

TEST_F(UsageServiceTest, SnapshotIsCachedAndPublishShowsAtOnce) {
  Create("111111111111", {"team-a"});
  ASSERT_OK_AND_ASSIGN(auto none, usage.Snapshot("111111111111", "us-east-1"));
  EXPECT_EQ(none, nullptr);  // never polled

  // Written by another instance: seen within the cache's ttl, not before.
  store::UsageSnapshot s = Snapshot("111111111111", {"team-a"}, 0.4);
  PutSnapshot(s);
  ASSERT_OK_AND_ASSIGN(auto still_none, usage.Snapshot("111111111111", "us-east-1"));
  EXPECT_EQ(still_none, nullptr);
  env.clock.Advance(std::chrono::seconds(6));
  ASSERT_OK_AND_ASSIGN(auto first, usage.Snapshot("111111111111", "us-east-1"));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->revision, 1);
  ASSERT_OK_AND_ASSIGN(auto again, usage.Snapshot("111111111111", "us-east-1"));
  EXPECT_EQ(again.get(), first.get()) << "the same object until the snapshot changes";

  // Written by this instance (the poller publishes what it wrote): at once, as a new object.
  s.revision = 2;
  s.models[0].usage = UsageWithHeadroom(0.1);
  usage.Publish(s);
  ASSERT_OK_AND_ASSIGN(auto published, usage.Snapshot("111111111111", "us-east-1"));
  ASSERT_NE(published.get(), first.get());
  EXPECT_EQ(published->revision, 2);

  // The quota read's inputs carry it (QuotaBodyCache compares it).
  ASSERT_OK_AND_ASSIGN(QuotaReadInputs in, env.quota->Inputs("111111111111", ""));
  EXPECT_EQ(in.usage.get(), published.get());
}

TEST(HourlyPeaks, NullHoursAndPeaks) {
  const int64_t h0 = 1'800'000'000 / kHour * kHour;
  domain::UsagePoint a{.minute = h0 + 60, .invocations = 3, .input_tokens = 100, .output_tokens = 10};
  domain::UsagePoint b{.minute = h0 + 120, .invocations = 7, .input_tokens = 10, .output_tokens = 1, .throttles = 2};
  domain::UsagePoint c{.minute = h0 + 2 * kHour, .throttles = 0};
  auto hours = HourlyPeaks({a, b, c}, h0, h0 + 2 * kHour, 5);
  ASSERT_EQ(hours.size(), 3u);
  EXPECT_EQ(hours[0].hour, h0);
  EXPECT_EQ(hours[0].minutes_with_data, 2);
  EXPECT_EQ(hours[0].requests_peak, 7);
  EXPECT_EQ(hours[0].weighted_tokens_peak, 150);  // 100 + 10 × 5
  EXPECT_EQ(hours[0].throttles, 2);
  EXPECT_EQ(hours[1].minutes_with_data, 0);  // no data: null, never 0
  EXPECT_EQ(hours[1].requests_peak, std::nullopt);
  EXPECT_EQ(hours[1].weighted_tokens_peak, std::nullopt);
  EXPECT_EQ(hours[1].throttles, std::nullopt);
  EXPECT_EQ(hours[2].minutes_with_data, 1);
  EXPECT_EQ(hours[2].requests_peak, std::nullopt);
  EXPECT_EQ(hours[2].throttles, 0);  // reported as 0: a measured 0
}

TEST_F(UsageServiceTest, HistorySumsTheModelsGlobalSeriesMinuteByMinute) {
  Create("111111111111", {"team-a"});
  const int64_t now_hour = env.clock.NowUnixMillis() / 1000 / kHour * kHour;
  const int64_t h = now_hour - 2 * kHour;
  const std::string other_global = "global.anthropic.claude-sonnet-4-5-v1:0";
  const std::string geo = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  store::UsageSnapshot s = Snapshot("111111111111", {"team-a"}, 0.5);
  store::SeriesUsage second = s.series[0];
  second.series = other_global;
  store::SeriesUsage geo_series = s.series[0];
  geo_series.series = geo;
  geo_series.scope = "geo";
  geo_series.counts_against_quota = false;
  s.series = {second, s.series[0], geo_series};
  std::sort(s.series.begin(), s.series.end(),
            [](const store::SeriesUsage& x, const store::SeriesUsage& y) { return x.series < y.series; });
  PutSnapshot(s);

  auto hour = [&](const std::string& series, int64_t at, std::vector<domain::UsagePoint> points) {
    store::UsageHour uh;
    uh.account_id = "111111111111";
    uh.region = "us-east-1";
    uh.series = series;
    uh.hour = at;
    uh.points = std::move(points);
    uh.expires_at = at + store::kUsageHourRetentionSeconds;
    return uh;
  };
  // Minute h+60: 10 + 5 requests and (100 + 10×5) + (50 + 0) tokens once summed; minute h+120: one series only.
  ASSERT_OK(env.store->PutUsageHours(
      {hour(kGlobalSonnet, h,
            {{.minute = h + 60, .invocations = 10, .input_tokens = 100, .output_tokens = 10, .throttles = 2},
             {.minute = h + 120, .invocations = 12, .input_tokens = 10, .output_tokens = 1}}),
       hour(other_global, h, {{.minute = h + 60, .invocations = 5, .input_tokens = 50, .output_tokens = 0}}),
       hour(other_global, now_hour, {{.minute = now_hour, .throttles = 3}}),
       // Geographic traffic does not count against the Global quotas: left out.
       hour(geo, h, {{.minute = h + 60, .invocations = 1000, .input_tokens = 100000, .output_tokens = 1000}})}));

  UsageHistoryQuery q;
  q.model_id = kSonnet;
  ASSERT_OK_AND_ASSIGN(UsageHistory hist, usage.History("111111111111", q));
  EXPECT_EQ(hist.region, "us-east-1");
  EXPECT_EQ(hist.output_token_burndown, 5);
  EXPECT_EQ(hist.to_hour, now_hour);
  EXPECT_EQ(hist.from_hour, now_hour - 168 * kHour);
  ASSERT_EQ(hist.items.size(), 169u);
  const UsageHistoryPoint& peak = hist.items[166];
  EXPECT_EQ(peak.hour, h);
  EXPECT_EQ(peak.minutes_with_data, 2);
  EXPECT_EQ(peak.requests_peak, 15);
  EXPECT_EQ(peak.weighted_tokens_peak, 200);
  EXPECT_EQ(peak.throttles, 2);
  EXPECT_EQ(hist.items[167].minutes_with_data, 0);
  EXPECT_EQ(hist.items[167].requests_peak, std::nullopt);
  EXPECT_EQ(hist.items[168].throttles, 3);
  EXPECT_EQ(hist.items[168].requests_peak, std::nullopt);

  // A model with no series: every hour null.
  q.model_id = kOpus;
  q.from = h;
  q.to = h + 30 * 60;  // floored to the hour
  ASSERT_OK_AND_ASSIGN(UsageHistory opus, usage.History("111111111111", q));
  ASSERT_EQ(opus.items.size(), 1u);
  EXPECT_EQ(opus.items[0].minutes_with_data, 0);
  EXPECT_EQ(opus.items[0].weighted_tokens_peak, std::nullopt);
}

TEST_F(UsageServiceTest, HistoryValidation) {
  Create("111111111111", {"team-a"});
  const int64_t now = env.clock.NowUnixMillis() / 1000;
  auto field = [&](UsageHistoryQuery q) { return usage.History("111111111111", q).status().field(); };
  EXPECT_EQ(field({}), "model_id");
  EXPECT_EQ(field({.model_id = "claude-nope"}), "model_id");
  EXPECT_EQ(field({.region = "eu-west-3", .model_id = kSonnet}), "region");
  EXPECT_EQ(field({.model_id = kSonnet, .from = now, .to = now - kHour}), "from");
  EXPECT_EQ(field({.model_id = kSonnet, .from = now - 169 * kHour}), "from");
  EXPECT_EQ(field({.model_id = kSonnet, .from = now - 168 * kHour}), "");
  EXPECT_EQ(usage.History("999999999999", {.model_id = kSonnet}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ap::service
