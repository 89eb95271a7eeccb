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

namespace {

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

}  // namespace

std::string EncodeRefreshJobScope(const RefreshJobScope& scope) {
  if (scope.all()) return "";
  return "v1|models=" + JoinList(scope.model_ids) + "|codes=" + JoinList(scope.quota_codes);
}

Result<RefreshJobScope> DecodeRefreshJobScope(std::string_view params) {
  RefreshJobScope scope;
  if (params.empty()) return scope;
  constexpr std::string_view kModels = "v1|models=";
  constexpr std::string_view kCodes = "|codes=";
  size_t codes_at = params.find(kCodes);
  if (params.substr(0, kModels.size()) != kModels || codes_at == std::string_view::npos)
    return InvalidArgument("not the params of a refresh job", "params");
  scope.model_ids = SplitList(params.substr(kModels.size(), codes_at - kModels.size()));
  scope.quota_codes = SplitList(params.substr(codes_at + kCodes.size()));
  if (scope.quota_codes.empty()) return InvalidArgument("not the params of a refresh job", "params");
  return scope;
}

}  // namespace ap::domain
