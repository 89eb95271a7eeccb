// A small read-through cache with a time-to-live, for the hot read paths (sessions, accounts, quota cache,
// quota config). Values are held as shared_ptr<const V> so readers never copy and never see a half-written
// value. Writers that change the underlying record call Put or Erase, so this instance is always current.
//
// Other instances (several servers on one store) change the records too. Without an EpochWatch their changes are
// seen within `ttl`. With one (see epoch_watch.h), every Get first asks the watch, which reads the store's epoch at
// most once per its poll, and the cache drops every entry when the epoch moved: other instances' changes are then
// seen within the watch's poll (+ the reads already past that check). Loaders that read the store themselves use
// InvalidationStamp and PutLoaded, so that a value read before a drop is never cached after it.
//
// GetOrLoad adds read-through with single flight: concurrent misses of one key make one call of the loader,
// and everyone waiting gets its outcome. Only successes are cached (a failure answers the callers that waited
// for it, and the next miss loads again).
//
// Thread safety: all methods are safe from any thread. Does not own the clock or the watch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/status.h"
#include "service/epoch_watch.h"

namespace ap::service {

template <typename V>
class TtlCache {
 public:
  TtlCache(const Clock& clock, Duration ttl, size_t max_entries = 100000)
      : clock_(clock), ttl_(ttl), epoch_(nullptr), max_entries_(max_entries) {}
  // A cache that other instances' writes invalidate through `epoch`, which must outlive it.
  TtlCache(const Clock& clock, Duration ttl, EpochWatch& epoch, size_t max_entries = 100000)
      : clock_(clock), ttl_(ttl), epoch_(&epoch), max_entries_(max_entries) {}

  // The cached value if present and younger than ttl; nullptr otherwise. With an EpochWatch, first drops every
  // entry when the watch reports a change (which may read the store: see EpochWatch::Changed).
  std::shared_ptr<const V> Get(const std::string& key) {
    if (epoch_ && epoch_->Changed()) Clear();
    ReaderMutexLock lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || clock_.Now() - it->second.loaded_at >= ttl_) return nullptr;
    return it->second.value;
  }

