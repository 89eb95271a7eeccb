#include "service/fleet_refresher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <optional>
#include <vector>

#include "domain/ids.h"
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
        fleet(*env.accounts, refresher, *env.store, *env.store, *env.audit, env.clock, env.random, FleetOptions{3}) {}

  void SetUp() override {
    for (const char* c : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas.Set(c, {1000.0, 500.0, Status::Ok()});
    for (int i = 0; i < 5; ++i) {
      auto req = env.AccessKeyAccount("10000000000" + std::to_string(i), {i % 2 ? "odd" : "even"});
      ASSERT_OK(env.accounts->Create(env.Admin(), req));
    }
  }

  // Starts a job on a FleetRefresher of its own (`options`, 3 accounts at once) and shuts it down with the first
  // three accounts in flight: they start and hang on the held AWS calls, and the calls are let go only once
  // Shutdown() began, so no fourth account can start. Returns the job's id ("" after a failed assertion).
  std::string ShutDownWithThreeInFlight(FleetOptions options) {
    std::latch three_started(3);
    options.account_concurrency = 3;
    options.on_account_started = [&](int64_t) { three_started.count_down(); };
    options.on_shutdown_started = [&] { quotas.Release(); };
    FleetRefresher stopping(*env.accounts, refresher, *env.store, *env.store, *env.audit, env.clock, env.random,
                            options);
    quotas.Hold();
    auto job = stopping.Start(env.Admin(), FleetRequest{});
    EXPECT_OK(job);
    if (!job.ok()) return "";
    three_started.wait();
    EXPECT_TRUE(refresher.InFlight("100000000000"));
    EXPECT_TRUE(refresher.InFlight("100000000001"));
    EXPECT_TRUE(refresher.InFlight("100000000002"));
    stopping.Shutdown();  // waits for the three in flight, starts no more
    return job->job_id;
  }

  // Registers n more accounts, ids `prefix` (7 digits) + 5 digits.
  void AddAccounts(const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) {
      std::string digits = std::to_string(i);
      ASSERT_OK(env.accounts->Create(env.Admin(),
                                     env.AccessKeyAccount(prefix + std::string(5 - digits.size(), '0') + digits)));
    }
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
  FleetRefresher fleet;
};

// Every item of a job, page by page.
std::vector<domain::JobItem> AllItems(FleetRefresher& fleet, const std::string& job_id,
                                      std::optional<domain::JobItemOutcome> outcome = std::nullopt) {
  std::vector<domain::JobItem> out;
  JobItemQuery q;
  q.outcome = outcome;
  q.page_size = 7;  // several pages even for small jobs
  for (;;) {
    auto page = fleet.Items(job_id, q);
    EXPECT_OK(page);
    if (!page.ok()) return out;
    out.insert(out.end(), page->items.begin(), page->items.end());
    if (page->next.empty()) return out;
    q.cursor = page->next;
  }
}

TEST_F(FleetTest, RefreshesEveryMatchingAccountAndReportsProgress) {
  auto job = fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  EXPECT_EQ(job->total(), 5);
  fleet.WaitIdle();
  auto done = fleet.Get(job->job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.done(), 5);
  EXPECT_EQ(done->job.counters, (domain::JobCounters{.total = 5, .ok = 5}));
  std::vector<domain::JobItem> items = AllItems(fleet, job->job_id);
  ASSERT_EQ(items.size(), 5u);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].seq, static_cast<int64_t>(i));
    EXPECT_EQ(items[i].outcome, domain::JobItemOutcome::kOk);
    EXPECT_EQ(items[i].values_ok, 6);
    EXPECT_GT(items[i].finished_at_ms, 0);
  }
  EXPECT_EQ(quotas.get_calls(), 30);
  EXPECT_GT(done->job.finished_at_ms, 0);
  // The id orders jobs by creation time.
  EXPECT_EQ(domain::TimeOfId("j_", job->job_id), job->created_at_ms);
  // Persisted: a fresh read from the store says the same.
  auto stored = env.store->GetJob(job->job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kSucceeded);
  EXPECT_EQ(stored->counters, done->job.counters);
  EXPECT_EQ(stored->finished_at_ms, done->job.finished_at_ms);
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
  std::vector<domain::JobItem> failed = AllItems(fleet, job->job_id, domain::JobItemOutcome::kFailed);
  ASSERT_EQ(failed.size(), 5u);
  EXPECT_EQ(failed[0].error, "InvalidClientTokenId: bad key");
  EXPECT_TRUE(AllItems(fleet, job->job_id, domain::JobItemOutcome::kOk).empty());
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
        accounts(recording, env.clock, env.random, *env.sealer, *env.audit, *env.auth, env.assumer,
                 std::chrono::seconds(5)),
        fleet(accounts, refresher, *env.store, *env.store, *env.audit, env.clock, env.random, FleetOptions{3}) {}
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

