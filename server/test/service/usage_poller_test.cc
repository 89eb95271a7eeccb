#include "service/usage_poller.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "latch.h"
#include "status_matchers.h"
#include "test_env.h"
#include "usage_fakes.h"

namespace ap::service {
namespace {

constexpr char kAccount[] = "123456789012";
constexpr char kRegion[] = "us-east-1";
constexpr char kSonnet[] = "claude-sonnet-4.5-v1";
constexpr char kOpus[] = "claude-opus-4.5";
constexpr char kGlobalSonnet[] = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
constexpr char kUsSonnet[] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
constexpr char kAppProfile[] = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3";
constexpr char kSonnetTpm[] = "L-27C57EE8";
constexpr char kSonnetRpm[] = "L-DB84CE56";

using testing::Latch;

class UsagePollerTest : public ::testing::Test {
 protected:
  UsagePollerTest() : pool(4), creds(*env.accounts, env.assumer, env.clock), poller(MakePoller("instance-a")) {}

  std::unique_ptr<UsagePoller> MakePoller(std::string id) {
    UsagePollOptions o;
    o.instance_id = std::move(id);
    o.lease_poll = std::chrono::milliseconds(1);
    o.metrics = &metrics;
    o.on_lease_busy = [this](const std::string&) { busy.Notify(); };
    return std::make_unique<UsagePoller>(*env.accounts, *env.quota_config, *env.quota, creds, cw, *env.store, usage,
                                         env.clock, pool, o);
  }

  void SetUp() override { ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccount, {"ops"}))); }

  int64_t Now() const { return env.clock.NowUnixMillis() / 1000; }
  int64_t NowMinute() const { return Now() / 60 * 60; }

  // A minute of traffic: 2 requests, `input` input tokens and 100 output tokens.
  void Traffic(const std::string& id, int64_t minute, double input = 1000) {
    cw.SetPoint(id, "Invocations", minute, 2);
    cw.SetPoint(id, "InputTokenCount", minute, input);
    cw.SetPoint(id, "OutputTokenCount", minute, 100);
  }

  void CacheQuotas(double tpm, double rpm) {
    domain::QuotaSnapshot s;
    s.account_id = kAccount;
    s.region = kRegion;
    for (auto [code, value] : {std::pair{kSonnetTpm, tpm}, std::pair{kSonnetRpm, rpm}}) {
      domain::QuotaValue v;
      v.quota_code = code;
      v.value = value;
      v.state = domain::QuotaState::kOk;
      v.read_at_ms = v.attempted_at_ms = env.clock.NowUnixMillis();
      s.values.push_back(v);
    }
    ASSERT_OK(env.quota->PutSnapshot(s));
  }

  store::UsageSnapshot Snapshot() {
    auto s = usage.GetUsageSnapshot(kAccount, kRegion);
    EXPECT_OK(s);
    return s.ok() ? *s : store::UsageSnapshot{};
  }
  static const store::ModelUsageEntry* Model(const store::UsageSnapshot& s, const std::string& id) {
    for (const auto& m : s.models)
      if (m.model_id == id) return &m;
    return nullptr;
  }
  static const store::SeriesUsage* Series(const store::UsageSnapshot& s, const std::string& id) {
    for (const auto& x : s.series)
      if (x.series == id) return &x;
    return nullptr;
  }
  // The stored point of `minute` of a series (minute 0 when absent).
  domain::UsagePoint StoredPoint(const std::string& series, int64_t minute) {
    int64_t hour = minute / 3600 * 3600;
    auto hours = usage.ListUsageHours(kAccount, kRegion, series, hour, hour);
    EXPECT_OK(hours);
    if (hours.ok())
      for (const auto& h : *hours)
        for (const auto& p : h.points)
          if (p.minute == minute) return p;
    return {};
  }

  testing::TestEnv env;
  testing::FakeCloudWatch cw;
  testing::InMemoryUsageStore usage;
  MetricsRegistry metrics;
  Latch busy;
  ThreadPool pool;
  AccountCredentials creds;
  std::unique_ptr<UsagePoller> poller;
};

