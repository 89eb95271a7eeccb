// The history of cached quota values: one entry each time a value is first read, changes, becomes stale,
// recovers, or fails before ever being read. Pure value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/quota.h"

namespace ap::domain {

enum class QuotaEvent {
  kFirstRead,    // the first successful read of this code
  kChanged,      // a later read returned a different value (AWS raised or lowered the quota)
  kBecameStale,  // a read failed; the last good value is kept
  kRecovered,    // a read succeeded again after being stale (value may or may not differ)
  kFailed,       // a read failed and no value was ever read
};
std::string_view QuotaEventName(QuotaEvent e);  // "first_read" | "changed" | "became_stale" | "recovered" | "failed"
Result<QuotaEvent> ParseQuotaEvent(std::string_view text);

struct QuotaHistoryEntry {
  // HistoryId(at_ms, quota_code): unique within the (account_id, region) of the entry and ordered by time.
  std::string history_id;
  std::string account_id;
  std::string region;
  std::string quota_code;
  int64_t at_ms = 0;
  QuotaEvent event = QuotaEvent::kFirstRead;
  std::optional<double> value;           // the value after the event (the kept value when stale; absent when failed)
  std::optional<double> previous_value;  // the value before (absent for first_read / failed)
  QuotaState state = QuotaState::kOk;    // the state after the event
  bool is_default = false;
  std::string reason;  // for became_stale / failed

  bool operator==(const QuotaHistoryEntry&) const = default;
};

// The id of the history entry of `quota_code` at `at_ms`: "h_" + 13 hex digits of at_ms + the code. Time-ordered
// (ids of later entries sort after earlier ones) and deterministic, so a retried append writes the same entry
// again instead of a second one. One code has at most one entry per millisecond of one (account, region).
std::string HistoryId(int64_t at_ms, std::string_view quota_code);

// The history entry (history_id set) that the transition old → next of one code produces, or nullopt when nothing worth
// recording happened (same value read again; a stale value failing again; an error failing again).
std::optional<QuotaHistoryEntry> HistoryEntryFor(const std::string& account_id, const std::string& region,
                                                 const QuotaValue* old_value, const QuotaValue& next);

}  // namespace ap::domain
