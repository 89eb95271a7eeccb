// QuotaCacheStore: the cached quota values of each (account, region) and the quota config.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/quota.h"
#include "domain/quota_config.h"

namespace ap::store {

class QuotaCacheStore {
 public:
  virtual ~QuotaCacheStore() = default;

  // ---- Quota cache -------------------------------------------------------------------------------------
  // NotFound if nothing is cached for this account and region.
  virtual Result<domain::QuotaSnapshot> GetQuotaSnapshot(const std::string& account_id, const std::string& region) = 0;
  // Creates or replaces the snapshot of (account_id, region); values are stored exactly (absent stays absent).
  virtual Status PutQuotaSnapshot(const domain::QuotaSnapshot& snapshot) = 0;
  // Every cached snapshot, ordered by account_id then region (warms the in-memory cache at start).
  virtual Result<std::vector<domain::QuotaSnapshot>> ListQuotaSnapshots() = 0;

  // ---- Quota config ------------------------------------------------------------------------------------
  // NotFound if never stored.
  virtual Result<domain::QuotaConfig> GetQuotaConfig() = 0;
  // Stores `config` if the stored version equals `expected_version` (0 = nothing stored yet); config.version
  // must be expected_version + 1 (InvalidArgument otherwise). FailedPrecondition on a version mismatch (nothing
  // changes).
  virtual Status PutQuotaConfig(const domain::QuotaConfig& config, int64_t expected_version) = 0;
};

}  // namespace ap::store