// What a crashed process leaves behind: job `id` "running" over the five accounts, the first `done` finished.
void LeaveJob(testing::TestEnv& env, const std::string& id, domain::JobState state, int done) {
  domain::Job left;
  left.job_id = id;
  left.kind = "quota_refresh_all";
  left.state = state;
  left.created_by = "u_admin";
  left.created_at_ms = env.clock.NowUnixMillis();
  ASSERT_OK(env.store->CreateJob(left));
  std::vector<domain::JobItem> items;
  for (int i = 0; i < 5; ++i) {
    domain::JobItem item;
    item.seq = i;
    item.account_id = "10000000000" + std::to_string(i);
    item.region = "us-east-1";
    items.push_back(item);
  }
  ASSERT_OK(env.store->AddJobItems(id, items));
  for (int i = 0; i < done; ++i)
    ASSERT_OK(env.store->FinishJobItem(id, i, {.outcome = domain::JobItemOutcome::kOk, .values_ok = 6}));
}

TEST_F(FleetTest, AJobLeftRunningWithNoLiveLeaseIsTakenOverAndFinished) {
  LeaveJob(env, "j_crashed", domain::JobState::kRunning, 2);  // no lease at all: made by a process before leases
  // Another job, finished long ago, is left alone.
  LeaveJob(env, "j_old", domain::JobState::kSucceeded, 5);
  ASSERT_OK(fleet.TakeOverAbandonedJob());
  fleet.WaitIdle();
  auto done = fleet.Get("j_crashed");
  ASSERT_OK(done);
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.done(), 5);
  auto stored = env.store->GetJob("j_crashed");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->counters, (domain::JobCounters{.total = 5, .ok = 5}));
  EXPECT_EQ(stored->fence, 1);        // the token it was taken over with
  EXPECT_EQ(quotas.get_calls(), 18);  // only the three pending accounts were read
  EXPECT_EQ(env.store->GetJob("j_old")->state, domain::JobState::kSucceeded);
  auto lease = env.store->GetLease(kFleetJobLease);
  ASSERT_OK(lease);
  EXPECT_EQ(lease->expires_at_ms, 0);       // released with the end state
  ASSERT_OK(fleet.TakeOverAbandonedJob());  // nothing left to take over
  EXPECT_FALSE(fleet.Running().has_value());
}

TEST_F(FleetTest, AnInterruptedJobIsResumedUnderTheLease) {
  LeaveJob(env, "j_stopped", domain::JobState::kInterrupted, 2);
  ASSERT_OK(fleet.TakeOverAbandonedJob());  // not running: not taken over
  EXPECT_FALSE(fleet.Running().has_value());
  auto resumed = fleet.Resume(env.Admin(), "j_stopped");
  ASSERT_OK(resumed);
  EXPECT_EQ(resumed->done(), 2);
  EXPECT_EQ(resumed->total(), 5);
  EXPECT_EQ(resumed->fence, 1);
  fleet.WaitIdle();
  auto done = fleet.Get("j_stopped");
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.done(), 5);
  EXPECT_EQ(env.store->GetJob("j_stopped")->counters, (domain::JobCounters{.total = 5, .ok = 5}));
  EXPECT_EQ(quotas.get_calls(), 18);  // only the three pending accounts were read
  EXPECT_EQ(fleet.Resume(env.Admin(), "j_stopped").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(fleet.Resume(env.Admin(), "j_nope").status().code(), StatusCode::kNotFound);
}

