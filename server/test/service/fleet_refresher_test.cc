#include "service/fleet_refresher.h"

#include <gtest/gtest.h>

#include <algorithm>
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
        fleet(*env.accounts, refresher, *env.store, *env.audit, env.clock, env.random, FleetOptions{3}) {}

  void SetUp() override {
    for (const char* c : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas.Set(c, {1000.0, 500.0, Status::Ok()});
    for (int i = 0; i < 5; ++i) {
      auto req = env.AccessKeyAccount("10000000000" + std::to_string(i), {i % 2 ? "odd" : "even"});
      ASSERT_OK(env.accounts->Create(env.Admin(), req));
    }
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
  ASSERT_OK(env.store->CreateJob(left));
  std::vector<domain::JobItem> items;
  for (int i = 0; i < 5; ++i) {
    domain::JobItem item;
    item.seq = i;
    item.account_id = "10000000000" + std::to_string(i);
    item.region = "us-east-1";
    items.push_back(item);
  }
  ASSERT_OK(env.store->AddJobItems("j_crashed", items));
  for (int i = 0; i < 2; ++i)
    ASSERT_OK(env.store->FinishJobItem("j_crashed", i, {.outcome = domain::JobItemOutcome::kOk, .values_ok = 6}));
  // Another job, finished long ago, is left alone.
  domain::Job old = left;
  old.job_id = "j_old";
  old.state = domain::JobState::kSucceeded;
  ASSERT_OK(env.store->CreateJob(old));
  ASSERT_OK(fleet.RecoverInterrupted());
  EXPECT_EQ(env.store->GetJob("j_crashed")->state, domain::JobState::kInterrupted);
  EXPECT_EQ(env.store->GetJob("j_old")->state, domain::JobState::kSucceeded);
  auto resumed = fleet.Resume(env.Admin(), "j_crashed");
  ASSERT_OK(resumed);
  EXPECT_EQ(resumed->done(), 2);
  EXPECT_EQ(resumed->total(), 5);
  fleet.WaitIdle();
  auto done = fleet.Get("j_crashed");
  EXPECT_EQ(done->job.state, domain::JobState::kSucceeded);
  EXPECT_EQ(done->job.done(), 5);
  EXPECT_EQ(env.store->GetJob("j_crashed")->counters, (domain::JobCounters{.total = 5, .ok = 5}));
  EXPECT_EQ(quotas.get_calls(), 18);  // only the three pending accounts were read
  EXPECT_EQ(fleet.Resume(env.Admin(), "j_crashed").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(fleet.Resume(env.Admin(), "j_nope").status().code(), StatusCode::kNotFound);
}

TEST_F(FleetTest, ShutdownInterruptsAndKeepsTheJobResumable) {
  // The first three accounts (account_concurrency) start and hang on the held AWS calls; Shutdown() must find
  // them in flight, and the calls are let go only once it began, so no fourth account can start.
  std::latch three_started(3);
  FleetOptions options{3};
  options.on_account_started = [&](int64_t) { three_started.count_down(); };
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
  EXPECT_EQ(stored->finished_at_ms, 0);
  EXPECT_EQ(AllItems(observed, job->job_id, domain::JobItemOutcome::kPending).size(), 2u);
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
  FleetRefresher counted(*env.accounts, refresher, counting, *env.audit, env.clock, env.random, FleetOptions{8});
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
  FleetRefresher fleet2(*env.accounts, refresher, counting, *env.audit, env.clock, env.random, FleetOptions{3});
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
  FleetRefresher fleet2(*env.accounts, refresher, counting, *env.audit, env.clock, env.random, FleetOptions{3});
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

TEST_F(FleetTest, SchedulerIsOffWithAZeroInterval) {
  SchedulerOptions so;
  so.interval = Duration::zero();
  RefreshScheduler scheduler(fleet, *env.quota, env.clock, env.random, so);
  env.clock.Advance(std::chrono::hours(100));
  EXPECT_FALSE(scheduler.Tick());
}

}  // namespace
}  // namespace ap::service
