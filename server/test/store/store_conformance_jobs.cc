// Conformance: fleet jobs (job_store.h): headers with maintained counters, items as their own records, cursor
// lists. Each test names the clause it checks; every test goes through the JobStore interface only.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::Job;
using domain::JobCounters;
using domain::JobItem;
using domain::JobItemOutcome;
using domain::JobState;

auto Fields(const Job& j) {
  return std::tie(j.job_id, j.kind, j.state, j.created_by, j.team_filter, j.region_filter, j.created_at_ms,
                  j.updated_at_ms, j.finished_at_ms, j.counters, j.fence, j.include_usage);
}

Job MakeJob(std::string id, int64_t created) {
  Job j;
  j.job_id = std::move(id);
  j.kind = "quota_refresh_all";
  j.state = JobState::kRunning;
  j.created_by = "u_admin";
  j.team_filter = "ops";
  j.region_filter = "eu-west-1";
  j.created_at_ms = j.updated_at_ms = created;
  return j;
}

JobItem Item(int64_t seq) {
  JobItem item;
  item.seq = seq;
  item.account_id = std::to_string(100000000000 + seq);
  item.region = seq % 2 ? "eu-west-1" : "us-east-1";
  return item;
}

// Items seq first .. first + n - 1.
std::vector<JobItem> Items(int64_t first, int64_t n) {
  std::vector<JobItem> out;
  for (int64_t s = first; s < first + n; ++s) out.push_back(Item(s));
  return out;
}

JobItemResult Ended(JobItemOutcome outcome, int64_t at_ms, std::string error = "") {
  JobItemResult r;
  r.outcome = outcome;
  r.values_ok = outcome == JobItemOutcome::kFailed ? 0 : 6;
  r.values_failed = outcome == JobItemOutcome::kOk ? 0 : 2;
  r.error = std::move(error);
  r.finished_at_ms = at_ms;
  return r;
}

std::vector<int64_t> Seqs(const JobItemPage& page) {
  std::vector<int64_t> out;
  for (const JobItem& i : page.items) out.push_back(i.seq);
  return out;
}

// One page of items as seqs, and whether it was the last.
struct SeqPage {
  std::vector<int64_t> seqs;
  bool last = false;
  bool operator==(const SeqPage&) const = default;
};
void PrintTo(const SeqPage& p, std::ostream* os) {
  *os << "{";
  for (int64_t s : p.seqs) *os << " " << s;
  *os << (p.last ? " } last" : " } more");
}

// Reads the page `f` names and moves f->cursor on to the next one.
SeqPage NextPage(JobStore& store, const std::string& job_id, JobItemFilter* f) {
  auto page = store.ListJobItems(job_id, *f);
  EXPECT_OK(page);
  if (!page.ok()) return {};
  f->cursor = page->next;
  return {Seqs(*page), page->next.empty()};
}

std::vector<std::string> JobIds(const JobPage& page) {
  std::vector<std::string> out;
  for (const Job& j : page.items) out.push_back(j.job_id);
  return out;
}

// Every item of the job with `outcome` (nullopt = any), following cursors `limit` at a time.
std::vector<JobItem> AllItems(JobStore& store, const std::string& job_id, std::optional<JobItemOutcome> outcome,
                              int64_t limit) {
  std::vector<JobItem> out;
  JobItemFilter f;
  f.outcome = outcome;
  f.limit = limit;
  for (;;) {
    auto page = store.ListJobItems(job_id, f);
    EXPECT_OK(page);
    if (!page.ok()) return out;
    EXPECT_LE(page->items.size(), static_cast<size_t>(limit));
    out.insert(out.end(), page->items.begin(), page->items.end());
    if (page->next.empty()) return out;
    f.cursor = page->next;
  }
}

