// Store: the persistence interface of the platform. Today it has one backend, SqliteStore (embedded, the
// default), which passes the conformance suite in test/store/. The interface is kept storage-neutral so that a
// second backend (DynamoDB, for several instances; not written yet) can follow; any backend must pass that suite.
//
// Contracts common to every method:
//  - Returns Unavailable / Internal when the backend fails (I/O error, corrupt data); callers never see
//    backend-specific error types.
//  - Lists come back in a stable documented order. Team and region lists inside records come back sorted and
//    without duplicates. Case-insensitive search and ordering fold ASCII letters only.
//  - A limit outside the range its field documents (1..1000 unless stated) or a negative offset is
//    InvalidArgument("limit" / "offset").
//  - Thread safety: every implementation is safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/job.h"
#include "domain/quota.h"
#include "domain/quota_config.h"
#include "domain/quota_history.h"
#include "domain/user.h"

namespace ap::store {

struct AccountFilter {
  std::optional<domain::AccountStatus> status;  // nullopt = any status
  // Non-empty: only accounts assigned to at least one of these teams.
  std::vector<std::string> any_of_teams;
  bool restrict_to_teams = false;  // true: apply any_of_teams even when empty (then nothing matches)
  std::string search;              // case-insensitive substring of account_name or prefix of account_id
  int64_t offset = 0;
  int64_t limit = 50;  // 1..1000
};

struct AccountPage {
  std::vector<domain::Account> items;  // ordered by account_name (case-insensitive), then account_id
  int64_t total = 0;                   // matches before offset/limit
};

struct AuditFilter {
  std::string actor_id;     // exact; empty = any
  std::string action;       // exact, or prefix when it ends with '.' ("account."); empty = any
  std::string target_type;  // exact; empty = any
  std::string target_id;    // exact; empty = any
  std::string outcome;      // exact; empty = any
  int64_t from_ms = 0;      // inclusive; 0 = unbounded
  int64_t to_ms = 0;        // exclusive; 0 = unbounded
  int64_t offset = 0;
  int64_t limit = 50;  // 1..1000
};

struct QuotaHistoryFilter {
  std::string account_id;                // required
  std::string region;                    // required
  std::vector<std::string> quota_codes;  // empty = every code
  int64_t limit = 1000;                  // 1..10000: the newest `limit` entries, returned oldest first
};

// How durable a write is when the call returns OK.
enum class Durability {
  kNormal,  // survives a crash of the process; a power cut or OS crash may lose the newest writes
  kSync,    // on stable storage (synced) before the call returns: survives a power cut too; slower
};

struct AuditPage {
  std::vector<domain::AuditEntry> items;  // newest first (seq descending)
  int64_t total = 0;
};

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

class Store {
 public:
  virtual ~Store() = default;

  // OK when the backend answers a trivial query. Used by /ready.
  virtual Status Ping() = 0;

  // ---- Users -------------------------------------------------------------------------------------------
  // AlreadyExists if the email or user_id is taken.
  virtual Status CreateUser(const domain::User& user) = 0;
  // NotFound if absent.
  virtual Result<domain::User> GetUser(const std::string& user_id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& email) = 0;
  // Every user, ordered by email.
  virtual Result<std::vector<domain::User>> ListUsers() = 0;
  // Replaces the stored user with the same user_id. NotFound if absent; AlreadyExists if the new email is taken.
  virtual Status UpdateUser(const domain::User& user) = 0;
  // Deletes the user and their sessions. NotFound if absent.
  virtual Status DeleteUser(const std::string& user_id) = 0;
  virtual Result<int64_t> CountUsers() = 0;

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

  // ---- Teams -------------------------------------------------------------------------------------------
  // Creates or renames (a rename keeps the original created_at_ms).
  virtual Status PutTeam(const domain::Team& team) = 0;
  // Ordered by team_id.
  virtual Result<std::vector<domain::Team>> ListTeams() = 0;
  // NotFound if absent. Does not touch users or accounts that name the team.
  virtual Status DeleteTeam(const std::string& team_id) = 0;