TEST_F(FleetTest, ShutdownInterruptsAndKeepsTheJobResumable) {
  std::string job_id = ShutDownWithThreeInFlight(FleetOptions{});
  auto stored = env.store->GetJob(job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kInterrupted);
  EXPECT_EQ(stored->done(), 3);
  EXPECT_EQ(stored->finished_at_ms, 0);
  EXPECT_EQ(AllItems(fleet, job_id, domain::JobItemOutcome::kPending).size(), 2u);
}

TEST_F(FleetTest, ShutdownHandsTheJobOverWhenAsked) {
  FleetOptions options;
  options.hand_over_on_shutdown = true;
  std::string job_id = ShutDownWithThreeInFlight(options);
  // The three in flight finished; the job stays running and its lease is free.
  auto stored = env.store->GetJob(job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kRunning);
  EXPECT_EQ(stored->done(), 3);
  auto lease = env.store->GetLease(kFleetJobLease);
  ASSERT_OK(lease);
  EXPECT_EQ(lease->expires_at_ms, 0);

  // Another instance takes it over at its next look, without waiting for an expiry, and finishes the two left.
  ASSERT_OK(fleet.TakeOverAbandonedJob());
  fleet.WaitIdle();
  auto done = env.store->GetJob(job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->done(), 5);
}

// A JobStore that forwards to another, records how much each call reads or writes, and can fail writes.
class CountingJobStore final : public store::JobStore {
 public:
  explicit CountingJobStore(store::JobStore& inner) : inner_(inner) {}

  struct Counts {
    int add_calls = 0;
    size_t max_added = 0;  // items in the largest AddJobItems
    int finish_calls = 0;
    int list_item_calls = 0;
    int64_t max_item_limit = 0;
  };
  Counts counts() const {
    std::lock_guard lock(mu_);
    return counts_;
  }
  // FinishJobItem of this seq fails with Unavailable (-1 = none).
  void FailFinishOf(int64_t seq) {
    std::lock_guard lock(mu_);
    fail_finish_ = seq;
  }
  // AddJobItems fails with Unavailable once this many calls succeeded (-1 = never).
  void FailAddAfter(int calls) {
    std::lock_guard lock(mu_);
    fail_add_after_ = calls;
  }

  Status CreateJob(const domain::Job& j) override { return inner_.CreateJob(j); }
  Result<domain::Job> GetJob(const std::string& id) override { return inner_.GetJob(id); }
  Result<store::JobPage> ListJobs(const store::JobFilter& f) override { return inner_.ListJobs(f); }
  Status UpdateJobState(const std::string& id, const store::JobStateChange& c) override {
    return inner_.UpdateJobState(id, c);
  }
  Status AddJobItems(const std::string& id, const std::vector<domain::JobItem>& items) override {
    {
      std::lock_guard lock(mu_);
      if (fail_add_after_ >= 0 && counts_.add_calls >= fail_add_after_) return Unavailable("injected: disk full");
      ++counts_.add_calls;
      counts_.max_added = std::max(counts_.max_added, items.size());
    }
    return inner_.AddJobItems(id, items);
  }
  Status FinishJobItem(const std::string& id, int64_t seq, const store::JobItemResult& r) override {
    {
      std::lock_guard lock(mu_);
      ++counts_.finish_calls;
      if (seq == fail_finish_) return Unavailable("injected: disk full");
    }
    return inner_.FinishJobItem(id, seq, r);
  }
  Result<store::JobItemPage> ListJobItems(const std::string& id, const store::JobItemFilter& f) override {
    {
      std::lock_guard lock(mu_);
      ++counts_.list_item_calls;
      counts_.max_item_limit = std::max(counts_.max_item_limit, f.limit);
    }
    return inner_.ListJobItems(id, f);
  }

 private:
  store::JobStore& inner_;
  mutable std::mutex mu_;
  Counts counts_;
  int64_t fail_finish_ = -1;
  int fail_add_after_ = -1;
};

