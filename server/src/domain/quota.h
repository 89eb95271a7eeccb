// Cached quota values: what the platform last learned from AWS for one account and region.
// "Missing is never zero": a value that was never read is absent (nullopt), and a failed read keeps the last
// good value, marked stale with the reason.
// Pure value types. Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::domain {

enum class QuotaState {
  kOk,     // the last read succeeded; value is current
  kStale,  // the last read failed; value is the last good one (read_at_ms says when)
  kError,  // no read ever succeeded and the last one failed; value is absent
  kNever,  // never attempted; value is absent
};
std::string_view QuotaStateName(QuotaState s);  // "ok" | "stale" | "error" | "never"
Result<QuotaState> ParseQuotaState(std::string_view text);
// The state of a group of values (e.g. a model's card): the worst of `states`, so that a group never looks
// healthier than its worst value. Worst first: kError, kStale, kNever, kOk. kOk for an empty list.
QuotaState WorstQuotaState(const std::vector<QuotaState>& states);

// One quota code's cached value.
struct QuotaValue {
  std::string quota_code;       // "L-27C57EE8"
  std::optional<double> value;  // last good value; nullopt when none was ever read
  QuotaState state = QuotaState::kNever;
  bool is_default = false;      // the value is AWS's default (the account has no applied value)
  std::string reason;           // why the last read failed (stale / error); empty otherwise
  int64_t read_at_ms = 0;       // when `value` was read; 0 when never
  int64_t attempted_at_ms = 0;  // when the last read was attempted; 0 when never
  // AWS's default for this code in the region (GetAWSDefaultServiceQuota), whether or not the account has an applied
  // value; nullopt when it was never read. Kept across refreshes (a failed read keeps it); when is_default it equals
  // `value`. aws_default_read_at_ms: when it was read; 0 when never.
  std::optional<double> aws_default;
  int64_t aws_default_read_at_ms = 0;

  bool operator==(const QuotaValue&) const = default;
};

// Where a value came from, as the wire says it: "aws_default" (AWS's default) or "applied" when `has_value`;
// nullopt when there is no value.
std::optional<std::string_view> QuotaValueSource(bool has_value, bool is_default);

// The last time AWS lowered a cached value of one account and region (issue 13 §3, the quota_lowered alert): set
// by MergeReadResults when a read value is lower than the cached one, kept across refreshes until a later decrease
// replaces it. The decrease is previous_value - value (> 0).
struct QuotaLowered {
  int64_t at_ms = 0;
  std::string quota_code;
  double previous_value = 0;
  double value = 0;

  bool operator==(const QuotaLowered&) const = default;
};

// The cache entry of one account and region: one QuotaValue per code, sorted by quota_code.
struct QuotaSnapshot {
  std::string account_id;
  std::string region;
  std::vector<QuotaValue> values;
  int64_t updated_at_ms = 0;                 // last time any value changed state or value
  std::optional<QuotaLowered> last_lowered;  // nullopt: no decrease seen (stored with the snapshot, O(1) to read)

  // The value for `code`, or nullptr.
  const QuotaValue* Find(std::string_view code) const;
};

}  // namespace ap::domain
