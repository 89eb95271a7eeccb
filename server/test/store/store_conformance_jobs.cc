// Conformance: quota history and fleet jobs (store.h "Quota history", "Fleet jobs").
#include <gtest/gtest.h>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::Job;
using domain::JobItem;
using domain::JobState;
using domain::QuotaEvent;
using domain::QuotaHistoryEntry;
using domain::QuotaState;

QuotaHistoryEntry Entry(std::string code, int64_t at, QuotaEvent event, std::optional<double> value,
                        std::optional<double> previous = std::nullopt, std::string region = "us-east-1") {
  QuotaHistoryEntry e;
  e.account_id = "111111111111";
  e.region = std::move(region);
  e.quota_code = std::move(code);
  e.at_ms = at;
  e.event = event;
  e.value = value;
  e.previous_value = previous;
  e.state = value ? QuotaState::kOk : QuotaState::kError;
  if (!value) e.reason = "AccessDeniedException: no";
  return e;
}

TEST_P(StoreConformance, QuotaHistoryRoundTripsInTimeOrder) {
  EXPECT_OK(store().AppendQuotaHistory({}));
  QuotaHistoryFilter f;
  f.account_id = "111111111111";
  f.region = "us-east-1";
  auto none = store().ListQuotaHistory(f);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  std::vector<QuotaHistoryEntry> in = {Entry("L-00000001", 30, QuotaEvent::kChanged, 20.0, 10.0),
                                       Entry("L-00000001", 10, QuotaEvent::kFirstRead, 10.0),
                                       Entry("L-00000002", 20, QuotaEvent::kFailed, std::nullopt),
                                       Entry("L-00000001", 40, QuotaEvent::kFirstRead, 5.0, std::nullopt, "eu-west-1")};
  in[2].is_default = true;
  ASSERT_OK(store().AppendQuotaHistory(in));
  auto all = store().ListQuotaHistory(f);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].at_ms, 10);
  EXPECT_EQ((*all)[1].at_ms, 20);
  EXPECT_EQ((*all)[2].at_ms, 30);
  EXPECT_GT((*all)[0].seq, 0);
  // Every field round-trips; absent stays absent (never 0).
  QuotaHistoryEntry want = in[2];
  want.seq = (*all)[1].seq;
  EXPECT_EQ((*all)[1], want);
  EXPECT_FALSE((*all)[1].value.has_value());
  EXPECT_EQ((*all)[2].previous_value, 10.0);
  f.quota_codes = {"L-00000002"};
  auto one = store().ListQuotaHistory(f);
  ASSERT_OK(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].event, QuotaEvent::kFailed);
  f.quota_codes.clear();
  f.limit = 2;  // the newest two, oldest first
  auto newest = store().ListQuotaHistory(f);
  ASSERT_OK(newest);
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].at_ms, 20);
  EXPECT_EQ((*newest)[1].at_ms, 30);
  f.limit = 0;
  EXPECT_FALSE(store().ListQuotaHistory(f).ok());
}

Job MakeJob(std::string id, int64_t created) {
  Job j;
  j.job_id = std::move(id);
  j.kind = "quota_refresh_all";
  j.state = JobState::kRunning;
  j.created_by = "u_admin";
  j.team_filter = "ops";
  j.created_at_ms = j.updated_at_ms = created;
  for (int i = 0; i < 3; ++i) {
    JobItem item;
    item.account_id = "11111111111" + std::to_string(i);
    item.region = "us-east-1";
    j.items.push_back(item);
  }
  return j;
}

TEST_P(StoreConformance, JobsRoundTripAndReplace) {
  EXPECT_EQ(store().GetJob("j_missing").status().code(), StatusCode::kNotFound);
  Job j = MakeJob("j_1", 100);
  ASSERT_OK(store().PutJob(j));
  auto got = store().GetJob("j_1");
  ASSERT_OK(got);
  EXPECT_EQ(got->items, j.items);
  EXPECT_EQ(got->state, JobState::kRunning);
  EXPECT_EQ(got->done(), 0);
  j.items[1].outcome = domain::JobItemOutcome::kFailed;
  j.items[1].values_failed = 8;
  j.items[1].error = "InvalidClientTokenId: bad \"key\"\n";
  j.items[1].finished_at_ms = 150;
  j.items[0].outcome = domain::JobItemOutcome::kOk;
  j.items[0].values_ok = 8;
  j.state = JobState::kInterrupted;
  j.updated_at_ms = 160;
  ASSERT_OK(store().PutJob(j));
  got = store().GetJob("j_1");
  ASSERT_OK(got);
  EXPECT_EQ(got->items, j.items);
  EXPECT_EQ(got->state, JobState::kInterrupted);
  EXPECT_EQ(got->team_filter, "ops");
  EXPECT_EQ(got->updated_at_ms, 160);
  EXPECT_EQ(got->done(), 2);
  EXPECT_EQ(got->failed(), 1);
}

TEST_P(StoreConformance, ListJobsIsNewestFirst) {
  ASSERT_OK(store().PutJob(MakeJob("j_a", 100)));
  ASSERT_OK(store().PutJob(MakeJob("j_b", 300)));
  ASSERT_OK(store().PutJob(MakeJob("j_c", 200)));
  auto jobs = store().ListJobs(2);
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].job_id, "j_b");
  EXPECT_EQ((*jobs)[1].job_id, "j_c");
  EXPECT_FALSE(store().ListJobs(0).ok());
}

}  // namespace
}  // namespace ap::store::testing
