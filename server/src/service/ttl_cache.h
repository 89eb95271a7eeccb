// A small read-through cache with a time-to-live, for the hot read paths (sessions, accounts, quota cache,
// quota config). Values are held as shared_ptr<const V> so readers never copy and never see a half-written
// value. Writers that change the underlying record call Put or Erase, so this instance is always current;
// other instances (several servers on one DynamoDB) see a change within `ttl`.
//
// Thread safety: all methods are safe from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace ap::service {

template <typename V>
class TtlCache {
 public:
  TtlCache(const Clock& clock, Duration ttl, size_t max_entries = 100000)
      : clock_(clock), ttl_(ttl), max_entries_(max_entries) {}

  // The cached value if present and younger than ttl; nullptr otherwise.
  std::shared_ptr<const V> Get(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || clock_.Now() - it->second.loaded_at >= ttl_) return nullptr;
    return it->second.value;
  }

  void Put(const std::string& key, std::shared_ptr<const V> value) {
    std::unique_lock lock(mu_);
    if (map_.size() >= max_entries_ && map_.find(key) == map_.end()) EvictExpiredLocked();
    if (map_.size() >= max_entries_) map_.erase(map_.begin());  // still full: drop an arbitrary entry
    map_[key] = Entry{std::move(value), clock_.Now()};
  }

  void Erase(const std::string& key) {
    std::unique_lock lock(mu_);
    map_.erase(key);
  }

  void Clear() {
    std::unique_lock lock(mu_);
    map_.clear();
  }

  // Erases every entry for which pred(key, value) is true.
  template <typename Pred>
  void EraseIf(Pred pred) {
    std::unique_lock lock(mu_);
    for (auto it = map_.begin(); it != map_.end();) {
      if (pred(it->first, *it->second.value)) it = map_.erase(it); else ++it;
    }
  }

 private:
  struct Entry {
    std::shared_ptr<const V> value;
    TimePoint loaded_at;
  };
  void EvictExpiredLocked() {
    auto now = clock_.Now();
    for (auto it = map_.begin(); it != map_.end();) {
      if (now - it->second.loaded_at >= ttl_) it = map_.erase(it); else ++it;
    }
  }

  const Clock& clock_;
  const Duration ttl_;
  const size_t max_entries_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> map_;
};

}  // namespace ap::service
