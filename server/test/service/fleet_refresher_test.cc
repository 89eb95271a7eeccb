#include "service/fleet_refresher.h"

#include <gtest/gtest.h>

#include <latch>

#include "fake_aws.h"
#include "recording_store.h"
#include "service/refresh_scheduler.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

class FleetTest : public ::testing::Test {
 protected:
  FleetTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  RefreshOptions{}),
        fleet(*env.accounts, refresher, *env.store, *env.audit, env.clock, env.random, FleetOptions{3}) {}

  void SetUp() override {
    for (const char* c : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas.Set(c, {1000.0, 500.0, Status::Ok()});
    for (int i = 0; i < 5; ++i) {
      auto req = env.AccessKeyAccount("10000000000" + std::to_string(i), {i % 2 ? "odd" : "even"});
      ASSERT_OK(env.accounts->Create(env.Admin(), req));
    }
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
  FleetRefresher fleet;
};

TEST_F(FleetTest, RefreshesEveryMatchingAccountAndReportsProgress) {
  auto job = fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  EXPECT_EQ(job->total(), 5);
  fleet.WaitIdle();
  auto done = fleet.Get(job->job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.done(), 5);
  for (const auto& item : done->job.items) {
    EXPECT_EQ(item.outcome, domain::JobItemOutcome::kOk);
    EXPECT_EQ(item.values_ok, 6);
  }
  EXPECT_EQ(quotas.get_calls(), 30);
  EXPECT_GT(done->job.finished_at_ms, 0);
  // Persisted: a fresh read from the store says the same.
  auto stored = env.store->GetJob(job->job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kSucceeded);
}

TEST_F(FleetTest, FiltersByTeamAndRegion) {
  FleetRequest r;
  r.team = "odd";
  auto job = fleet.Start(env.Admin(), r);
  ASSERT_OK(job);
  EXPECT_EQ(job->total(), 2);
  fleet.WaitIdle();
  r.team.clear();
  r.region = "eu-west-1";  // no account uses it
  job = fleet.Start(env.Admin(), r);
  ASSERT_OK(job);
  EXPECT_EQ(job->total(), 0);
  fleet.WaitIdle();
  EXPECT_EQ(fleet.Get(job->job_id)->job.state, domain::JobState::kSucceeded);
  r.region = "mars-1";
  EXPECT_EQ(fleet.Start(env.Admin(), r).status().field(), "region");
}

TEST_F(FleetTest, AFailedAccountFailsTheJobButNotTheOthers) {
  quotas.FailEverything(Unauthenticated("InvalidClientTokenId: bad key"));
  auto job = fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  fleet.WaitIdle();
  auto done = fleet.Get(job->job_id);
  EXPECT_EQ(done->job.state, domain::JobState::kFailed);
  EXPECT_EQ(done->job.failed(), 5);
  EXPECT_EQ(done->job.items[0].error, "InvalidClientTokenId: bad key");
}

TEST_F(FleetTest, OneJobAtATime) {
  quotas.Hold();
  auto job = fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  auto second = fleet.Start(env.Admin(), FleetRequest{});
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(job->job_id), std::string::npos);
  EXPECT_EQ(fleet.Running(), job->job_id);
  quotas.Release();
  fleet.WaitIdle();
  EXPECT_FALSE(fleet.Running().has_value());
}

// A FleetRefresher whose account listings reach the store through a RecordingStore that counts them.
struct CountedFleet {
  CountedFleet(testing::TestEnv& env, QuotaRefresher& refresher)
      : recording(*env.store),
        accounts(recording, env.clock, env.random, *env.vault, *env.audit, *env.auth, env.assumer,
                 std::chrono::seconds(5)),
        fleet(accounts, refresher, *env.store, *env.audit, env.clock, env.random, FleetOptions{3}) {}
  testing::RecordingStore recording;
  AccountService accounts;
  FleetRefresher fleet;
};

TEST_F(FleetTest, AStartWhileAJobRunsIsRefusedBeforeListingAccounts) {
  CountedFleet x(env, refresher);
  FleetRefresher& counted = x.fleet;
  testing::RecordingStore& recording = x.recording;
  quotas.Hold();
  auto job = counted.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  const int listed = recording.list_accounts_calls();
  ASSERT_GT(listed, 0);
  auto second = counted.Start(env.Admin(), FleetRequest{});
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(job->job_id), std::string::npos);
  EXPECT_EQ(recording.list_accounts_calls(), listed);  // refused without reading the fleet
  quotas.Release();
  counted.WaitIdle();
}