  // ---- Accounts ----------------------------------------------------------------------------------------
  // AlreadyExists if account_id is taken (whatever its status).
  virtual Status CreateAccount(const domain::Account& account) = 0;
  // NotFound if absent (inactive accounts are returned; status tells).
  virtual Result<domain::Account> GetAccount(const std::string& account_id) = 0;
  virtual Result<AccountPage> ListAccounts(const AccountFilter& filter) = 0;
  // Replaces the account if its stored version equals `expected_version`, storing account.version as given
  // (the caller sets expected_version + 1). NotFound if absent; FailedPrecondition if the version differs.
  virtual Status UpdateAccount(const domain::Account& account, int64_t expected_version) = 0;

  // Contact information of an account. NotFound if none was stored.
  virtual Result<domain::ContactInfo> GetContactInfo(const std::string& account_id) = 0;
  // Creates or replaces. NotFound if the account does not exist.
  virtual Status PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) = 0;

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

  // Appends history entries (the store assigns increasing seq), all or none, in one transaction with nothing
  // else: callers write the snapshot first. OK for empty input; InvalidArgument("entries") if a value or
  // previous_value is NaN (nothing is written); Unavailable / Internal when the backend fails (nothing written).
  virtual Status AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) = 0;
  // Matching entries ordered by (at_ms, seq) ascending; at most filter.limit, the newest ones.
  virtual Result<std::vector<domain::QuotaHistoryEntry>> ListQuotaHistory(const QuotaHistoryFilter& filter) = 0;

  // ---- Fleet jobs --------------------------------------------------------------------------------------
  // Creates or replaces the job with this job_id (items included).
  virtual Status PutJob(const domain::Job& job) = 0;
  // NotFound if absent.
  virtual Result<domain::Job> GetJob(const std::string& job_id) = 0;
  // Newest first (created_at_ms descending, then job_id); at most `limit` (1..1000).
  virtual Result<std::vector<domain::Job>> ListJobs(int64_t limit) = 0;

  // ---- Audit log ---------------------------------------------------------------------------------------
  // Appends; the store assigns seq (increasing). Returns the stored entry. AlreadyExists if audit_id repeats
  // (so a retried append cannot log twice). count is stored as given (InvalidArgument("count") below 1);
  // last_at_ms as max(at_ms, last_at_ms). With Durability::kSync the entry is on stable storage when OK returns
  // (an audit entry that must survive a power cut, e.g. before a credential export hands out the secret); with
  // kNormal a power cut may lose the newest writes (never corrupts).
  virtual Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry, Durability durability) = 0;
  Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry) {
    return AppendAudit(entry, Durability::kNormal);
  }
  // Append-or-increment, for repeated events that must not each take a row (anonymous login failures). If an
  // entry made by AppendAuditCoalesced with the same key — action, actor_id, target_type, target_id, client_ip,
  // outcome — and at_ms >= window_start_ms exists, adds 1 to the count of the newest such entry and raises its
  // last_at_ms to entry.at_ms (its other fields stay the first event's) and returns it; otherwise appends `entry`
  // with count 1 (AlreadyExists if its audit_id repeats) and returns it. Atomic: concurrent calls never lose a
  // count. The key is found through an index, never a scan. Entries made by AppendAudit never match.
  // entry.count and entry.last_at_ms are ignored.
  virtual Result<domain::AuditEntry> AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) = 0;
  virtual Result<AuditPage> ListAudit(const AuditFilter& filter) = 0;
  // Retention: deletes at most `limit` (1..100000) entries with at_ms < cutoff_ms, oldest first, and returns how
  // many. Call again while it returns `limit`; each call is short so that it never holds up other writes.
  // Idempotent, so several instances may run it. InvalidArgument("limit") out of range.
  virtual Result<int64_t> DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) = 0;

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
