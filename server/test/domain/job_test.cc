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

TEST(JobCounters, CountEachFinishedOutcomeAndDeriveDoneAndPending) {
  Job j;
  j.counters.total = 5;
  for (JobItemOutcome o : {JobItemOutcome::kOk, JobItemOutcome::kPartial, JobItemOutcome::kFailed,
                           JobItemOutcome::kFailed, JobItemOutcome::kPending}) {
    j.counters.Add(o);  // a pending "finish" counts nothing
  }
  EXPECT_EQ(j.counters, (JobCounters{.total = 5, .ok = 1, .partial = 1, .failed = 2}));
  EXPECT_EQ(j.total(), 5);
  EXPECT_EQ(j.done(), 4);
  EXPECT_EQ(j.failed(), 2);
  EXPECT_EQ(j.pending(), 1);
}

TEST(EndStateOf, InterruptedWhilePendingElseFailedIfAnyFailedElseSucceeded) {
  EXPECT_EQ(EndStateOf({.total = 3, .ok = 2}), JobState::kInterrupted);
  EXPECT_EQ(EndStateOf({.total = 3, .ok = 1, .failed = 1}), JobState::kInterrupted);
  EXPECT_EQ(EndStateOf({.total = 3, .ok = 1, .partial = 1, .failed = 1}), JobState::kFailed);
  EXPECT_EQ(EndStateOf({.total = 3, .ok = 1, .partial = 2}), JobState::kSucceeded);
  EXPECT_EQ(EndStateOf({}), JobState::kSucceeded);  // a job with nothing to do
  EXPECT_TRUE(IsFinalJobState(JobState::kSucceeded));
  EXPECT_TRUE(IsFinalJobState(JobState::kFailed));
  EXPECT_FALSE(IsFinalJobState(JobState::kRunning));
  EXPECT_FALSE(IsFinalJobState(JobState::kInterrupted));
}

}  // namespace
}  // namespace ap::domain