TEST_F(FleetTest, NoStoreWriteOrReadGrowsWithTheJob) {
  // 250 accounts: more items than one AddJobItems batch and than one page of pending items.
  AddAccounts("2000000", 245);
  CountingJobStore counting(*env.store);
  FleetRefresher counted(*env.accounts, refresher, counting, *env.store, *env.audit, env.clock, env.random,
                         FleetOptions{8});
  auto job = counted.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  EXPECT_EQ(job->total(), 250);
  counted.WaitIdle();
  auto done = counted.Get(job->job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.counters, (domain::JobCounters{.total = 250, .ok = 250}));
  EXPECT_EQ(env.store->GetJob(job->job_id)->counters, done->job.counters);
  CountingJobStore::Counts c = counting.counts();
  EXPECT_EQ(c.add_calls, 3);  // 99 + 99 + 52
  EXPECT_LE(c.max_added, static_cast<size_t>(store::kMaxJobItemsPerAdd));
  EXPECT_EQ(c.finish_calls, 250);  // one small write per item, no rewrite of the job
  EXPECT_GE(c.list_item_calls, 2);
  EXPECT_LE(c.max_item_limit, 200);
  EXPECT_EQ(quotas.get_calls(), 250 * 6);  // every item once
  std::vector<domain::JobItem> items = AllItems(counted, job->job_id);
  ASSERT_EQ(items.size(), 250u);
  for (const auto& item : items) EXPECT_EQ(item.outcome, domain::JobItemOutcome::kOk) << item.seq;
}

TEST_F(FleetTest, AnOutcomeThatCannotBeRecordedLeavesTheItemPendingAndTheJobResumable) {
  CountingJobStore counting(*env.store);
  FleetRefresher fleet2(*env.accounts, refresher, counting, *env.store, *env.audit, env.clock, env.random,
                        FleetOptions{3});
  counting.FailFinishOf(2);
  auto job = fleet2.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  fleet2.WaitIdle();
  auto stored = env.store->GetJob(job->job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kInterrupted);  // never a success the store does not hold
  EXPECT_EQ(stored->counters, (domain::JobCounters{.total = 5, .ok = 4}));
  EXPECT_EQ(fleet2.Get(job->job_id)->job.counters, stored->counters);
  counting.FailFinishOf(-1);
  const int calls = quotas.get_calls();
  ASSERT_OK(fleet2.Resume(env.Admin(), job->job_id));
  fleet2.WaitIdle();
  EXPECT_EQ(env.store->GetJob(job->job_id)->state, domain::JobState::kSucceeded);
  EXPECT_EQ(quotas.get_calls(), calls + 6);  // only the pending item
}

TEST_F(FleetTest, AStartWhoseItemsCannotBeWrittenFailsAndFreesTheSlot) {
  AddAccounts("3000000", 100);
  CountingJobStore counting(*env.store);
  FleetRefresher fleet2(*env.accounts, refresher, counting, *env.store, *env.audit, env.clock, env.random,
                        FleetOptions{3});
  counting.FailAddAfter(1);  // the first batch is written, the second is not
  auto job = fleet2.Start(env.Admin(), FleetRequest{});
  EXPECT_EQ(job.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(fleet2.Running().has_value());
  auto jobs = fleet2.List({});
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->items.size(), 1u);
  EXPECT_EQ(jobs->items[0].state, domain::JobState::kFailed);  // not resumable: it never held every pair
  EXPECT_EQ(jobs->items[0].total(), store::kMaxJobItemsPerAdd);
  EXPECT_EQ(quotas.get_calls(), 0);
  counting.FailAddAfter(-1);
  auto next = fleet2.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(next);
  EXPECT_EQ(next->total(), 105);
  fleet2.WaitIdle();
}