TEST_F(FleetTest, AStartAfterShutdownIsRefusedBeforeListingAccounts) {
  CountedFleet x(env, refresher);
  x.fleet.Shutdown();
  EXPECT_EQ(x.fleet.Start(env.Admin(), FleetRequest{}).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(x.recording.list_accounts_calls(), 0);
  x.fleet.Shutdown();  // idempotent
}

TEST_F(FleetTest, OnceAJobShowsFinishedTheNextOneMayStart) {
  for (int round = 0; round < 20; ++round) {
    auto job = fleet.Start(env.Admin(), FleetRequest{});
    ASSERT_OK(job) << "round " << round << ": " << job.status().ToString();
    for (;;) {  // poll without pause: the moment it shows finished is the moment that matters
      auto p = fleet.Get(job->job_id);
      ASSERT_OK(p);
      if (p->job.state != domain::JobState::kRunning) {
        EXPECT_FALSE(p->eta_seconds.has_value());
        break;
      }
    }
  }
  fleet.WaitIdle();
}

TEST_F(FleetTest, AJobLeftRunningByAStoppedProcessIsInterruptedAndResumable) {
  // What a crashed process leaves behind: "running", two of five accounts done.
  domain::Job left;
  left.job_id = "j_crashed";
  left.kind = "quota_refresh_all";
  left.state = domain::JobState::kRunning;
  left.created_by = "u_admin";
  left.created_at_ms = env.clock.NowUnixMillis();
  for (int i = 0; i < 5; ++i) {
    domain::JobItem item;
    item.account_id = "10000000000" + std::to_string(i);
    item.region = "us-east-1";
    if (i < 2) {
      item.outcome = domain::JobItemOutcome::kOk;
      item.values_ok = 6;
    }
    left.items.push_back(item);
  }
  ASSERT_OK(env.store->PutJob(left));
  ASSERT_OK(fleet.RecoverInterrupted());
  EXPECT_EQ(env.store->GetJob("j_crashed")->state, domain::JobState::kInterrupted);
  auto resumed = fleet.Resume(env.Admin(), "j_crashed");
  ASSERT_OK(resumed);
  fleet.WaitIdle();
  auto done = fleet.Get("j_crashed");
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.done(), 5);
  EXPECT_EQ(quotas.get_calls(), 18);  // only the three pending accounts were read
  EXPECT_EQ(fleet.Resume(env.Admin(), "j_crashed").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(fleet.Resume(env.Admin(), "j_nope").status().code(), StatusCode::kNotFound);
}

TEST_F(FleetTest, ShutdownInterruptsAndKeepsTheJobResumable) {
  // The first three accounts (account_concurrency) start and hang on the held AWS calls; Shutdown() must find
  // them in flight, and the calls are let go only once it began, so no fourth account can start.
  std::latch three_started(3);
  FleetOptions options{3};
  options.on_account_started = [&](size_t) { three_started.count_down(); };
  options.on_shutdown_started = [&] { quotas.Release(); };
  FleetRefresher observed(*env.accounts, refresher, *env.store, *env.audit, env.clock, env.random, options);
  quotas.Hold();
  auto job = observed.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  three_started.wait();
  EXPECT_TRUE(refresher.InFlight("100000000000"));
  EXPECT_TRUE(refresher.InFlight("100000000001"));
  EXPECT_TRUE(refresher.InFlight("100000000002"));
  observed.Shutdown();  // waits for the three in flight, starts no more
  auto stored = env.store->GetJob(job->job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kInterrupted);
  EXPECT_EQ(stored->done(), 3);
}

TEST_F(FleetTest, SchedulerRunsOnTimeAndSkipsRecentlyRefreshedAccounts) {
  SchedulerOptions so;
  so.interval = std::chrono::hours(6);
  so.jitter = 0.1;
  RefreshScheduler scheduler(fleet, *env.quota, env.clock, env.random, so);
  auto due = scheduler.next_run() - env.clock.Now();
  EXPECT_GE(due, std::chrono::hours(6) - std::chrono::minutes(36));
  EXPECT_LE(due, std::chrono::hours(6) + std::chrono::minutes(36));
  EXPECT_FALSE(scheduler.Tick());  // not due yet
  // An admin refreshed one account an hour before the run.
  env.clock.Advance(due - std::chrono::hours(1));
  ASSERT_OK(refresher.Refresh(env.Admin(), "100000000000", ""));
  env.clock.Advance(std::chrono::hours(1));
  ASSERT_TRUE(scheduler.Tick());
  auto jobs = fleet.List(10);
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].kind, "quota_refresh_scheduled");
  EXPECT_EQ((*jobs)[0].total(), 4);  // the recently refreshed account is skipped
  EXPECT_EQ((*jobs)[0].created_by, "system");
  fleet.WaitIdle();
  EXPECT_FALSE(scheduler.Tick());  // the next run is a whole interval away
  EXPECT_GT(scheduler.next_run(), env.clock.Now() + std::chrono::hours(5));
}

TEST_F(FleetTest, SchedulerIsOffWithAZeroInterval) {
  SchedulerOptions so;
  so.interval = Duration::zero();
  RefreshScheduler scheduler(fleet, *env.quota, env.clock, env.random, so);
  env.clock.Advance(std::chrono::hours(100));
  EXPECT_FALSE(scheduler.Tick());
}

}  // namespace
}  // namespace ap::service
