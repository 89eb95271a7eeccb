// SessionStore: login sessions.
//
// Sessions are keyed by token_hash, with a second index by user_id (ordered by created_at_ms, token_hash) for
// the per-user operations, and one by expires_at_ms for the purge.
//
// Common contracts: Unavailable / Internal when the backend fails.
//
// Thread safety: safe to call concurrently from many threads.
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

  // Creates the session, then evicts the user's oldest other sessions (created_at_ms ascending, then
  // token_hash) so that the user keeps at most `max_sessions_per_user` of them, the new one included (it is
  // never evicted). A user's logins therefore take bounded storage. The session itself is written atomically
  // and only if its token_hash is new (AlreadyExists otherwise) and user_id names a user (NotFound otherwise;
  // on a backend without cross-record conditions this check may be a read just before the write). The
  // eviction is a separate step right after (a reader may briefly see one session too many; a backend that
  // can do both in one atomic write may). InvalidArgument("max_sessions_per_user") outside 1..10000. Nothing
  // changes on error.
  virtual Status CreateSession(const domain::Session& session, int max_sessions_per_user) = 0;
  // NotFound if absent (expiry is the caller's business).
  virtual Result<domain::Session> GetSession(const std::string& token_hash) = 0;
  // OK even if absent (logout is idempotent). Atomic: one record.
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Deletes every session of the user (through the by-user index). Not atomic across sessions: after an error
  // some may remain (call again); OK when the user has none.
  virtual Status DeleteSessionsOfUser(const std::string& user_id) = 0;
  // Deletes every session of the user except the one whose token_hash is `keep_token_hash` (a password change
  // ends the user's other sessions and keeps the one it came from). Same contract as DeleteSessionsOfUser
  // otherwise; the kept session is never touched (absent or of another user: nothing is kept).
  virtual Status DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_token_hash) = 0;
  // Deletes sessions with expires_at_ms <= now_ms (through the expiry index); returns how many. Idempotent, so
  // several instances may run it (service/maintenance.h does, periodically).
  virtual Result<int64_t> DeleteExpiredSessions(int64_t now_ms) = 0;
};

}  // namespace ap::store
