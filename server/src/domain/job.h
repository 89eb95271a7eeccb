// Fleet jobs: a refresh of many accounts' quotas that runs in the background, reports progress, survives a
// restart as "interrupted" and can be resumed. Pure value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::domain {

enum class JobState {
  kRunning,
  kSucceeded,    // every account refreshed (some values may have failed: see items)
  kFailed,       // finished, and at least one account could not be refreshed at all
  kInterrupted,  // the process stopped while it ran; resumable
};
std::string_view JobStateName(JobState s);  // "running" | "succeeded" | "failed" | "interrupted"
Result<JobState> ParseJobState(std::string_view text);

struct JobItem {
  std::string account_id;
  std::string region;
  std::string outcome = "pending";  // "pending" | "ok" (every value read) | "partial" | "failed"
  int64_t values_ok = 0;
  int64_t values_failed = 0;
  std::string error;  // first failure reason; never secrets
  int64_t finished_at_ms = 0;

  bool operator==(const JobItem&) const = default;
};

struct Job {
  std::string job_id;  // "j_" + random hex
  std::string kind;    // "quota_refresh_all" | "quota_refresh_scheduled"
  JobState state = JobState::kRunning;
  std::string created_by;     // user id or "system"
  std::string team_filter;    // empty = every team
  std::string region_filter;  // empty = every region of each account
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t finished_at_ms = 0;
  std::vector<JobItem> items;  // one per (account, region), in processing order

  int64_t total() const { return static_cast<int64_t>(items.size()); }
  int64_t done() const;    // items not pending
  int64_t failed() const;  // items whose outcome is "failed"
};

}  // namespace ap::domain
