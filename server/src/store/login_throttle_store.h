// LoginThrottleStore: counters of login attempts.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ap::store {

// ---- Login throttle (see Store's "Login throttle" section) ----------------------------------------------
// How CountLoginAttempt counts and locks one key. Times in milliseconds.
struct LoginThrottlePolicy {
  int64_t free_attempts = 5;                          // attempts counted before waits begin (>= 1)
  int64_t base_wait_ms = 1000;                        // the wait set by the free_attempts-th attempt; doubles after
  int64_t max_wait_ms = int64_t{15} * 60 * 1000;      // cap of one wait
  int64_t forget_after_ms = int64_t{15} * 60 * 1000;  // a key is forgotten this long after its last attempt or the
                                                      // end of its lock, whichever is later
};

// A key's stored state.
struct LoginThrottle {
  int64_t attempts = 0;         // counted attempts since the key was (re)created
  int64_t locked_until_ms = 0;  // attempts before this time are refused (0 = never locked)
  int64_t expires_at_ms = 0;    // from this time on the key counts as absent
};

// What CountLoginAttempt decided.
struct ThrottleDecision {
  bool allowed = false;  // true: the attempt was counted and may go on; false: refused, nothing changed
  LoginThrottle state;   // the key after the call
};

// The counting rule every backend applies, under its own atomicity (pure; shared so that backends agree).
// `current` is the stored state or nullptr when absent; an expired state counts as absent.
inline ThrottleDecision ApplyLoginAttempt(const LoginThrottle* current, int64_t now_ms,
                                          const LoginThrottlePolicy& policy) {
  ThrottleDecision d;
  if (current && current->expires_at_ms > now_ms) {
    d.state = *current;
    if (current->locked_until_ms > now_ms) return d;  // locked: refused, not counted
  }
  d.allowed = true;
  d.state.attempts += 1;
  const int64_t free_attempts = policy.free_attempts < 1 ? 1 : policy.free_attempts;
  if (d.state.attempts >= free_attempts) {
    int64_t wait = policy.base_wait_ms < policy.max_wait_ms ? policy.base_wait_ms : policy.max_wait_ms;
    for (int64_t i = free_attempts; i < d.state.attempts && wait < policy.max_wait_ms; ++i)
      wait = wait > policy.max_wait_ms / 2 ? policy.max_wait_ms : wait * 2;
    d.state.locked_until_ms = now_ms + wait;
  }
  d.state.expires_at_ms =
      (d.state.locked_until_ms > now_ms ? d.state.locked_until_ms : now_ms) + policy.forget_after_ms;
  return d;
}

class LoginThrottleStore {
 public:
  virtual ~LoginThrottleStore() = default;

  // ---- Login throttle ----------------------------------------------------------------------------------
  // Counters of login attempts by opaque key (the service chooses keys: e.g. per email and client address, per
  // client address). A key lives until its expires_at_ms; expired keys count as absent and are removed by
  // DeleteExpiredLoginThrottles. No key is ever dropped to make room for another: the number of keys is bounded
  // by the callers' key choice over the forget_after_ms window, not by eviction.
  //
  // Atomically (one key, one conditional write): applies ApplyLoginAttempt to the key's state at `now_ms` —
  // a locked key refuses (allowed = false, nothing written); otherwise the attempt is counted (attempts + 1,
  // lock and expiry recomputed by `policy`) and allowed = true. Concurrent calls for one key are serialised, so
  // N parallel calls on a fresh key allow exactly policy.free_attempts before the lock (while now_ms stays
  // before the first lock's end).
  virtual Result<ThrottleDecision> CountLoginAttempt(const std::string& key, int64_t now_ms,
                                                     const LoginThrottlePolicy& policy) = 0;
  // Takes back one counted attempt (attempts - 1, never below 0); lock and expiry stay. OK if absent.
  virtual Status RefundLoginAttempt(const std::string& key) = 0;
  // Forgets the key (a successful login). OK if absent.
  virtual Status ClearLoginFailures(const std::string& key) = 0;
  // The key's state; NotFound if absent or expired at `now_ms`.
  virtual Result<LoginThrottle> GetLoginThrottle(const std::string& key, int64_t now_ms) = 0;
  // Deletes keys with expires_at_ms <= now_ms; returns how many. For the periodic maintenance task (the
  // throttle stays correct without it: expired keys count as absent; this only reclaims their storage).
  virtual Result<int64_t> DeleteExpiredLoginThrottles(int64_t now_ms) = 0;
};

}  // namespace ap::store
