// SessionStore: login sessions.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/user.h"

namespace ap::store {

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // ---- Sessions ----------------------------------------------------------------------------------------
  // Creates the session, then evicts the user's oldest other sessions (created_at_ms ascending, then
  // token_hash) so that the user keeps at most `max_sessions_per_user` of them, the new one included (it is never
  // evicted). A user's logins therefore take bounded storage. The insert and the eviction are one atomic write
  // where the backend has transactions; a backend without them must evict right after the insert (a reader may
  // then briefly see one session too many). AlreadyExists if token_hash is taken; NotFound if user_id names no
  // user; InvalidArgument("max_sessions_per_user") outside 1..10000. Nothing changes on error.
  virtual Status CreateSession(const domain::Session& session, int max_sessions_per_user) = 0;
  // NotFound if absent (expiry is the caller's business).
  virtual Result<domain::Session> GetSession(const std::string& token_hash) = 0;
  // OK even if absent (logout is idempotent).
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  virtual Status DeleteSessionsOfUser(const std::string& user_id) = 0;
  // Deletes sessions with expires_at_ms <= now_ms; returns how many. Idempotent, so several instances may run it
  // (service/maintenance.h does, periodically).
  virtual Result<int64_t> DeleteExpiredSessions(int64_t now_ms) = 0;
};

}  // namespace ap::store