TEST_F(UsagePollerTest, FirstPollReadsSevenDaysWithTheAccountsCredentials) {
  cw.SetModelIds({kGlobalSonnet});
  Traffic(kGlobalSonnet, NowMinute() - int64_t{6} * 86400);  // six days ago: inside the first window
  Traffic(kGlobalSonnet, NowMinute() - 120);
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, ""));
  EXPECT_EQ(report.region, kRegion);
  EXPECT_EQ(report.state, store::UsageState::kOk);
  EXPECT_TRUE(report.snapshot_written);
  EXPECT_EQ(report.metric_calls, 1);
  EXPECT_EQ(report.points_read, 6);
  EXPECT_EQ(report.hours_written, 2);
  auto calls = cw.data_calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].start, NowMinute() - int64_t{7} * 86400);
  EXPECT_EQ(calls[0].end, Now());
  EXPECT_EQ(calls[0].queries.size(), 6u);  // six metrics of one series, in one call
  for (const auto& q : calls[0].queries) {
    EXPECT_EQ(q.metric_namespace, "AWS/Bedrock");
    EXPECT_EQ(q.period_seconds, 60);
    EXPECT_EQ(q.stat, "Sum");
  }
  EXPECT_EQ(cw.last_key(), "AKIATEST123456789012");
  store::UsageSnapshot s = Snapshot();
  EXPECT_EQ(s.state, store::UsageState::kOk);
  EXPECT_EQ(s.polled_at_ms, env.clock.NowUnixMillis());
  EXPECT_EQ(s.teams, std::vector<std::string>{"ops"});
  const auto* sonnet = Model(s, kSonnet);
  ASSERT_NE(sonnet, nullptr);
  // 24 h window: one minute of 1000 + 100 × 5 weighted tokens; the 7-day window also has the older minute.
  EXPECT_EQ(sonnet->usage.windows[1].weighted_tokens.peak, 1500);
  EXPECT_EQ(sonnet->usage.windows[1].weighted_tokens.minutes_with_data, 1);
  EXPECT_EQ(sonnet->usage.windows[2].weighted_tokens.minutes_with_data, 2);
  EXPECT_EQ(StoredPoint(kGlobalSonnet, NowMinute() - 120).input_tokens, 1000);
  EXPECT_EQ(metrics.GetCounter("ap_usage_poll_total", "", {{"outcome", "ok"}}).value(), 1);
}

TEST_F(UsagePollerTest, LaterPollsReadFromTheLastPollMinusFifteenMinutesAndReplaceRevisedMinutes) {
  cw.SetModelIds({kGlobalSonnet});
  const int64_t old_minute = NowMinute() - 3600;
  const int64_t recent = NowMinute() - 120;
  Traffic(kGlobalSonnet, old_minute);
  Traffic(kGlobalSonnet, recent);
  cw.SetPoint(kGlobalSonnet, "CacheReadInputTokenCount", recent, 7);
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  const int64_t first_poll = Now();
  env.clock.Advance(std::chrono::seconds(317));
  // CloudWatch revised the recent minute's input tokens.
  cw.SetPoint(kGlobalSonnet, "InputTokenCount", recent, 2500);
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  auto calls = cw.data_calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].start, (first_poll - 900) / 60 * 60);
  EXPECT_EQ(calls[1].end, Now());
  EXPECT_EQ(report.points_read, 4);  // only the recent minute is re-read
  domain::UsagePoint p = StoredPoint(kGlobalSonnet, recent);
  EXPECT_EQ(p.input_tokens, 2500);  // replaced
  EXPECT_EQ(p.output_tokens, 100);
  EXPECT_EQ(p.cache_read, 7);
  EXPECT_EQ(StoredPoint(kGlobalSonnet, old_minute).input_tokens, 1000);  // outside the overlap: kept
  EXPECT_EQ(Model(Snapshot(), kSonnet)->usage.windows[1].weighted_tokens.peak, 3000);
}

TEST_F(UsagePollerTest, AbsentFieldsOfARereadMinuteKeepTheirValues) {
  cw.SetModelIds({kGlobalSonnet});
  const int64_t minute = NowMinute() - 120;
  Traffic(kGlobalSonnet, minute);
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  // The next read of that minute has no input-token point (and the metric is partial): the value stays.
  env.clock.Advance(std::chrono::minutes(5));
  cw.ErasePoint(kGlobalSonnet, "InputTokenCount", minute);
  cw.SetPoint(kGlobalSonnet, "OutputTokenCount", minute, 150);
  cw.SetStatus(kGlobalSonnet, "InputTokenCount", aws::MetricDataStatus::kPartialData, "PartialData");
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  ASSERT_EQ(report.partial.size(), 1u);
  EXPECT_EQ(report.partial[0].metric, "InputTokenCount");
  EXPECT_EQ(report.partial[0].status, "PartialData");
  EXPECT_EQ(StoredPoint(kGlobalSonnet, minute).output_tokens, 150);
  EXPECT_EQ(StoredPoint(kGlobalSonnet, minute).input_tokens, 1000);
}