TEST_F(FleetTest, ListsJobsNewestFirstAndItemsByCursor) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto job = fleet.Start(env.Admin(), FleetRequest{});
    ASSERT_OK(job);
    ids.push_back(job->job_id);
    fleet.WaitIdle();
    env.clock.Advance(std::chrono::milliseconds(1));
  }
  auto page = fleet.List({.page_size = 2});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].job_id, ids[2]);
  EXPECT_EQ(page->items[1].job_id, ids[1]);
  ASSERT_NE(page->next, "");
  page = fleet.List({.cursor = page->next, .page_size = 2});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].job_id, ids[0]);
  EXPECT_EQ(page->next, "");
  EXPECT_EQ(fleet.List({.page_size = 0}).status().field(), "page_size");
  EXPECT_EQ(fleet.List({.page_size = 201}).status().field(), "page_size");
  EXPECT_EQ(fleet.List({.cursor = "nope"}).status().field(), "cursor");

  auto items = fleet.Items(ids[0], {.page_size = 2});
  ASSERT_OK(items);
  EXPECT_EQ(items->items.size(), 2u);
  EXPECT_NE(items->next, "");
  EXPECT_EQ(AllItems(fleet, ids[0]).size(), 5u);
  EXPECT_EQ(fleet.Items("j_nope", {}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fleet.Items(ids[0], {.page_size = 201}).status().field(), "page_size");
}

TEST_F(FleetTest, SchedulerRunsOnTimeAndSkipsRecentlyRefreshedAccounts) {
  SchedulerOptions so;
  so.interval = std::chrono::hours(6);
  so.jitter = 0.1;
  RefreshScheduler scheduler(fleet, *env.quota, *env.store, env.clock, env.random, so);
  auto due = scheduler.next_run() - env.clock.Now();
  EXPECT_GE(due, std::chrono::hours(6) - std::chrono::minutes(36));
  EXPECT_LE(due, std::chrono::hours(6) + std::chrono::minutes(36));
  EXPECT_FALSE(scheduler.Tick());  // not due yet
  // An admin refreshed one account an hour before the run.
  env.clock.Advance(due - std::chrono::hours(1));
  ASSERT_OK(refresher.Refresh(env.Admin(), "100000000000", ""));
  env.clock.Advance(std::chrono::hours(1));
  ASSERT_TRUE(scheduler.Tick());
  auto jobs = fleet.List({.page_size = 10});
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->items.size(), 1u);
  EXPECT_EQ(jobs->items[0].kind, "quota_refresh_scheduled");
  EXPECT_EQ(jobs->items[0].total(), 4);  // the recently refreshed account is skipped
  EXPECT_EQ(jobs->items[0].created_by, "system");
  fleet.WaitIdle();
  EXPECT_FALSE(scheduler.Tick());  // the next run is a whole interval away
  EXPECT_GT(scheduler.next_run(), env.clock.Now() + std::chrono::hours(5));
}

// Issue 16 §1: a refresh that read nothing marks the values stale (moving their attempt time) but does not count as
// recent: the next scheduled run reads the pair again.
TEST_F(FleetTest, SchedulerRetriesAPairWhoseRecentRefreshReadNothing) {
  SchedulerOptions so;
  so.interval = std::chrono::hours(6);
  RefreshScheduler scheduler(fleet, *env.quota, *env.store, env.clock, env.random, so);
  env.clock.Advance(scheduler.next_run() - env.clock.Now() - std::chrono::hours(1));
  quotas.FailEverything(PermissionDenied("AccessDeniedException: denied"));
  auto failed = refresher.Refresh(env.Admin(), "100000000000", "");
  ASSERT_OK(failed);
  ASSERT_EQ(failed->ok_count, 0);
  quotas.FailEverything(Status::Ok());
  env.clock.Advance(std::chrono::hours(1));
  ASSERT_TRUE(scheduler.Tick());
  auto jobs = fleet.List({.page_size = 10});
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->items.size(), 1u);
  EXPECT_EQ(jobs->items[0].total(), 5);  // nothing skipped
  fleet.WaitIdle();
}

TEST_F(FleetTest, SchedulerIsOffWithAZeroInterval) {
  SchedulerOptions so;
  so.interval = Duration::zero();
  RefreshScheduler scheduler(fleet, *env.quota, *env.store, env.clock, env.random, so);
  env.clock.Advance(std::chrono::hours(100));
  EXPECT_FALSE(scheduler.Tick());
}

// ---- several instances on one store ----------------------------------------------------------------------------

