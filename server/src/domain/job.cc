#include "domain/job.h"

namespace ap::domain {

std::string_view JobStateName(JobState s) {
  switch (s) {
    case JobState::kRunning:
      return "running";
    case JobState::kSucceeded:
      return "succeeded";
    case JobState::kFailed:
      return "failed";
    case JobState::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

Result<JobState> ParseJobState(std::string_view text) {
  for (JobState s : {JobState::kRunning, JobState::kSucceeded, JobState::kFailed, JobState::kInterrupted}) {
    if (text == JobStateName(s)) return s;
  }
  return InvalidArgument("unknown job state \"" + std::string(text) + "\"");
}

std::string_view JobItemOutcomeName(JobItemOutcome o) {
  switch (o) {
    case JobItemOutcome::kPending:
      return "pending";
    case JobItemOutcome::kOk:
      return "ok";
    case JobItemOutcome::kPartial:
      return "partial";
    case JobItemOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

Result<JobItemOutcome> ParseJobItemOutcome(std::string_view text) {
  for (JobItemOutcome o :
       {JobItemOutcome::kPending, JobItemOutcome::kOk, JobItemOutcome::kPartial, JobItemOutcome::kFailed}) {
    if (text == JobItemOutcomeName(o)) return o;
  }
  return InvalidArgument("unknown job item outcome \"" + std::string(text) + "\"");
}

std::string_view JobUsageStateName(JobUsageState s) {
  switch (s) {
    case JobUsageState::kNotAsked:
      return "";
    case JobUsageState::kOk:
      return "ok";
    case JobUsageState::kStale:
      return "stale";
    case JobUsageState::kSkipped:
      return "skipped";
  }
  return "";
}

Result<JobUsageState> ParseJobUsageState(std::string_view text) {
  for (JobUsageState s :
       {JobUsageState::kNotAsked, JobUsageState::kOk, JobUsageState::kStale, JobUsageState::kSkipped}) {
    if (text == JobUsageStateName(s)) return s;
  }
  return InvalidArgument("unknown job usage state \"" + std::string(text) + "\"");
}

JobItemOutcome OutcomeOfValues(int64_t values_ok, int64_t values_failed) {
  if (values_failed == 0) return JobItemOutcome::kOk;
  return values_ok == 0 ? JobItemOutcome::kFailed : JobItemOutcome::kPartial;
}

void JobCounters::Add(JobItemOutcome o) {
  switch (o) {
    case JobItemOutcome::kOk:
      ++ok;
      return;
    case JobItemOutcome::kPartial:
      ++partial;
      return;
    case JobItemOutcome::kFailed:
      ++failed;
      return;
    case JobItemOutcome::kPending:
      return;
  }
}

bool IsFinalJobState(JobState s) { return s == JobState::kSucceeded || s == JobState::kFailed; }

JobState EndStateOf(const JobCounters& c) {
  if (c.done() < c.total) return JobState::kInterrupted;
  return c.failed > 0 ? JobState::kFailed : JobState::kSucceeded;
}

}  // namespace ap::domain
