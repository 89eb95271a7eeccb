#include "domain/job.h"

#include <gtest/gtest.h>

#include "status_matchers.h"

namespace ap::domain {
namespace {

TEST(JobItemOutcome, NamesRoundTripAndStayTheWireStrings) {
  const std::pair<JobItemOutcome, const char*> wire[] = {{JobItemOutcome::kPending, "pending"},
                                                         {JobItemOutcome::kOk, "ok"},
                                                         {JobItemOutcome::kPartial, "partial"},
                                                         {JobItemOutcome::kFailed, "failed"}};
  for (const auto& [outcome, name] : wire) {
    EXPECT_EQ(JobItemOutcomeName(outcome), name);
    auto parsed = ParseJobItemOutcome(name);
    ASSERT_OK(parsed) << name;
    EXPECT_EQ(*parsed, outcome);
  }
  EXPECT_EQ(ParseJobItemOutcome("done").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseJobItemOutcome("").status().code(), StatusCode::kInvalidArgument);
}

TEST(OutcomeOfValues, OkWhenNoneFailedFailedWhenNoneReadPartialOtherwise) {
  EXPECT_EQ(OutcomeOfValues(6, 0), JobItemOutcome::kOk);
  EXPECT_EQ(OutcomeOfValues(0, 0), JobItemOutcome::kOk);
  EXPECT_EQ(OutcomeOfValues(0, 6), JobItemOutcome::kFailed);
  EXPECT_EQ(OutcomeOfValues(4, 2), JobItemOutcome::kPartial);
}

TEST(Job, CountsDoneAndFailedItemsByOutcome) {
  Job j;
  for (JobItemOutcome o : {JobItemOutcome::kPending, JobItemOutcome::kOk, JobItemOutcome::kPartial,
                           JobItemOutcome::kFailed, JobItemOutcome::kFailed}) {
    JobItem item;
    item.outcome = o;
    j.items.push_back(item);
  }
  EXPECT_EQ(j.total(), 5);
  EXPECT_EQ(j.done(), 4);
  EXPECT_EQ(j.failed(), 2);
}

}  // namespace
}  // namespace ap::domain