TEST_P(StoreConformance, CreateJobStoresTheHeaderOnceWithZeroCounters) {
  EXPECT_EQ(store().GetJob("j_missing").status().code(), StatusCode::kNotFound);
  Job j = MakeJob("j_1", 100);
  ASSERT_OK(store().CreateJob(j));
  auto got = store().GetJob("j_1");
  ASSERT_OK(got);
  EXPECT_EQ(Fields(*got), Fields(j));
  EXPECT_EQ(got->total(), 0);
  // Only if absent: the stored header is unchanged.
  Job again = MakeJob("j_1", 999);
  again.kind = "quota_refresh_scheduled";
  EXPECT_EQ(store().CreateJob(again).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Fields(*store().GetJob("j_1")), Fields(j));
  // Counters only move with the items they count.
  Job counted = MakeJob("j_2", 100);
  counted.counters.total = 3;
  Status s = store().CreateJob(counted);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "counters");
  EXPECT_EQ(store().GetJob("j_2").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, AddJobItemsWritesPendingItemsAndCountsThemInTheTotal) {
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  ASSERT_OK(store().AddJobItems("j_1", Items(0, 3)));
  ASSERT_OK(store().AddJobItems("j_1", Items(3, 2)));
  ASSERT_OK(store().AddJobItems("j_1", {}));  // nothing to write
  auto job = store().GetJob("j_1");
  ASSERT_OK(job);
  EXPECT_EQ(job->counters, (JobCounters{.total = 5}));
  EXPECT_EQ(job->pending(), 5);
  auto items = store().ListJobItems("j_1", {});
  ASSERT_OK(items);
  EXPECT_EQ(items->items, Items(0, 5));  // every field, in seq order, pending
  EXPECT_EQ(items->next, "");
}

