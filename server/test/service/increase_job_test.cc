// The bulk increase job (IncreaseJobRunner) and the tracker (IncreaseTracker) on the IncreaseFixture.
#include <gtest/gtest.h>

#include "increase_fixture.h"
#include "service/increase_job_runner.h"
#include "service/increase_tracker.h"
#include "status_matchers.h"

namespace ap::service {
namespace {

class IncreaseJobTest : public testing::IncreaseFixture {
 protected:
  std::unique_ptr<IncreaseJobRunner> Runner(std::string instance) {
    IncreaseJobOptions o;
    o.concurrency = 2;
    o.instance_id = std::move(instance);
    return std::make_unique<IncreaseJobRunner>(*svc, *env.store, *env.store, *env.audit, env.clock, env.random, o);
  }
  std::unique_ptr<IncreaseTracker> Tracker(std::string instance) {
    IncreaseTrackerOptions o;
    o.interval = std::chrono::minutes(10);
    o.jitter = 0;
    o.instance_id = std::move(instance);
    o.page_size = 1;  // pages of one: the walk follows cursors
    o.sync_every = 2;
    return std::make_unique<IncreaseTracker>(*svc, *env.store, *env.store, *env.store, env.clock, env.random, o);
  }
  std::vector<domain::JobItem> Items(const std::string& job_id) {
    store::JobItemFilter f;
    auto page = env.store->ListJobItems(job_id, f);
    EXPECT_OK(page);
    return page.ok() ? page->items : std::vector<domain::JobItem>{};
  }
};

TEST(IncreaseParams, RoundTripAndRefuseOtherText) {
  IncreaseSpec spec;
  spec.model_id = "claude-opus-4.5";
  spec.dimension = "rpm_1m";
  spec.desired_value = 1234.5;
  spec.reason = "a|b\nc — ünïcode";
  ASSERT_OK_AND_ASSIGN(IncreaseSpec back, DecodeIncreaseParams(EncodeIncreaseParams(spec)));
  EXPECT_EQ(back.model_id, spec.model_id);
  EXPECT_EQ(back.dimension, spec.dimension);
  EXPECT_EQ(back.desired_value, spec.desired_value);
  EXPECT_EQ(back.reason, spec.reason);
  EXPECT_FALSE(DecodeIncreaseParams("").ok());
  EXPECT_FALSE(DecodeIncreaseParams("v1|a|b|x|").ok());
}

TEST_F(IncreaseJobTest, BulkJobReportsPerItemOutcomesWithTheRequestMade) {
  auto runner = Runner("instance-a");
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("222222222222", {"ops"})));
  std::vector<IncreaseTarget> targets = {
      {kAccount, "us-east-1"}, {kAccount, "eu-west-1"}, {"222222222222", "us-east-1"}};
  ASSERT_OK_AND_ASSIGN(domain::Job job, runner->Start(env.Admin(), Spec("tpm", 2000), targets));
  EXPECT_EQ(job.kind, "quota_increase");
  EXPECT_EQ(job.total(), 3);
  runner->WaitIdle();
  ASSERT_OK_AND_ASSIGN(domain::Job done, env.store->GetJob(job.job_id));
  EXPECT_EQ(done.state, domain::JobState::kFailed);  // some items failed
  EXPECT_EQ(done.counters.ok, 1);
  EXPECT_EQ(done.counters.failed, 2);
  auto items = Items(job.job_id);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].outcome, domain::JobItemOutcome::kOk);
  ASSERT_OK_AND_ASSIGN(auto made, env.store->GetIncreaseRequest(items[0].ref));
  EXPECT_EQ(made.account_id, kAccount);
  EXPECT_EQ(made.requested_by, "u_admin");
  EXPECT_EQ(items[1].outcome, domain::JobItemOutcome::kFailed);
  EXPECT_NE(items[1].error.find("region_not_enabled"), std::string::npos);
  EXPECT_NE(items[2].error.find("current_unknown"), std::string::npos);  // nothing cached for that account
  EXPECT_EQ(quotas.request_calls, 1);
  EXPECT_EQ(runner->Start(env.Admin(), Spec("tph", 1), targets).status().field(), "dimension");
}

