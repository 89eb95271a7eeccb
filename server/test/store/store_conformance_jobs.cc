// Conformance: fleet jobs (job_store.h).
#include <gtest/gtest.h>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::Job;
using domain::JobItem;
using domain::JobState;

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
