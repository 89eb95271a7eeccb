// FleetRefresher with include_usage (issue 13): each item polls its usage after its quota refresh.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "fake_aws.h"
#include "service/fleet_refresher.h"
#include "status_matchers.h"
#include "test_env.h"
#include "usage_fakes.h"

namespace ap::service {
namespace {

class FleetUsageTest : public ::testing::Test {
 protected:
  FleetUsageTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  RefreshOptions{}),
        poller(*env.accounts, *env.quota_config, *env.quota, creds, cw, *env.store, usage, env.clock, pool,
               UsagePollOptions{}),
        fleet(*env.accounts, refresher, *env.store, *env.store, *env.audit, env.clock, env.random, FleetOptions{3},
              &poller) {}

  void SetUp() override {
    for (const char* c : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas.Set(c, {1000.0, 500.0, Status::Ok()});
    for (int i = 0; i < 5; ++i)
      ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("10000000000" + std::to_string(i))));
    cw.SetModelIds({"global.anthropic.claude-sonnet-4-5-20250929-v1:0"});
  }

  std::vector<domain::JobItem> Items(const std::string& job_id) {
    JobItemQuery q;
    q.page_size = 200;
    auto page = fleet.Items(job_id, q);
    EXPECT_OK(page);
    return page.ok() ? page->items : std::vector<domain::JobItem>{};
  }

  FleetRequest WithUsage() {
    FleetRequest r;
    r.include_usage = true;
    return r;
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  testing::FakeCloudWatch cw;
  testing::InMemoryUsageStore usage;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
  UsagePoller poller;
  FleetRefresher fleet;
};

TEST_F(FleetUsageTest, EachItemIsRefreshedThenPolledOnce) {
  EXPECT_TRUE(fleet.polls_usage());
  auto job = fleet.Start(env.Admin(), WithUsage());
  ASSERT_OK(job);
  EXPECT_TRUE(job->include_usage);
  fleet.WaitIdle();
  auto done = fleet.Get(job->job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.counters, (domain::JobCounters{.total = 5, .ok = 5}));
  EXPECT_EQ(cw.list_calls(), 5);  // one poll per (account, region)
  EXPECT_EQ(quotas.get_calls(), 30);
  for (const domain::JobItem& item : Items(job->job_id)) {
    EXPECT_EQ(item.outcome, domain::JobItemOutcome::kOk) << item.seq;
    EXPECT_EQ(item.usage_state, domain::JobUsageState::kOk) << item.seq;
    EXPECT_EQ(item.usage_error, "") << item.seq;
    auto snapshot = usage.GetUsageSnapshot(item.account_id, item.region);
    ASSERT_OK(snapshot);
    EXPECT_EQ(snapshot->state, store::UsageState::kOk);
  }
  auto stored = env.store->GetJob(job->job_id);
  ASSERT_OK(stored);
  EXPECT_TRUE(stored->include_usage);
  EXPECT_EQ(stored->counters, done->job.counters);
}

TEST_F(FleetUsageTest, AFailedPollIsStaleAndCountedWithoutChangingTheQuotaOutcome) {
  cw.FailListMetrics(Unavailable("InternalServiceFault"));
  auto job = fleet.Start(env.Admin(), WithUsage());
  ASSERT_OK(job);
  fleet.WaitIdle();
  auto done = fleet.Get(job->job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);  // the quota refresh succeeded
  EXPECT_EQ(done->job.counters, (domain::JobCounters{.total = 5, .ok = 5, .usage_failed = 5}));
  EXPECT_EQ(env.store->GetJob(job->job_id)->counters, done->job.counters);
  for (const domain::JobItem& item : Items(job->job_id)) {
    EXPECT_EQ(item.outcome, domain::JobItemOutcome::kOk) << item.seq;
    EXPECT_EQ(item.values_ok, 6);
    EXPECT_EQ(item.usage_state, domain::JobUsageState::kStale) << item.seq;
    EXPECT_EQ(item.usage_error, UsageErrorMessage("unavailable")) << item.seq;
  }
}

TEST_F(FleetUsageTest, AJobWithoutUsageDoesNotPoll) {
  auto job = fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  fleet.WaitIdle();
  EXPECT_EQ(cw.list_calls(), 0);
  EXPECT_FALSE(env.store->GetJob(job->job_id)->include_usage);
  for (const domain::JobItem& item : Items(job->job_id))
    EXPECT_EQ(item.usage_state, domain::JobUsageState::kNotAsked) << item.seq;
}

TEST_F(FleetUsageTest, UsageIsRefusedWithoutAPoller) {
  FleetRefresher no_usage(*env.accounts, refresher, *env.store, *env.store, *env.audit, env.clock, env.random,
                          FleetOptions{3});
  EXPECT_FALSE(no_usage.polls_usage());
  auto job = no_usage.Start(env.Admin(), WithUsage());
  EXPECT_EQ(job.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(job.status().field(), "include_usage");
  EXPECT_FALSE(no_usage.Running().has_value());
  EXPECT_EQ(cw.list_calls(), 0);
}

TEST_F(FleetUsageTest, AResumedJobPollsItsPendingItems) {
  domain::Job left;
  left.job_id = "j_stopped";
  left.kind = "quota_refresh_all";
  left.state = domain::JobState::kInterrupted;
  left.created_by = "u_admin";
  left.created_at_ms = env.clock.NowUnixMillis();
  left.include_usage = true;
  ASSERT_OK(env.store->CreateJob(left));
  std::vector<domain::JobItem> items;
  for (int i = 0; i < 5; ++i) {
    domain::JobItem item;
    item.seq = i;
    item.account_id = "10000000000" + std::to_string(i);
    item.region = "us-east-1";
    items.push_back(item);
  }
  ASSERT_OK(env.store->AddJobItems("j_stopped", items));
  for (int i = 0; i < 2; ++i)
    ASSERT_OK(env.store->FinishJobItem("j_stopped", i,
                                       {.outcome = domain::JobItemOutcome::kOk,
                                        .values_ok = 6,
                                        .usage_state = domain::JobUsageState::kStale,
                                        .usage_error = "was stale"}));
  ASSERT_OK(fleet.Resume(env.Admin(), "j_stopped"));
  fleet.WaitIdle();
  auto stored = env.store->GetJob("j_stopped");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kSucceeded);
  EXPECT_EQ(stored->counters, (domain::JobCounters{.total = 5, .ok = 5, .usage_failed = 2}));
  EXPECT_EQ(cw.list_calls(), 3);  // only the pending items polled
  std::vector<domain::JobItem> after = Items("j_stopped");
  ASSERT_EQ(after.size(), 5u);
  EXPECT_EQ(after[0].usage_state, domain::JobUsageState::kStale);
  EXPECT_EQ(after[0].usage_error, "was stale");
  for (int i = 2; i < 5; ++i) EXPECT_EQ(after[i].usage_state, domain::JobUsageState::kOk) << i;
}

}  // namespace
}  // namespace ap::service
