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

int64_t Job::done() const {
  return std::count_if(items.begin(), items.end(), [](const JobItem& i) { return i.outcome != "pending"; });
}

int64_t Job::failed() const {
  return std::count_if(items.begin(), items.end(), [](const JobItem& i) { return i.outcome == "failed"; });
}

}  // namespace ap::domain