TEST_P(StoreConformance, AddJobItemsIsAllOrNothing) {
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  ASSERT_OK(store().AddJobItems("j_1", Items(0, 3)));
  // One seq of the batch exists already: nothing of the batch is written.
  EXPECT_EQ(store().AddJobItems("j_1", Items(2, 4)).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store().GetJob("j_1")->total(), 3);
  EXPECT_EQ(Seqs(*store().ListJobItems("j_1", {})), (std::vector<int64_t>{0, 1, 2}));
  // Malformed batches.
  for (const auto& bad : {Items(10, kMaxJobItemsPerAdd + 1), std::vector<JobItem>{Item(20), Item(21), Item(20)},
                          std::vector<JobItem>{Item(-1)}}) {
    Status s = store().AddJobItems("j_1", bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_EQ(s.field(), "items");
  }
  JobItem done = Item(30);
  done.outcome = JobItemOutcome::kOk;
  EXPECT_EQ(store().AddJobItems("j_1", {done}).field(), "items");
  EXPECT_EQ(store().GetJob("j_1")->total(), 3);
  // A full batch is fine.
  ASSERT_OK(store().AddJobItems("j_1", Items(100, kMaxJobItemsPerAdd)));
  EXPECT_EQ(store().GetJob("j_1")->total(), 3 + kMaxJobItemsPerAdd);
  EXPECT_EQ(store().AddJobItems("j_missing", Items(0, 1)).code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, FinishJobItemRecordsTheOutcomeAndCountsItOnce) {
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  ASSERT_OK(store().AddJobItems("j_1", Items(0, 5)));
  ASSERT_OK(store().FinishJobItem("j_1", 0, Ended(JobItemOutcome::kOk, 200)));
  ASSERT_OK(store().FinishJobItem("j_1", 1, Ended(JobItemOutcome::kPartial, 300, "ThrottlingException: slow")));
  ASSERT_OK(store().FinishJobItem("j_1", 3, Ended(JobItemOutcome::kFailed, 250, "InvalidClientTokenId: bad \"k\"\n")));
  auto job = store().GetJob("j_1");
  ASSERT_OK(job);
  EXPECT_EQ(job->counters, (JobCounters{.total = 5, .ok = 1, .partial = 1, .failed = 1}));
  EXPECT_EQ(job->done(), 3);
  EXPECT_EQ(job->updated_at_ms, 300);  // the latest finish, never moved back by an earlier one
  EXPECT_EQ(job->state, JobState::kRunning);

  auto items = store().ListJobItems("j_1", {});
  ASSERT_OK(items);
  ASSERT_EQ(items->items.size(), 5u);
  JobItem want = Item(3);
  want.outcome = JobItemOutcome::kFailed;
  want.values_failed = 2;
  want.error = "InvalidClientTokenId: bad \"k\"\n";
  want.finished_at_ms = 250;
  EXPECT_EQ(items->items[3], want);
  EXPECT_EQ(items->items[2], Item(2));

  // A second finish of the same item changes nothing, and says so.
  Status again = store().FinishJobItem("j_1", 3, Ended(JobItemOutcome::kOk, 400));
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().GetJob("j_1")->counters, job->counters);
  EXPECT_EQ(store().ListJobItems("j_1", {})->items[3], want);

  EXPECT_EQ(store().FinishJobItem("j_1", 99, Ended(JobItemOutcome::kOk, 1)).code(), StatusCode::kNotFound);
  EXPECT_EQ(store().FinishJobItem("j_missing", 0, Ended(JobItemOutcome::kOk, 1)).code(), StatusCode::kNotFound);
  EXPECT_EQ(store().FinishJobItem("j_1", 2, Ended(JobItemOutcome::kPending, 1)).field(), "outcome");
  JobItemResult negative = Ended(JobItemOutcome::kOk, 1);
  negative.values_ok = -1;
  EXPECT_EQ(store().FinishJobItem("j_1", 2, negative).field(), "values");
  EXPECT_EQ(store().GetJob("j_1")->counters, job->counters);
}

TEST_P(StoreConformance, AJobThatPollsUsageKeepsEachItemsUsageAndCountsStalePolls) {
  Job polling = MakeJob("j_usage", 100);
  polling.include_usage = true;
  ASSERT_OK(store().CreateJob(polling));
  ASSERT_OK(store().CreateJob(MakeJob("j_plain", 101)));
  EXPECT_TRUE(store().GetJob("j_usage")->include_usage);
  EXPECT_FALSE(store().GetJob("j_plain")->include_usage);
  ASSERT_OK(store().AddJobItems("j_usage", Items(0, 3)));
  JobItemResult ok = Ended(JobItemOutcome::kOk, 200);
  ok.usage_state = domain::JobUsageState::kOk;
  JobItemResult stale = Ended(JobItemOutcome::kOk, 210);
  stale.usage_state = domain::JobUsageState::kStale;
  stale.usage_error = "CloudWatch could not be reached; the figures shown are the last good ones.";
  JobItemResult skipped = Ended(JobItemOutcome::kFailed, 220, "account is inactive");
  skipped.usage_state = domain::JobUsageState::kSkipped;
  skipped.usage_error = "account is inactive";
  ASSERT_OK(store().FinishJobItem("j_usage", 0, ok));
  ASSERT_OK(store().FinishJobItem("j_usage", 1, stale));
  ASSERT_OK(store().FinishJobItem("j_usage", 2, skipped));
  // The stale poll is counted, apart from (and as well as) the outcome; a second finish counts nothing.
  EXPECT_EQ(store().FinishJobItem("j_usage", 1, stale).code(), StatusCode::kFailedPrecondition);
  auto job = store().GetJob("j_usage");
  ASSERT_OK(job);
  EXPECT_EQ(job->counters, (JobCounters{.total = 3, .ok = 2, .failed = 1, .usage_failed = 1}));
  EXPECT_TRUE(job->include_usage);
  auto items = store().ListJobItems("j_usage", {});
  ASSERT_OK(items);
  ASSERT_EQ(items->items.size(), 3u);
  EXPECT_EQ(items->items[0].usage_state, domain::JobUsageState::kOk);
  EXPECT_EQ(items->items[0].usage_error, "");
  EXPECT_EQ(items->items[1].usage_state, domain::JobUsageState::kStale);
  EXPECT_EQ(items->items[1].usage_error, stale.usage_error);
  EXPECT_EQ(items->items[2].usage_state, domain::JobUsageState::kSkipped);
  EXPECT_EQ(items->items[2].usage_error, "account is inactive");
  // The outcome filter serves them too.
  auto failed = store().ListJobItems("j_usage", {.outcome = JobItemOutcome::kFailed});
  ASSERT_OK(failed);
  ASSERT_EQ(failed->items.size(), 1u);
  EXPECT_EQ(failed->items[0].usage_state, domain::JobUsageState::kSkipped);
  // A pending item, and a job that does not poll usage: not asked.
  ASSERT_OK(store().AddJobItems("j_plain", Items(0, 2)));
  ASSERT_OK(store().FinishJobItem("j_plain", 0, Ended(JobItemOutcome::kOk, 300)));
  auto plain = store().ListJobItems("j_plain", {});
  ASSERT_OK(plain);
  for (const JobItem& i : plain->items) EXPECT_EQ(i.usage_state, domain::JobUsageState::kNotAsked) << i.seq;
  EXPECT_EQ(store().GetJob("j_plain")->counters.usage_failed, 0);
}

TEST_P(StoreConformance, JobCountersStayExactWithManyWritersFinishingTheSameItems) {
  constexpr int kItems = 300, kThreads = 6;
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  for (int first = 0; first < kItems; first += 50) ASSERT_OK(store().AddJobItems("j_1", Items(first, 50)));
  // Every item is finished by two threads at once (two instances racing): exactly one finish of each wins.
  std::atomic<int> won{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int seq = t / 2; seq < kItems; seq += kThreads / 2) {
        JobItemOutcome o = seq % 3 == 0   ? JobItemOutcome::kOk
                           : seq % 3 == 1 ? JobItemOutcome::kPartial
                                          : JobItemOutcome::kFailed;
        Status s = store().FinishJobItem("j_1", seq, Ended(o, 1000 + seq));
        if (s.ok()) {
          ++won;
        } else if (s.code() == StatusCode::kFailedPrecondition) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), kItems);
  EXPECT_EQ(refused.load(), kItems);
  EXPECT_EQ(other.load(), 0);
  auto job = store().GetJob("j_1");
  ASSERT_OK(job);
  EXPECT_EQ(job->counters,
            (JobCounters{.total = kItems, .ok = kItems / 3, .partial = kItems / 3, .failed = kItems / 3}));
  EXPECT_EQ(job->updated_at_ms, 1000 + kItems - 1);
  EXPECT_TRUE(AllItems(store(), "j_1", JobItemOutcome::kPending, 100).empty());
}

