// Merging the results of one refresh into the cached snapshot — the rule the old product got wrong.
//  - A successful read replaces the value (state ok, read_at = now, reason cleared).
//  - A failed read keeps the last good value and marks it stale with the reason; with no good value ever read
//    the state is error and the value stays absent. A failed read never stores 0.
//  - Codes that were not read this time keep their entry untouched.
//  - AWS's default (aws_default) is replaced only when it was read this time (with is_default: the value); else the
//    cached one is kept, also by a failed read.
//  - last_lowered is carried over; a read value lower than the cached one replaces it (at now; of several lowered
//    in one refresh, the largest decrease, then the first code).
// Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/quota.h"
#include "domain/quota_history.h"

namespace ap::domain {

struct ReadResult {
  std::string quota_code;
  bool ok = false;
  std::optional<double> value;  // set when ok
  bool is_default = false;      // the value came from GetAWSDefaultServiceQuota
  std::string error;            // set when !ok: "<AwsCode>: <message>"
  // AWS's default, when it was read this time (GetAWSDefaultServiceQuota): with is_default it is the value itself,
  // else a separate read beside the applied value. nullopt: not read this time (the cached default is kept).
  std::optional<double> aws_default;
};

struct MergeOutput {
  QuotaSnapshot snapshot;                  // values sorted by code
  std::vector<QuotaHistoryEntry> history;  // one per value whose transition is worth recording
  std::vector<QuotaHistoryEntry> changes;  // the subset where AWS raised or lowered a value (kChanged)
};

MergeOutput MergeReadResults(const QuotaSnapshot& old_snapshot, const std::vector<ReadResult>& results, int64_t now_ms);

}  // namespace ap::domain