// A JobStore and CoordinationStore that forwards to another until Kill(): then every call fails, as the store calls
// of a process that died (or lost the store) never arrive.
class KillableStore final : public store::JobStore, public store::CoordinationStore {
 public:
  explicit KillableStore(store::Store& inner) : inner_(inner) {}
  void Kill() { dead_ = true; }

  Status CreateJob(const domain::Job& j) override { return dead_ ? Dead() : inner_.CreateJob(j); }
  Result<domain::Job> GetJob(const std::string& id) override { return dead_ ? Dead() : inner_.GetJob(id); }
  Result<store::JobPage> ListJobs(const store::JobFilter& f) override { return dead_ ? Dead() : inner_.ListJobs(f); }
  Status UpdateJobState(const std::string& id, const store::JobStateChange& c) override {
    return dead_ ? Dead() : inner_.UpdateJobState(id, c);
  }
  Status AddJobItems(const std::string& id, const std::vector<domain::JobItem>& items) override {
    return dead_ ? Dead() : inner_.AddJobItems(id, items);
  }
  Status FinishJobItem(const std::string& id, int64_t seq, const store::JobItemResult& r) override {
    return dead_ ? Dead() : inner_.FinishJobItem(id, seq, r);
  }
  Result<store::JobItemPage> ListJobItems(const std::string& id, const store::JobItemFilter& f) override {
    return dead_ ? Dead() : inner_.ListJobItems(id, f);
  }
  Result<store::Lease> AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                                    int64_t ttl_ms) override {
    return dead_ ? Dead() : inner_.AcquireLease(name, holder, now_ms, ttl_ms);
  }
  Result<store::Lease> RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                                  int64_t ttl_ms) override {
    return dead_ ? Dead() : inner_.RenewLease(name, holder, token, now_ms, ttl_ms);
  }
  Status ReleaseLease(const std::string& name, const std::string& holder, int64_t token) override {
    return dead_ ? Dead() : inner_.ReleaseLease(name, holder, token);
  }
  Result<store::Lease> GetLease(const std::string& name) override { return dead_ ? Dead() : inner_.GetLease(name); }
  Result<int64_t> BumpEpoch(const std::string& name) override { return dead_ ? Dead() : inner_.BumpEpoch(name); }
  Result<int64_t> GetEpoch(const std::string& name) override { return dead_ ? Dead() : inner_.GetEpoch(name); }

 private:
  static Status Dead() { return Unavailable("injected: this instance is dead"); }
  store::Store& inner_;
  std::atomic<bool> dead_{false};
};

// One instance of the platform as far as fleet jobs go: its own AWS worker pool, refresher and FleetRefresher
// (instance id `id`), on the env's services and store (or `jobs` / `leases` standing for it).
struct Instance {
  Instance(testing::TestEnv& env, testing::FakeServiceQuotas& quotas, store::JobStore& jobs,
           store::CoordinationStore& leases, std::string id, FleetOptions options = FleetOptions{3})
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  RefreshOptionsOf(id)),
        fleet(*env.accounts, refresher, jobs, leases, *env.audit, env.clock, env.random,
              WithId(std::move(options), id)) {}
  static FleetOptions WithId(FleetOptions o, std::string id) {
    o.instance_id = std::move(id);
    return o;
  }
  // Each instance's refreshes under its own holder name, as ServiceGraph makes them.
  static RefreshOptions RefreshOptionsOf(const std::string& id) {
    RefreshOptions o;
    if (!id.empty()) o.instance_id = id;
    return o;
  }
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
  FleetRefresher fleet;
};

constexpr auto kTtl = std::chrono::seconds(30);  // FleetOptions::lease_ttl's default

TEST_F(FleetTest, InstanceIdsAreGivenOrMadeAtRandom) {
  Instance a(env, quotas, *env.store, *env.store, "i_a");
  EXPECT_EQ(a.fleet.instance_id(), "i_a");
  EXPECT_EQ(fleet.instance_id().rfind("i_", 0), 0u);
  Instance made(env, quotas, *env.store, *env.store, "");
  EXPECT_NE(made.fleet.instance_id(), fleet.instance_id());
}