TEST_F(UsagePollerTest, AMetricWithPartialDataStaysNulloptNeverZero) {
  cw.SetModelIds({kGlobalSonnet});
  const int64_t minute = NowMinute() - 120;
  cw.SetPoint(kGlobalSonnet, "Invocations", minute, 3);
  cw.SetPoint(kGlobalSonnet, "InputTokenCount", minute, 500);
  cw.SetStatus(kGlobalSonnet, "OutputTokenCount", aws::MetricDataStatus::kForbidden, "Forbidden");
  CacheQuotas(10000, 10);
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  ASSERT_EQ(report.partial.size(), 1u);
  EXPECT_EQ(report.partial[0].series, kGlobalSonnet);
  EXPECT_EQ(report.partial[0].status, "Forbidden");
  domain::UsagePoint p = StoredPoint(kGlobalSonnet, minute);
  EXPECT_EQ(p.invocations, 3);
  EXPECT_EQ(p.output_tokens, std::nullopt);
  const store::UsageSnapshot snapshot = Snapshot();  // the windows below point into it
  const auto& day = Model(snapshot, kSonnet)->usage.windows[1];
  EXPECT_EQ(day.weighted_tokens.peak, std::nullopt);  // not computed from a missing output count
  EXPECT_EQ(day.headroom_tpm, std::nullopt);
  ASSERT_TRUE(day.headroom_rpm.has_value());
  EXPECT_DOUBLE_EQ(*day.headroom_rpm, 1 - 3.0 / 10);
}

TEST_F(UsagePollerTest, GeoAndInRegionIdsAreShownButNotCountedAndUnmatchedIdsAreKept) {
  cw.SetModelIds({kGlobalSonnet, kUsSonnet, kAppProfile});
  const int64_t minute = NowMinute() - 120;
  Traffic(kGlobalSonnet, minute, 1000);
  Traffic(kUsSonnet, minute, 90000);
  Traffic(kAppProfile, minute, 5000);
  CacheQuotas(10000, 10);
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  EXPECT_EQ(report.series, 3);
  EXPECT_EQ(report.counted_series, 1);
  EXPECT_EQ(report.unmatched_series, 1);
  store::UsageSnapshot s = Snapshot();
  ASSERT_EQ(s.series.size(), 3u);
  const auto* geo = Series(s, kUsSonnet);
  ASSERT_NE(geo, nullptr);
  EXPECT_EQ(geo->scope, "geo");
  EXPECT_EQ(geo->model_id, kSonnet);
  EXPECT_FALSE(geo->counts_against_quota);
  EXPECT_EQ(geo->usage.windows[1].weighted_tokens.peak, 90500);
  EXPECT_EQ(geo->usage.windows[1].headroom_tpm, std::nullopt);  // no quota for it
  const auto* app = Series(s, kAppProfile);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->model_id, std::nullopt);
  EXPECT_EQ(app->usage.windows[1].requests.peak, 2);
  const auto* global = Series(s, kGlobalSonnet);
  ASSERT_NE(global, nullptr);
  EXPECT_TRUE(global->counts_against_quota);
  // The model's usage is the Global series only.
  const auto& day = Model(s, kSonnet)->usage.windows[1];
  EXPECT_EQ(day.weighted_tokens.peak, 1500);
  ASSERT_TRUE(day.headroom_tpm.has_value());
  EXPECT_DOUBLE_EQ(*day.headroom_tpm, 1 - 1500.0 / 10000);
}

TEST_F(UsagePollerTest, HeadroomIsAgainstTheCachedQuotasAndUnknownWithoutThem) {
  cw.SetModelIds({kGlobalSonnet});
  Traffic(kGlobalSonnet, NowMinute() - 120);
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  store::UsageSnapshot s = Snapshot();
  const auto& before = Model(s, kSonnet)->usage;
  EXPECT_EQ(before.quotas.tpm, std::nullopt);  // nothing cached: not 0
  EXPECT_EQ(before.windows[1].headroom_tpm, std::nullopt);
  EXPECT_EQ(before.windows[1].headroom_rpm, std::nullopt);
  // Opus is enabled and has no traffic: summarised, no headroom.
  ASSERT_NE(Model(s, kOpus), nullptr);
  EXPECT_EQ(Model(s, kOpus)->usage.windows[1].requests.minutes_with_data, 0);

  CacheQuotas(10000, 10);
  env.clock.Advance(std::chrono::minutes(5));
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  const store::UsageSnapshot snapshot = Snapshot();  // `after` points into it
  const auto& after = Model(snapshot, kSonnet)->usage;
  EXPECT_EQ(after.quotas.tpm, 10000);
  EXPECT_EQ(after.output_token_burndown, 5);
  EXPECT_DOUBLE_EQ(after.windows[1].headroom_tpm.value_or(-99), 0.85);
  EXPECT_DOUBLE_EQ(after.windows[1].headroom_rpm.value_or(-99), 0.8);
  auto index = usage.ListHeadroom("ops", "", 100);
  ASSERT_OK(index);
  ASSERT_EQ(index->items.size(), 1u);
  EXPECT_EQ(index->items[0].model_id, kSonnet);
}

