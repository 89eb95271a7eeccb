#include "domain/job.h"

#include <algorithm>

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

JobItemOutcome OutcomeOfValues(int64_t values_ok, int64_t values_failed) {
  if (values_failed == 0) return JobItemOutcome::kOk;
  return values_ok == 0 ? JobItemOutcome::kFailed : JobItemOutcome::kPartial;
}

int64_t Job::done() const {
  return std::count_if(items.begin(), items.end(),
                       [](const JobItem& i) { return i.outcome != JobItemOutcome::kPending; });
}

int64_t Job::failed() const {
  return std::count_if(items.begin(), items.end(),
                       [](const JobItem& i) { return i.outcome == JobItemOutcome::kFailed; });
}

}  // namespace ap::domain