TEST_F(FleetTest, AStartIsRefusedWhileAnotherInstanceHoldsTheLease) {
  Instance a(env, quotas, *env.store, *env.store, "i_a");
  Instance b(env, quotas, *env.store, *env.store, "i_b");
  quotas.Hold();
  auto job = a.fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  EXPECT_EQ(job->fence, 1);
  EXPECT_EQ(env.store->GetJob(job->job_id)->fence, 1);
  auto second = b.fleet.Start(env.Admin(), FleetRequest{});
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(job->job_id), std::string::npos) << second.status().message();
  EXPECT_FALSE(b.fleet.Running().has_value());
  EXPECT_EQ(b.fleet.List({})->items.size(), 1u);  // nothing written by the refused start
  quotas.Release();
  a.fleet.WaitIdle();
  // Released with the end state: the other instance may start at once, under a new token.
  auto next = b.fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(next);
  EXPECT_EQ(next->fence, 2);
  b.fleet.WaitIdle();
  EXPECT_EQ(env.store->GetJob(next->job_id)->state, domain::JobState::kSucceeded);
}

TEST_F(FleetTest, ALiveInstanceRenewsItsLeaseAndItsJobIsNeverTakenOver) {
  Instance a(env, quotas, *env.store, *env.store, "i_a");
  Instance b(env, quotas, *env.store, *env.store, "i_b");
  quotas.Hold();
  auto job = a.fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  for (int i = 0; i < 4; ++i) {  // 44 s, well past one ttl: renewed every 11 s (more often than ttl / 3 asks)
    env.clock.Advance(std::chrono::seconds(11));
    a.fleet.Tick();
    b.fleet.Tick();  // checks for an abandoned job: the lease is live
  }
  EXPECT_FALSE(b.fleet.Running().has_value());
  auto lease = env.store->GetLease(kFleetJobLease);
  ASSERT_OK(lease);
  EXPECT_EQ(lease->holder, "i_a");
  EXPECT_EQ(lease->token, 1);
  EXPECT_EQ(lease->expires_at_ms, env.clock.NowUnixMillis() + 30'000);
  EXPECT_EQ(env.store->GetJob(job->job_id)->fence, 1);
  quotas.Release();
  a.fleet.WaitIdle();
  EXPECT_EQ(env.store->GetJob(job->job_id)->state, domain::JobState::kSucceeded);
}

TEST_F(FleetTest, ADeadInstancesJobIsTakenOverAfterTheTtlAndEveryItemFinishesOnce) {
  KillableStore a_store(*env.store);
  std::atomic<int> a_started{0};
  std::latch three_started(3);
  FleetOptions ao{3};
  ao.on_account_started = [&](int64_t) {
    ++a_started;
    three_started.count_down();
  };
  Instance a(env, quotas, a_store, a_store, "i_a", ao);
  Instance b(env, quotas, *env.store, *env.store, "i_b");
  quotas.Hold();
  auto job = a.fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  three_started.wait();  // three items in flight on "a", two pending
  // "a" dies: nothing it does reaches the store any more, so its lease is not renewed.
  a_store.Kill();
  env.clock.Advance(kTtl - std::chrono::milliseconds(1));
  ASSERT_OK(b.fleet.TakeOverAbandonedJob());  // not expired yet: "a"'s job is left alone
  EXPECT_FALSE(b.fleet.Running().has_value());
  env.clock.Advance(std::chrono::milliseconds(1));
  a.fleet.Tick();  // its renewal fails: it launches nothing more
  // What "a" had in flight ends; none of it reaches the store (and its refreshes release their own leases, so the
  // take-over below does not depend on how a refresh waits for another instance's).
  quotas.Release();
  a.fleet.WaitIdle();
  EXPECT_EQ(a_started.load(), 3);  // nothing launched by "a" after its lease was lost
  EXPECT_EQ(env.store->GetJob(job->job_id)->counters, (domain::JobCounters{.total = 5}));
  quotas.Hold();
  b.fleet.Tick();  // expired: taken over
  EXPECT_EQ(b.fleet.Running(), job->job_id);
  auto taken = env.store->GetJob(job->job_id);
  ASSERT_OK(taken);
  EXPECT_EQ(taken->state, domain::JobState::kRunning);
  EXPECT_EQ(taken->fence, 2);
  // A change fenced with the dead holder's token is refused from now on.
  Status stale =
      env.store->UpdateJobState(job->job_id, {domain::JobState::kRunning, domain::JobState::kInterrupted, 1, 1});
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition);
  quotas.Release();
  b.fleet.WaitIdle();
  auto done = env.store->GetJob(job->job_id);
  ASSERT_OK(done);
  EXPECT_EQ(done->state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->counters, (domain::JobCounters{.total = 5, .ok = 5}));  // each item counted once
  EXPECT_EQ(done->fence, 2);
  for (const auto& item : AllItems(b.fleet, job->job_id))
    EXPECT_EQ(item.outcome, domain::JobItemOutcome::kOk) << item.seq << ": " << item.error;
  EXPECT_EQ(env.store->GetLease(kFleetJobLease)->expires_at_ms, 0);  // released by "b" with the end state
}

