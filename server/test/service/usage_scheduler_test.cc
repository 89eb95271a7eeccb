#include "service/usage_scheduler.h"

#include <gtest/gtest.h>

#include "status_matchers.h"
#include "test_env.h"
#include "usage_fakes.h"

namespace ap::service {
namespace {

class UsageSchedulerTest : public ::testing::Test {
 protected:
  UsageSchedulerTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        poller_a(MakePoller("instance-a")),
        poller_b(MakePoller("instance-b")) {}

  std::unique_ptr<UsagePoller> MakePoller(std::string id) {
    UsagePollOptions o;
    o.instance_id = std::move(id);
    o.lease_poll = std::chrono::milliseconds(1);
    return std::make_unique<UsagePoller>(*env.accounts, *env.quota_config, *env.quota, creds, cw, *env.store, usage,
                                         env.clock, pool, o);
  }
  std::unique_ptr<UsageScheduler> MakeScheduler(UsagePoller& poller, std::string id, Duration interval) {
    UsageSchedulerOptions o;
    o.interval = interval;
    o.jitter = 0;
    o.instance_id = std::move(id);
    o.page_size = 2;  // three accounts: two pages
    o.max_concurrent = 2;
    return std::make_unique<UsageScheduler>(poller, *env.store, *env.store, env.clock, env.random, o);
  }

  void SetUp() override {
    for (const char* id : {"111111111111", "222222222222", "333333333333"})
      ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(id)));
    cw.SetModelIds({"global.anthropic.claude-sonnet-4-5-20250929-v1:0"});
  }

  testing::TestEnv env;
  testing::FakeCloudWatch cw;
  testing::InMemoryUsageStore usage;
  ThreadPool pool;
  AccountCredentials creds;
  std::unique_ptr<UsagePoller> poller_a;
  std::unique_ptr<UsagePoller> poller_b;
};

TEST_F(UsageSchedulerTest, RunsOncePerIntervalAcrossTwoInstancesAndPollsEveryAccountPageByPage) {
  auto a = MakeScheduler(*poller_a, "instance-a", std::chrono::minutes(5));
  auto b = MakeScheduler(*poller_b, "instance-b", std::chrono::minutes(5));
  EXPECT_FALSE(a->Tick());  // not due yet
  EXPECT_FALSE(b->Tick());
  EXPECT_EQ(cw.list_calls(), 0);

  env.clock.Advance(std::chrono::minutes(5));
  EXPECT_TRUE(a->Tick());
  EXPECT_FALSE(b->Tick());  // a made this interval's run
  UsageRunReport run = a->last_run();
  EXPECT_EQ(run.accounts, 3);
  EXPECT_EQ(run.polls, 3);
  EXPECT_EQ(run.ok, 3);
  EXPECT_EQ(run.failed, 0);
  EXPECT_EQ(cw.list_calls(), 3);
  for (const char* id : {"111111111111", "222222222222", "333333333333"})
    EXPECT_OK(usage.GetUsageSnapshot(id, "us-east-1"));
  EXPECT_FALSE(a->Tick());  // planned an interval later

  env.clock.Advance(std::chrono::minutes(5));
  // b's tick was planned at its last tick; both are due now: whoever ticks first runs, the other does not.
  EXPECT_TRUE(b->Tick());
  EXPECT_FALSE(a->Tick());
  EXPECT_EQ(cw.list_calls(), 6);
  EXPECT_EQ(b->last_run().polls, 3);
}

TEST_F(UsageSchedulerTest, StaleAndFailedPollsAreCountedNotRetried) {
  cw.FailListMetrics(Unavailable("InternalServiceFault"));
  auto a = MakeScheduler(*poller_a, "instance-a", std::chrono::minutes(5));
  env.clock.Advance(std::chrono::minutes(5));
  EXPECT_TRUE(a->Tick());
  EXPECT_EQ(a->last_run().stale, 3);
  EXPECT_EQ(cw.list_calls(), 3);
  auto s = usage.GetUsageSnapshot("111111111111", "us-east-1");
  ASSERT_OK(s);
  EXPECT_EQ(s->error_code, "unavailable");
}

TEST_F(UsageSchedulerTest, IntervalZeroTurnsItOff) {
  auto a = MakeScheduler(*poller_a, "instance-a", Duration::zero());
  env.clock.Advance(std::chrono::hours(1));
  EXPECT_FALSE(a->Tick());
  EXPECT_EQ(cw.list_calls(), 0);
}

}  // namespace
}  // namespace ap::service
