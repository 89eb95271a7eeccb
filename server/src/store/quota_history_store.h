// QuotaHistoryStore: the history of cached quota values.
//
// Entries are keyed by (account_id, region) and, within it, ordered by (at_ms, history_id); history_id comes
// from the caller (domain::HistoryId), the store assigns nothing. A backend keeps each (account_id, region) in
// one index sorted by that key (SQLite: an index on (account_id, region, at_ms, history_id); DynamoDB: partition
// key account_id#region, sort key at_ms#history_id), so a page costs O(page).
//
// Common contracts: Unavailable / Internal when the backend fails; InvalidArgument("limit") outside the
// documented range; InvalidArgument("cursor") for a cursor this list did not return.
//
// Thread safety: safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/quota_history.h"

namespace ap::store {

struct QuotaHistoryFilter {
  std::string account_id;                // required
  std::string region;                    // required
  std::vector<std::string> quota_codes;  // empty = every code; otherwise at most 8 codes, which filter the index
                                         // pages of (account_id, region)
  std::string cursor;                    // QuotaHistoryPage::next of the previous page; empty = the newest entries
  int64_t limit = 1000;                  // 1..10000
};

struct QuotaHistoryPage {
  // The newest `limit` matching entries older than the cursor (all of them if fewer), returned oldest first:
  // (at_ms, history_id) ascending, ready to plot.
  std::vector<domain::QuotaHistoryEntry> items;
  // The cursor of the page of older entries (the key of items.front()); empty when no older entry matches.
  std::string next;
};

class QuotaHistoryStore {
 public:
  virtual ~QuotaHistoryStore() = default;

  // Writes history entries. Each entry is written whole or not at all, unconditionally: an entry whose
  // (account_id, region, history_id) exists is replaced (same id = same event), so a retried call is
  // idempotent. Not atomic across entries: after an error some may be written (retry the call). Callers write
  // the snapshot first. OK for empty input; InvalidArgument("entries") if a value or previous_value is NaN or a
  // history_id is empty (then nothing is written).
  virtual Status AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) = 0;
  // One page of the (account_id, region) history, see QuotaHistoryPage. InvalidArgument when account_id or
  // region is empty or more than 8 quota_codes are given.
  virtual Result<QuotaHistoryPage> ListQuotaHistory(const QuotaHistoryFilter& filter) = 0;
};

}  // namespace ap::store