TEST_F(FleetTest, AnInstanceCutOffPastItsTtlIsFencedOutByTheNewHolder) {
  Instance a(env, quotas, *env.store, *env.store, "i_a");
  Instance b(env, quotas, *env.store, *env.store, "i_b");
  quotas.Hold();
  auto job = a.fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  // "a" lives on but does not renew (a long pause): past the ttl "b" takes the job over.
  env.clock.Advance(kTtl);
  b.fleet.Tick();
  EXPECT_EQ(b.fleet.Running(), job->job_id);
  a.fleet.Tick();  // the renewal finds the lease taken over: "a" stops launching
  quotas.Release();
  a.fleet.WaitIdle();
  b.fleet.WaitIdle();
  // Whatever "a" tried to write at its end was refused or left alone: the end state is "b"'s. (The pairs both
  // refreshed are counted once; whose outcome counts, and so the end state, depends on who finished first.)
  auto done = env.store->GetJob(job->job_id);
  ASSERT_OK(done);
  EXPECT_TRUE(domain::IsFinalJobState(done->state)) << domain::JobStateName(done->state);
  EXPECT_EQ(done->counters.total, 5);
  EXPECT_EQ(done->done(), 5);
  EXPECT_EQ(done->fence, 2);
  EXPECT_FALSE(a.fleet.Running().has_value());
}

TEST_F(FleetTest, TwoSchedulersMakeOneRunPerInterval) {
  Instance a(env, quotas, *env.store, *env.store, "i_a");
  Instance b(env, quotas, *env.store, *env.store, "i_b");
  SchedulerOptions so;
  so.interval = std::chrono::hours(6);
  so.jitter = 0;  // both due at the same moment
  RefreshScheduler sa(a.fleet, *env.quota, *env.store, env.clock, env.random, so);
  RefreshScheduler sb(b.fleet, *env.quota, *env.store, env.clock, env.random, so);
  env.clock.Advance(std::chrono::hours(6));
  EXPECT_TRUE(sa.Tick());
  a.fleet.WaitIdle();                         // the job is over: only the scheduler's lease stands in the way
  EXPECT_FALSE(sb.Tick());                    // this interval's run is "a"'s
  EXPECT_GT(sb.next_run(), env.clock.Now());  // "b" planned its next tick
  env.clock.Advance(std::chrono::hours(6));
  EXPECT_TRUE(sb.Tick());  // the next interval: whoever comes first
  b.fleet.WaitIdle();
  EXPECT_FALSE(sa.Tick());
  auto jobs = fleet.List({.page_size = 10});
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->items.size(), 2u);
  for (const auto& j : jobs->items) {
    EXPECT_EQ(j.kind, "quota_refresh_scheduled");
    EXPECT_EQ(j.state, domain::JobState::kSucceeded);
  }
  auto lease = env.store->GetLease(kScheduledRefreshLease);
  ASSERT_OK(lease);
  EXPECT_EQ(lease->holder, "i_b");
  EXPECT_EQ(lease->expires_at_ms, env.clock.NowUnixMillis() + 6 * 3600 * 1000);  // never released
}

}  // namespace
}  // namespace ap::service
