// EpochWatch: how an in-process cache learns that another instance changed what it caches. Several instances on
// one store each cache sessions, accounts and the quota config; a writer bumps a named epoch in the store
// (store/coordination_store.h) after its write, and every instance's watch reads that epoch at most once per
// `poll` and tells its cache to drop everything when the value moved. So a change made on one instance is seen by
// every other within `poll` (+ the requests already past their cache check), at the cost of one small store read
// per cache per `poll`, whatever the traffic.
//
// The epochs of the platform (docs/operations.md, "Caches across instances"):
//   kSessionsEpoch     "sessions"      what a session token stands for: logout, a user changed (role, teams,
//                                      disabled, password) or deleted. Drops AuthService's principals.
//   kAccountsEpoch     "accounts"      an account changed or was deleted. Drops AccountService's accounts.
//   kQuotaConfigEpoch  "quota-config"  the quota config changed. Drops QuotaConfigService's document.
//
// Thread safety: safe from any thread. Does not own the store or the clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/status.h"
#include "store/coordination_store.h"

namespace ap::service {

inline constexpr std::string_view kSessionsEpoch = "sessions";
inline constexpr std::string_view kAccountsEpoch = "accounts";
inline constexpr std::string_view kQuotaConfigEpoch = "quota-config";

class EpochWatch {
 public:
  // Watches epoch `name` of `store`, reading it at most once per `poll` of `clock` (zero: at every check).
  EpochWatch(store::CoordinationStore& store, const Clock& clock, std::string_view name, Duration poll);

  // True when the cache must drop its entries: the epoch moved since this watch last read it, cannot be read (a
  // store error: the cache's readers then ask the store itself, which answers or fails), or was never read yet.
  // Reads the store only when `poll` has passed since the last read (or the clock went back); other calls, and
  // calls made while another thread reads, return false at once.
  bool Changed();

  // Announces a write: bumps the epoch, so that every instance's watch (this one's too) reports a change at its
  // next read. Call after the store write succeeded. Returns the store's error (the write stands; other instances
  // then see it only when their cache entries expire: the caller should say so, and a retry bumps again).
  Status Bump();

  const std::string& name() const { return name_; }

 private:
  store::CoordinationStore& store_;
  const Clock& clock_;
  const std::string name_;
  const Duration poll_;

  Mutex mu_;
  bool reading_ GUARDED_BY(mu_) = false;    // a thread is reading the epoch from the store
  bool read_once_ GUARDED_BY(mu_) = false;  // a read was attempted, at read_at_
  bool known_ GUARDED_BY(mu_) = false;      // value_ holds the value the last read returned
  int64_t value_ GUARDED_BY(mu_) = 0;
  TimePoint read_at_ GUARDED_BY(mu_);
};

}  // namespace ap::service