TEST_P(StoreConformance, ListJobItemsFiltersByOutcomeAndPagesByCursor) {
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  ASSERT_OK(store().CreateJob(MakeJob("j_2", 100)));
  ASSERT_OK(store().AddJobItems("j_1", Items(0, 10)));
  ASSERT_OK(store().AddJobItems("j_2", Items(0, 4)));  // another job's items never show
  for (int64_t seq : {1, 4, 7}) ASSERT_OK(store().FinishJobItem("j_1", seq, Ended(JobItemOutcome::kFailed, 5)));
  ASSERT_OK(store().FinishJobItem("j_1", 2, Ended(JobItemOutcome::kOk, 5)));

  JobItemFilter f;
  f.limit = 4;
  EXPECT_EQ(NextPage(store(), "j_1", &f), (SeqPage{{0, 1, 2, 3}, false}));
  EXPECT_EQ(NextPage(store(), "j_1", &f), (SeqPage{{4, 5, 6, 7}, false}));
  EXPECT_EQ(NextPage(store(), "j_1", &f), (SeqPage{{8, 9}, true}));

  JobItemFilter failed;
  failed.outcome = JobItemOutcome::kFailed;
  failed.limit = 2;
  EXPECT_EQ(NextPage(store(), "j_1", &failed), (SeqPage{{1, 4}, false}));
  EXPECT_EQ(NextPage(store(), "j_1", &failed), (SeqPage{{7}, true}));

  // Pending items paged while earlier and later ones finish (a resume reading while refreshes end): each item
  // still pending when its page is read is served once, none is skipped.
  JobItemFilter pending;
  pending.outcome = JobItemOutcome::kPending;
  pending.limit = 2;
  EXPECT_EQ(NextPage(store(), "j_1", &pending), (SeqPage{{0, 3}, false}));
  ASSERT_OK(store().FinishJobItem("j_1", 0, Ended(JobItemOutcome::kOk, 6)));  // served already
  ASSERT_OK(store().FinishJobItem("j_1", 8, Ended(JobItemOutcome::kOk, 6)));  // not yet: leaves the list
  EXPECT_EQ(NextPage(store(), "j_1", &pending), (SeqPage{{5, 6}, false}));
  EXPECT_EQ(NextPage(store(), "j_1", &pending), (SeqPage{{9}, true}));

  EXPECT_EQ(store().ListJobItems("j_missing", {}).status().code(), StatusCode::kNotFound);
  JobItemFilter bad;
  bad.cursor = "not-a-cursor";
  EXPECT_EQ(store().ListJobItems("j_1", bad).status().field(), "cursor");
  // A cursor of another list is refused too.
  auto jobs = store().ListJobs({.limit = 1});
  ASSERT_OK(jobs);
  ASSERT_NE(jobs->next, "");
  bad.cursor = jobs->next;
  EXPECT_EQ(store().ListJobItems("j_1", bad).status().field(), "cursor");
  for (int64_t limit : {0, 1001}) {
    JobItemFilter l;
    l.limit = limit;
    EXPECT_EQ(store().ListJobItems("j_1", l).status().field(), "limit");
  }
}