  // The cached value of `key`, or else the outcome of `load()` (a callable returning Result<V>), cached when OK.
  // If a load of `key` is already running, waits for it and returns its outcome instead of loading again (single
  // flight). A value loaded while the cache was written (Put, Erase, EraseIf, Clear) is returned to the callers
  // that waited for it but not cached, so that a load that raced an invalidation never hides it.
  // Blocks for as long as the load takes: call it where blocking is allowed (not on an HTTP I/O thread).
  template <typename Load>
  Result<std::shared_ptr<const V>> GetOrLoad(const std::string& key, Load load) {
    if (auto hit = Get(key)) return hit;
    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
      MutexLock lock(flights_mu_);
      auto it = flights_.find(key);
      if (it != flights_.end()) {
        flight = it->second;
      } else {
        flight = std::make_shared<Flight>();
        flights_.emplace(key, flight);
        leader = true;
      }
    }
    if (!leader) {
      MutexLock lock(flights_mu_);
      lock.Wait(flights_cv_, [&] { return flight->done; });
      return flight->result;
    }
    // A flight that finished between our Get and the registration above has cached its value: use it.
    Result<std::shared_ptr<const V>> result = Get(key);
    if (!*result) {
      uint64_t generation = Generation();
      Result<V> loaded = load();
      if (loaded.ok()) {
        result = std::shared_ptr<const V>(std::make_shared<V>(std::move(loaded).value()));
        PutIfGeneration(key, *result, generation);
      } else {
        result = loaded.status();
      }
    }
    {
      MutexLock lock(flights_mu_);
      flight->result = result;
      flight->done = true;
      flights_.erase(key);
    }
    flights_cv_.notify_all();
    return result;
  }

  void Put(const std::string& key, std::shared_ptr<const V> value) {
    WriterMutexLock lock(mu_);
    ++generation_;
    PutLocked(key, std::move(value));
  }

  // Put for a write-through that must not grow the cache: replaces the value when `key` is cached, adds nothing
  // when it is not (a bulk writer such as a fleet refresh then leaves the cache's size to the readers). Either
  // way a load of `key` in flight is not cached afterwards (it may predate this write).
  void Replace(const std::string& key, std::shared_ptr<const V> value) {
    WriterMutexLock lock(mu_);
    ++generation_;
    auto it = map_.find(key);
    if (it != map_.end()) it->second = Entry{std::move(value), clock_.Now()};
  }

  // For a loader that reads the store itself: take a stamp before the read, then PutLoaded(key, value, stamp).
  // The value is cached unless the cache dropped entries (Erase, EraseIf, Clear — an epoch change included) since
  // the stamp was taken: such a value may predate the change that dropped them. Puts of other keys do not count.
  uint64_t InvalidationStamp() const {
    ReaderMutexLock lock(mu_);
    return invalidations_;
  }
  void PutLoaded(const std::string& key, std::shared_ptr<const V> value, uint64_t stamp) {
    WriterMutexLock lock(mu_);
    if (invalidations_ != stamp) return;
    ++generation_;
    PutLocked(key, std::move(value));
  }

  void Erase(const std::string& key) {
    WriterMutexLock lock(mu_);
    ++generation_;
    ++invalidations_;
    map_.erase(key);
  }

  void Clear() {
    WriterMutexLock lock(mu_);
    ++generation_;
    ++invalidations_;
    map_.clear();
  }

  // Erases every entry for which pred(key, value) is true.
  template <typename Pred>
  void EraseIf(Pred pred) {
    WriterMutexLock lock(mu_);
    ++generation_;
    ++invalidations_;
    for (auto it = map_.begin(); it != map_.end();) {
      if (pred(it->first, *it->second.value))
        it = map_.erase(it);
      else
        ++it;
    }
  }

 private:
  struct Entry {
    std::shared_ptr<const V> value;
    TimePoint loaded_at;
  };
  // One running load of a key and its outcome, shared by the callers that wait for it.
  struct Flight {
    bool done = false;  // guarded by flights_mu_
    Result<std::shared_ptr<const V>> result = Status(StatusCode::kInternal, "not loaded");
  };
  uint64_t Generation() const {
    ReaderMutexLock lock(mu_);
    return generation_;
  }
  void PutIfGeneration(const std::string& key, std::shared_ptr<const V> value, uint64_t generation) {
    WriterMutexLock lock(mu_);
    if (generation_ != generation) return;
    PutLocked(key, std::move(value));
  }
  void PutLocked(const std::string& key, std::shared_ptr<const V> value) REQUIRES(mu_) {
    if (map_.size() >= max_entries_ && map_.find(key) == map_.end()) EvictExpiredLocked();
    if (map_.size() >= max_entries_) map_.erase(map_.begin());  // still full: drop an arbitrary entry
    map_[key] = Entry{std::move(value), clock_.Now()};
  }
  void EvictExpiredLocked() REQUIRES(mu_) {
    auto now = clock_.Now();
    for (auto it = map_.begin(); it != map_.end();) {
      if (now - it->second.loaded_at >= ttl_)
        it = map_.erase(it);
      else
        ++it;
    }
  }

  const Clock& clock_;
  const Duration ttl_;
  EpochWatch* const epoch_;
  const size_t max_entries_;
  mutable SharedMutex mu_;
  std::unordered_map<std::string, Entry> map_ GUARDED_BY(mu_);
  uint64_t generation_ GUARDED_BY(mu_) = 0;     // bumped by every write
  uint64_t invalidations_ GUARDED_BY(mu_) = 0;  // bumped by every drop (Erase, EraseIf, Clear)
  Mutex flights_mu_;
  std::condition_variable flights_cv_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_ GUARDED_BY(flights_mu_);  // running loads, by key
};

}  // namespace ap::service
