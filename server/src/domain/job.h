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

// How the usage poll of a job item ended (issue 13: a fleet job with include_usage polls each item's usage from
// CloudWatch after its quota refresh). The wire and stored names are JobUsageStateName's.
enum class JobUsageState {
  kNotAsked,  // the job does not poll usage, or the item is pending: "" (null on the wire)
  kOk,        // the usage snapshot was written (or another instance's was read), state ok
  kStale,     // the poll ran and failed (AWS or the usage store): the snapshot is stale; counted in usage_failed
  kSkipped,   // the poll was not run: the account or region is no longer pollable (gone, inactive, region removed)
};
std::string_view JobUsageStateName(JobUsageState s);  // "" | "ok" | "stale" | "skipped"
// The state named `text` ("" = kNotAsked); InvalidArgument for any other text.
Result<JobUsageState> ParseJobUsageState(std::string_view text);

inline constexpr size_t kMaxJobParamsBytes = size_t{8} * 1024;
inline constexpr size_t kMaxJobItemRefBytes = 128;

// One (account, region) of a job: its own record, keyed by (job_id, seq).
struct JobItem {
  int64_t seq = 0;  // position in the job's processing order, 0-based, given by whoever adds the item
  std::string account_id;
  std::string region;
  JobItemOutcome outcome = JobItemOutcome::kPending;
  int64_t values_ok = 0;
  int64_t values_failed = 0;
  std::string error;  // first failure reason; never secrets
  int64_t finished_at_ms = 0;
  JobUsageState usage_state = JobUsageState::kNotAsked;  // kNotAsked unless the job polls usage and the item ended
  std::string usage_error;                               // the usage snapshot's error_message when stale; else ""
  // What the item made or refers to, for the job's runner (issue 14: the request_id of the increase request a bulk
  // request made); at most kMaxJobItemRefBytes; "" otherwise. Set when the item is added and/or when it finishes
  // (JobItemResult::ref). Items stored before issue 14 read "".
  std::string ref;

  bool operator==(const JobItem&) const = default;
};

// How many of a job's items ended each way. Maintained by the store as items are added and finished, never
// counted from the items; pending = total - done().
struct JobCounters {
  int64_t total = 0;         // items added
  int64_t ok = 0;            // items finished kOk
  int64_t partial = 0;       // items finished kPartial
  int64_t failed = 0;        // items finished kFailed
  int64_t usage_failed = 0;  // items finished with usage_state kStale (independent of the outcome counters)

  int64_t done() const { return ok + partial + failed; }
  // Counts one more item finished with `o`. REQUIRES: o != kPending.
  void Add(JobItemOutcome o);
  bool operator==(const JobCounters&) const = default;
};

// A job's header: what it is, where it stands and its counters. Its items are separate records (JobStore).
struct Job {
  std::string job_id;  // domain/ids.h NewTimeOrderedId("j_", ...); jobs made before issue 10: "j_" + random hex
  std::string kind;    // "quota_refresh_all" | "quota_refresh_scheduled"
  JobState state = JobState::kRunning;
  std::string created_by;     // user id or "system"
  std::string team_filter;    // empty = every team
  std::string region_filter;  // empty = every region of each account
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t finished_at_ms = 0;  // 0 unless succeeded or failed
  JobCounters counters;
  // Whether each item also polls its (account, region)'s usage after its quota refresh (issue 13). Jobs stored
  // before it read false.
  bool include_usage = false;
  // The fencing token (store/coordination_store.h) of the lease under which the job's state was last changed; 0 =
  // none. JobStore refuses a fenced state change older than this (JobStateChange::fence).
  int64_t fence = 0;
  // Opaque text the job's runner owns (issue 14: the bulk increase request's JSON: desired values, reason, …), at
  // most kMaxJobParamsBytes; "" for refresh jobs. Jobs stored before issue 14 read "".
  std::string params;

  int64_t total() const { return counters.total; }
  int64_t done() const { return counters.done(); }      // items not pending
  int64_t failed() const { return counters.failed; }    // items whose outcome is kFailed
  int64_t pending() const { return total() - done(); }  // items not finished yet
};

// What a fleet refresh job reads (issue 16 §3): every configured code (both lists empty), or only `quota_codes`
// (the codes of `model_ids` when the job was started, kept so that an instance resuming or taking the job over
// reads the same codes whatever the config says by then). Stored in Job::params.
struct RefreshJobScope {
  std::vector<std::string> model_ids;    // for people: which models the codes belong to
  std::vector<std::string> quota_codes;  // ^L-[0-9A-F]{8}$ each; empty = every configured code
  bool all() const { return quota_codes.empty(); }
};
// "" for the whole config, else "v1|models=<id>,<id>|codes=<code>,<code>".
std::string EncodeRefreshJobScope(const RefreshJobScope& scope);
// The scope `params` encodes ("" → all); InvalidArgument("params") for any other text.
Result<RefreshJobScope> DecodeRefreshJobScope(std::string_view params);

// True for the states a job ends in for good (kSucceeded, kFailed): they set finished_at_ms.
bool IsFinalJobState(JobState s);

// The state a job ends in once no item will be started any more: kInterrupted while items are pending (resumable),
// else kFailed if any item failed, else kSucceeded.
JobState EndStateOf(const JobCounters& c);

}  // namespace ap::domain