TEST_P(StoreConformance, UpdateJobStateAppliesOnlyFromTheExpectedState) {
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  ASSERT_OK(store().AddJobItems("j_1", Items(0, 2)));
  ASSERT_OK(store().FinishJobItem("j_1", 0, Ended(JobItemOutcome::kOk, 150)));
  // Not final: finished_at_ms stays 0.
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kRunning, JobState::kInterrupted, 200}));
  auto job = store().GetJob("j_1");
  ASSERT_OK(job);
  EXPECT_EQ(job->state, JobState::kInterrupted);
  EXPECT_EQ(job->updated_at_ms, 200);
  EXPECT_EQ(job->finished_at_ms, 0);
  EXPECT_EQ(job->counters, (JobCounters{.total = 2, .ok = 1}));  // counters untouched
  // The stored state is not the expected one: nothing changes.
  Status stale = store().UpdateJobState("j_1", {JobState::kRunning, JobState::kSucceeded, 300});
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Fields(*store().GetJob("j_1")), Fields(*job));
  // Resumed, then final: finished_at_ms is set.
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kInterrupted, JobState::kRunning, 400}));
  ASSERT_OK(store().FinishJobItem("j_1", 1, Ended(JobItemOutcome::kFailed, 450)));
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kRunning, JobState::kFailed, 500}));
  job = store().GetJob("j_1");
  ASSERT_OK(job);
  EXPECT_EQ(job->state, JobState::kFailed);
  EXPECT_EQ(job->updated_at_ms, 500);
  EXPECT_EQ(job->finished_at_ms, 500);
  EXPECT_EQ(job->counters, (JobCounters{.total = 2, .ok = 1, .failed = 1}));
  EXPECT_EQ(store().UpdateJobState("j_missing", {JobState::kRunning, JobState::kFailed, 1}).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreConformance, JobFenceRefusesAnOlderLeaseHoldersStateChanges) {
  // Created under token 3 (stored with the header).
  Job created = MakeJob("j_1", 100);
  created.fence = 3;
  ASSERT_OK(store().CreateJob(created));
  ASSERT_OK_AND_ASSIGN(Job job, store().GetJob("j_1"));
  EXPECT_EQ(job.fence, 3);
  // The same holder (same token) changes it; the fence stays.
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kRunning, JobState::kRunning, 150, 3}));
  // A newer holder (token 5) records its fence on the running job.
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kRunning, JobState::kRunning, 200, 5}));
  ASSERT_OK_AND_ASSIGN(job, store().GetJob("j_1"));
  EXPECT_EQ(job.fence, 5);
  EXPECT_EQ(job.updated_at_ms, 200);
  // The older holder (token 3) is refused, though the state it expects is right: nothing written.
  Status stale = store().UpdateJobState("j_1", {JobState::kRunning, JobState::kInterrupted, 300, 3});
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.message().find("fenced"), std::string::npos) << stale.message();
  EXPECT_EQ(Fields(*store().GetJob("j_1")), Fields(job));
  // An unfenced change neither checks nor moves the fence.
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kRunning, JobState::kInterrupted, 400}));
  ASSERT_OK_AND_ASSIGN(job, store().GetJob("j_1"));
  EXPECT_EQ(job.state, JobState::kInterrupted);
  EXPECT_EQ(job.fence, 5);
  // A later token takes over (resume) and finishes it.
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kInterrupted, JobState::kRunning, 500, 6}));
  ASSERT_OK(store().UpdateJobState("j_1", {JobState::kRunning, JobState::kSucceeded, 600, 6}));
  ASSERT_OK_AND_ASSIGN(job, store().GetJob("j_1"));
  EXPECT_EQ(job.state, JobState::kSucceeded);
  EXPECT_EQ(job.fence, 6);
  EXPECT_EQ(job.finished_at_ms, 600);
  // A job made without a fence accepts the first fenced change.
  ASSERT_OK(store().CreateJob(MakeJob("j_2", 100)));
  ASSERT_OK_AND_ASSIGN(Job plain, store().GetJob("j_2"));
  EXPECT_EQ(plain.fence, 0);
  ASSERT_OK(store().UpdateJobState("j_2", {JobState::kRunning, JobState::kRunning, 200, 1}));
  EXPECT_EQ(store().GetJob("j_2")->fence, 1);
}