TEST_F(UsagePollerTest, AFailedReadKeepsTheLastGoodSummariesAndMarksStale) {
  cw.SetModelIds({kGlobalSonnet});
  Traffic(kGlobalSonnet, NowMinute() - 120);
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  store::UsageSnapshot good = Snapshot();
  env.clock.Advance(std::chrono::minutes(5));
  cw.FailGetMetricData(ResourceExhausted("ThrottlingException: Rate exceeded"));
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  EXPECT_EQ(report.state, store::UsageState::kStale);
  EXPECT_EQ(report.error_code, "throttled");
  EXPECT_NE(report.error.find("ThrottlingException"), std::string::npos);
  store::UsageSnapshot s = Snapshot();
  EXPECT_EQ(s.state, store::UsageState::kStale);
  EXPECT_EQ(s.error_code, "throttled");
  EXPECT_FALSE(s.error_message.empty());
  EXPECT_EQ(s.error_message.find("ThrottlingException"), std::string::npos);  // AWS's text stays in the logs
  EXPECT_EQ(s.polled_at_ms, good.polled_at_ms);
  EXPECT_EQ(s.attempted_at_ms, env.clock.NowUnixMillis());
  EXPECT_EQ(s.revision, good.revision + 1);
  ASSERT_EQ(s.models.size(), good.models.size());
  EXPECT_EQ(Model(s, kSonnet)->usage.windows[1].weighted_tokens,
            Model(good, kSonnet)->usage.windows[1].weighted_tokens);
  EXPECT_EQ(s.series.size(), good.series.size());
  EXPECT_EQ(metrics.GetCounter("ap_usage_poll_total", "", {{"outcome", "stale"}}).value(), 1);

  // Recovered: the series known from the snapshot is read incrementally from its last good poll.
  cw.FailGetMetricData(Status::Ok());
  env.clock.Advance(std::chrono::minutes(5));
  ASSERT_OK_AND_ASSIGN(UsagePollReport again, poller->Poll(kAccount, kRegion));
  EXPECT_EQ(again.state, store::UsageState::kOk);
  EXPECT_EQ(cw.data_calls().back().start, (good.polled_at_ms / 1000 - 900) / 60 * 60);
  EXPECT_EQ(Snapshot().error_code, "");
}

TEST_F(UsagePollerTest, AFirstPollThatFailsWritesAStaleSnapshotWithNothingInIt) {
  cw.FailListMetrics(PermissionDenied("AccessDenied: not authorized to perform cloudwatch:ListMetrics"));
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  EXPECT_EQ(report.state, store::UsageState::kStale);
  store::UsageSnapshot s = Snapshot();
  EXPECT_EQ(s.error_code, "access_denied");
  EXPECT_EQ(s.polled_at_ms, 0);
  EXPECT_TRUE(s.models.empty());
  EXPECT_TRUE(cw.data_calls().empty());
}

TEST_F(UsagePollerTest, AQuietSeriesOfTheLastSnapshotKeepsItsHistory) {
  cw.SetModelIds({kGlobalSonnet});
  Traffic(kGlobalSonnet, NowMinute() - 120);
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  cw.SetModelIds({});  // ListMetrics no longer reports it
  env.clock.Advance(std::chrono::minutes(5));
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  store::UsageSnapshot s = Snapshot();
  ASSERT_NE(Series(s, kGlobalSonnet), nullptr);
  EXPECT_EQ(Model(s, kSonnet)->usage.windows[1].weighted_tokens.peak, 1500);
  // Once its last minute is older than 7 days, it leaves the snapshot.
  env.clock.Advance(std::chrono::hours(7 * 24));
  ASSERT_OK(poller->Poll(kAccount, kRegion));
  s = Snapshot();
  EXPECT_EQ(Series(s, kGlobalSonnet), nullptr);
  EXPECT_EQ(Model(s, kSonnet)->usage.windows[2].requests.minutes_with_data, 0);
}

