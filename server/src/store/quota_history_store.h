// QuotaHistoryStore: the history of cached quota values.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
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
  std::vector<std::string> quota_codes;  // empty = every code
  int64_t limit = 1000;                  // 1..10000: the newest `limit` entries, returned oldest first
};

class QuotaHistoryStore {
 public:
  virtual ~QuotaHistoryStore() = default;

  // ---- Quota history ---------------------------------------------------------------------------------
  // Appends history entries (the store assigns increasing seq), all or none, in one transaction with nothing
  // else: callers write the snapshot first. OK for empty input; InvalidArgument("entries") if a value or
  // previous_value is NaN (nothing is written); Unavailable / Internal when the backend fails (nothing written).
  virtual Status AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) = 0;
  // Matching entries ordered by (at_ms, seq) ascending; at most filter.limit, the newest ones.
  virtual Result<std::vector<domain::QuotaHistoryEntry>> ListQuotaHistory(const QuotaHistoryFilter& filter) = 0;
};

}  // namespace ap::store