TEST_P(StoreConformance, JobFenceMustNotBeNegative) {
  Job bad = MakeJob("j_1", 100);
  bad.fence = -1;
  Status created = store().CreateJob(bad);
  EXPECT_EQ(created.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(created.field(), "fence");
  EXPECT_EQ(store().GetJob("j_1").status().code(), StatusCode::kNotFound);
  ASSERT_OK(store().CreateJob(MakeJob("j_1", 100)));
  Status update = store().UpdateJobState("j_1", {JobState::kRunning, JobState::kFailed, 200, -1});
  EXPECT_EQ(update.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(update.field(), "fence");
  EXPECT_EQ(store().GetJob("j_1")->state, JobState::kRunning);
}

TEST_P(StoreConformance, ListJobsIsNewestFirstByCursorAndFiltersByState) {
  // Created out of order; two in one millisecond (then by id, descending).
  for (const auto& [id, at] : std::vector<std::pair<std::string, int64_t>>{
           {"j_a", 100}, {"j_b", 300}, {"j_c", 200}, {"j_d", 300}, {"j_e", 50}}) {
    ASSERT_OK(store().CreateJob(MakeJob(id, at)));
  }
  ASSERT_OK(store().UpdateJobState("j_c", {JobState::kRunning, JobState::kSucceeded, 400}));
  JobFilter f;
  f.limit = 2;
  auto page = store().ListJobs(f);
  ASSERT_OK(page);
  EXPECT_EQ(JobIds(*page), (std::vector<std::string>{"j_d", "j_b"}));
  EXPECT_EQ(page->items[1].state, JobState::kRunning);
  // Stable under inserts: a job created after the first page was read is not served on the next ones.
  ASSERT_OK(store().CreateJob(MakeJob("j_new", 1000)));
  f.cursor = page->next;
  page = store().ListJobs(f);
  ASSERT_OK(page);
  EXPECT_EQ(JobIds(*page), (std::vector<std::string>{"j_c", "j_a"}));
  EXPECT_EQ(page->items[0].state, JobState::kSucceeded);
  f.cursor = page->next;
  page = store().ListJobs(f);
  ASSERT_OK(page);
  EXPECT_EQ(JobIds(*page), (std::vector<std::string>{"j_e"}));
  EXPECT_EQ(page->next, "");

  JobFilter running;
  running.state = JobState::kRunning;
  running.limit = 3;
  page = store().ListJobs(running);
  ASSERT_OK(page);
  EXPECT_EQ(JobIds(*page), (std::vector<std::string>{"j_new", "j_d", "j_b"}));
  running.cursor = page->next;
  page = store().ListJobs(running);
  ASSERT_OK(page);
  EXPECT_EQ(JobIds(*page), (std::vector<std::string>{"j_a", "j_e"}));
  running.state = JobState::kInterrupted;
  running.cursor.clear();
  EXPECT_TRUE(store().ListJobs(running)->items.empty());

  JobFilter bad;
  bad.cursor = "%%%";
  EXPECT_EQ(store().ListJobs(bad).status().field(), "cursor");
  ASSERT_OK(store().AddJobItems("j_a", Items(0, 3)));
  auto items = store().ListJobItems("j_a", {.limit = 1});
  ASSERT_OK(items);
  bad.cursor = items->next;  // another list's cursor
  EXPECT_EQ(store().ListJobs(bad).status().field(), "cursor");
  EXPECT_EQ(store().ListJobs({.limit = 0}).status().field(), "limit");
  EXPECT_EQ(store().ListJobs({.limit = 1001}).status().field(), "limit");
}

// A job of 100,000 (account, region) pairs: added in batches, counted, listed page by page; no record holds
// them all. (Runtime: about a second on SQLite.)
TEST_P(StoreConformance, AHundredThousandItemJobIsAddedAndListedPageByPage) {
  constexpr int64_t kItems = 100'000;
  ASSERT_OK(store().CreateJob(MakeJob("j_big", 100)));
  std::vector<JobItem> batch;
  for (int64_t seq = 0; seq < kItems; ++seq) {
    batch.push_back(Item(seq));
    if (static_cast<int64_t>(batch.size()) == kMaxJobItemsPerAdd || seq == kItems - 1) {
      ASSERT_OK(store().AddJobItems("j_big", batch));
      batch.clear();
    }
  }
  EXPECT_EQ(store().GetJob("j_big")->total(), kItems);
  for (int64_t seq : {int64_t{0}, int64_t{1}, int64_t{50'000}, kItems - 1})
    ASSERT_OK(store().FinishJobItem("j_big", seq, Ended(JobItemOutcome::kFailed, 200)));
  auto job = store().GetJob("j_big");
  ASSERT_OK(job);
  EXPECT_EQ(job->counters, (JobCounters{.total = kItems, .failed = 4}));

  int64_t expected = 0, pages = 0;
  JobItemFilter f;
  f.limit = 1000;
  for (;;) {
    auto page = store().ListJobItems("j_big", f);
    ASSERT_OK(page);
    ++pages;
    for (const JobItem& i : page->items) ASSERT_EQ(i.seq, expected++);
    if (page->next.empty()) break;
    f.cursor = page->next;
  }
  EXPECT_EQ(expected, kItems);
  EXPECT_EQ(pages, kItems / 1000);
  std::vector<JobItem> failed = AllItems(store(), "j_big", JobItemOutcome::kFailed, 3);
  ASSERT_EQ(failed.size(), 4u);
  EXPECT_EQ(failed[2].seq, 50'000);
  f = {};
  f.outcome = JobItemOutcome::kPending;
  f.limit = 2;
  EXPECT_EQ(NextPage(store(), "j_big", &f), (SeqPage{{2, 3}, false}));
}

}  // namespace
}  // namespace ap::store::testing