TEST_F(UsagePollerTest, ASnapshotWrittenMeanwhileIsReReadAndWrittenOver) {
  cw.SetModelIds({kGlobalSonnet});
  usage.ConflictNextPuts(2);
  ASSERT_OK_AND_ASSIGN(UsagePollReport report, poller->Poll(kAccount, kRegion));
  EXPECT_TRUE(report.snapshot_written);
  EXPECT_EQ(usage.snapshot_puts(), 3);
  usage.ConflictNextPuts(kUsageSnapshotWriteAttempts);
  env.clock.Advance(std::chrono::minutes(5));
  auto failed = poller->Poll(kAccount, kRegion);
  EXPECT_EQ(failed.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(UsagePollerTest, LeaseHeldElsewhereMakesNoAwsCallAndAnswersFromTheSnapshotItWrites) {
  const std::string lease = std::string("usage/") + kAccount + "/" + kRegion;
  ASSERT_OK_AND_ASSIGN(store::Lease held,
                       env.store->AcquireLease(lease, "instance-b", env.clock.NowUnixMillis(), 60000));
  auto promise = std::make_shared<std::promise<Result<UsagePollReport>>>();
  poller->PollAsync(kAccount, kRegion, [promise](Result<UsagePollReport> r) { promise->set_value(std::move(r)); });
  busy.Wait();
  // Instance b writes its snapshot and releases.
  store::UsageSnapshot theirs;
  theirs.account_id = kAccount;
  theirs.region = kRegion;
  theirs.teams = {"ops"};
  theirs.polled_at_ms = theirs.attempted_at_ms = env.clock.NowUnixMillis();
  ASSERT_OK(usage.PutUsageSnapshot(theirs, 0));
  ASSERT_OK(env.store->ReleaseLease(lease, "instance-b", held.token));
  auto report = promise->get_future().get();
  ASSERT_OK(report);
  EXPECT_TRUE(report->by_other_instance);
  EXPECT_TRUE(report->snapshot_written);
  EXPECT_EQ(report->state, store::UsageState::kOk);
  EXPECT_EQ(cw.list_calls(), 0);
  EXPECT_TRUE(cw.data_calls().empty());
}

TEST_F(UsagePollerTest, ALeaseThatExpiredWithoutASnapshotIsTakenOver) {
  const std::string lease = std::string("usage/") + kAccount + "/" + kRegion;
  ASSERT_OK(env.store->AcquireLease(lease, "instance-b", env.clock.NowUnixMillis(), 60000));
  auto promise = std::make_shared<std::promise<Result<UsagePollReport>>>();
  poller->PollAsync(kAccount, kRegion, [promise](Result<UsagePollReport> r) { promise->set_value(std::move(r)); });
  busy.Wait();
  EXPECT_EQ(cw.list_calls(), 0);
  env.clock.Advance(std::chrono::seconds(61));  // instance b died
  auto report = promise->get_future().get();
  ASSERT_OK(report);
  EXPECT_FALSE(report->by_other_instance);
  EXPECT_EQ(cw.list_calls(), 1);
}

TEST_F(UsagePollerTest, ConcurrentPollsOfOneAccountAndRegionShareOneRead) {
  cw.SetModelIds({kGlobalSonnet});
  cw.gate().Hold();
  auto first = std::make_shared<std::promise<Result<UsagePollReport>>>();
  auto second = std::make_shared<std::promise<Result<UsagePollReport>>>();
  poller->PollAsync(kAccount, kRegion, [first](Result<UsagePollReport> r) { first->set_value(std::move(r)); });
  cw.gate().WaitForCalls(1);  // the first is in ListMetrics
  poller->PollAsync(kAccount, kRegion, [second](Result<UsagePollReport> r) { second->set_value(std::move(r)); });
  cw.gate().Release();
  auto a = first->get_future().get();
  auto b = second->get_future().get();
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(cw.list_calls(), 1);
  EXPECT_EQ(cw.data_calls().size(), 1u);
  EXPECT_EQ(usage.snapshot_puts(), 1);
}

TEST_F(UsagePollerTest, RefusesUnknownAccountsAndRegions) {
  EXPECT_EQ(poller->Poll("999999999999", kRegion).status().code(), StatusCode::kNotFound);
  auto bad = poller->Poll(kAccount, "eu-west-9");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cw.list_calls(), 0);
}

}  // namespace
}  // namespace ap::service
