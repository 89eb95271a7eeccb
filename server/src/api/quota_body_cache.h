// QuotaBodyCache: the serialised JSON of recent quota reads, so that a hot account's read is a lookup and a
// copy instead of composing and encoding the document again. An entry is valid only while the account, config,
// quota snapshot and usage snapshot objects it was made from are still the current ones (pointer identity of the
// service caches' immutable values), so it can never serve stale data longer than those caches do.
//
// Thread safety: safe from any thread.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "common/mutex.h"
#include "service/quota_service.h"

namespace ap::api {

class QuotaBodyCache {
 public:
  explicit QuotaBodyCache(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // The cached body for these inputs, or nullptr.
  std::shared_ptr<const std::string> Get(const service::QuotaReadInputs& in) const;
  void Put(const service::QuotaReadInputs& in, std::shared_ptr<const std::string> body);

 private:
  struct Entry {
    std::shared_ptr<const domain::Account> account;
    std::shared_ptr<const domain::QuotaConfig> config;
    std::shared_ptr<const domain::QuotaSnapshot> snapshot;
    std::shared_ptr<const store::UsageSnapshot> usage;
    std::shared_ptr<const std::string> body;
  };
  static std::string Key(const service::QuotaReadInputs& in) { return in.account->account_id + "/" + in.region; }

  const size_t max_entries_;
  mutable SharedMutex mu_;
  std::unordered_map<std::string, Entry> map_ GUARDED_BY(mu_);
};

}  // namespace ap::api