TEST_F(IncreaseJobTest, AnInterruptedJobResumesAndAnAbandonedOneIsTakenOver) {
  auto runner = Runner("instance-a");
  // A job an earlier process left interrupted: header and items in the store, nothing sent yet.
  domain::Job left;
  left.job_id = "j_left";
  left.kind = "quota_increase";
  left.created_by = "u_admin";
  left.created_at_ms = env.clock.NowUnixMillis();
  left.params = EncodeIncreaseParams(Spec("tpm", 2000));
  ASSERT_OK(env.store->CreateJob(left));
  domain::JobItem item;
  item.account_id = kAccount;
  item.region = "us-east-1";
  ASSERT_OK(env.store->AddJobItems("j_left", {item}));
  ASSERT_OK(env.store->UpdateJobState(
      "j_left", {domain::JobState::kRunning, domain::JobState::kInterrupted, env.clock.NowUnixMillis(), 0}));
  ASSERT_OK(runner->Resume(env.Admin(), "j_left"));
  runner->WaitIdle();
  ASSERT_OK_AND_ASSIGN(domain::Job resumed, env.store->GetJob("j_left"));
  EXPECT_EQ(resumed.state, domain::JobState::kSucceeded);
  EXPECT_EQ(resumed.counters.ok, 1);
  EXPECT_EQ(runner->Resume(env.Admin(), "j_left").status().code(), StatusCode::kFailedPrecondition);

  // A job left running by a dead instance (no live lease): the next look for abandoned jobs takes it over.
  SetCached("us-east-1", kSonnetRpm, 100);
  domain::Job dead = left;
  dead.job_id = "j_dead";
  dead.params = EncodeIncreaseParams(Spec("rpm", 200));
  ASSERT_OK(env.store->CreateJob(dead));
  ASSERT_OK(env.store->AddJobItems("j_dead", {item}));
  auto other = Runner("instance-b");
  other->Tick();
  other->WaitIdle();
  ASSERT_OK_AND_ASSIGN(domain::Job taken, env.store->GetJob("j_dead"));
  EXPECT_EQ(taken.state, domain::JobState::kSucceeded);
  EXPECT_EQ(Items("j_dead")[0].outcome, domain::JobItemOutcome::kOk);
}

TEST_F(IncreaseJobTest, TrackerRoundsRunOnceAcrossInstancesAndFollowTheOpenRequests) {
  ASSERT_OK_AND_ASSIGN(auto req, svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("tpm", 2000)));
  auto a = Tracker("instance-a");
  auto b = Tracker("instance-b");
  EXPECT_FALSE(a->Tick());  // not due yet
  env.clock.Advance(std::chrono::minutes(11));
  quotas.SetChangeStatus("req-1", "APPROVED");
  EXPECT_TRUE(a->Tick());
  EXPECT_FALSE(b->Tick());  // instance-a holds this interval's lease
  EXPECT_EQ(a->last_run().checked, 1);
  EXPECT_EQ(a->last_run().changed, 1);
  ASSERT_OK_AND_ASSIGN(auto approved, env.store->GetIncreaseRequest(req.request_id));
  EXPECT_EQ(approved.status, domain::IncreaseStatus::kApproved);
  EXPECT_EQ(approvals.load(), 1);
  // Closed requests leave the open index: the next round reads nothing; every second round also syncs.
  quotas.AddExternalChange("us-east-1", kSonnetRpm, 700, "PENDING");
  env.clock.Advance(std::chrono::minutes(11));
  EXPECT_TRUE(b->Tick());
  EXPECT_EQ(b->last_run().checked, 0);
  EXPECT_EQ(b->last_run().found, 0);  // b's first round: no sync
  IncreaseRoundReport synced = a->RunOnce(/*sync=*/true);
  EXPECT_EQ(synced.synced_accounts, 1);
  EXPECT_EQ(synced.found, 1);
  EXPECT_EQ(quotas.get_change_calls, 1);
}

}  // namespace
}  // namespace ap::service
