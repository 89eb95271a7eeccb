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

// How one (account, region) of a job ended. The wire and stored names are JobItemOutcomeName's.
enum class JobItemOutcome {
  kPending,  // not refreshed yet
  kOk,       // every value read
  kPartial,  // some values read, some failed
  kFailed,   // no value read, or the account could not be refreshed at all
};
std::string_view JobItemOutcomeName(JobItemOutcome o);  // "pending" | "ok" | "partial" | "failed"
// The outcome named `text`; InvalidArgument for any other text.
Result<JobItemOutcome> ParseJobItemOutcome(std::string_view text);
// The outcome of a refresh that read `values_ok` values and failed `values_failed`: kOk when none failed, kFailed
// when none was read (and some failed), kPartial otherwise. REQUIRES: both >= 0.
JobItemOutcome OutcomeOfValues(int64_t values_ok, int64_t values_failed);

struct JobItem {
  std::string account_id;
  std::string region;
  JobItemOutcome outcome = JobItemOutcome::kPending;
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
  int64_t failed() const;  // items whose outcome is kFailed
};

}  // namespace ap::domain
