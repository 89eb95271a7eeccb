// AuthService: logins, sessions and user management.
//
// Sessions: login returns an opaque random token (32 bytes, base64url); only its SHA-256 is stored, with an
// expiry. Authenticate() answers from a short-lived in-memory cache (AuthOptions::principal_cache_ttl) so the
// hot read path does not hit the store on every request; logout, user changes and deletion clear this
// instance's cache at once and bump the store's "sessions" epoch (epoch_watch.h), which every instance reads at
// most every AuthOptions::epoch_poll: a logged-out session, a disabled, deleted or demoted user, changed teams or
// a changed password take effect on every instance within epoch_poll (+ the requests already authenticated). A
// session evicted by max_sessions_per_user (no epoch bump: logins would clear every cache) ends on other
// instances within principal_cache_ttl.
// Failed logins: throttled per (email × client address) and per client address, in the store (see
// login_throttle.h for the policy). Each attempt is counted before its password is checked; throttled attempts
// get ResourceExhausted without a check. Unknown emails are throttled the same way (no user enumeration).
// Constant work: every login that reaches the password check verifies exactly one password hash — the user's,
// or for an unknown email a dummy hash made once with the same hasher — so the answer time does not tell
// whether an email exists or a user is disabled.
// Hashing off the I/O threads: LoginAsync runs Login on AuthOptions::hash_pool with a bounded queue.
//
// Thread safety: safe from any thread. Does not own its collaborators (the default argon2id hasher is owned).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/thread_pool.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "service/crypto.h"
#include "service/epoch_watch.h"
#include "service/login_throttle.h"
#include "service/ttl_cache.h"
#include "store/store.h"

namespace ap::service {

struct AuthOptions {
  Duration session_ttl = std::chrono::hours(12);            // lifetime of a login session
  int free_failures = 5;                                    // failed logins per (email × address) before waits
  int address_free_failures = 100;                          // failed logins per client address before waits
  Duration max_lockout = std::chrono::minutes(15);          // cap of the wait between attempts
  Duration throttle_memory = std::chrono::minutes(15);      // a quiet throttle key is forgotten after this
  Duration principal_cache_ttl = std::chrono::seconds(10);  // how long a validated token is trusted from memory
  // How often the "sessions" epoch is read (how late other instances' logouts and user changes may be seen).
  Duration epoch_poll = std::chrono::seconds(1);
  PasswordHashOptions password_hash;  // argon2id cost (for the default hasher)
  // Hashes and verifies passwords. Null (default): argon2id with `password_hash`, owned by the service.
  PasswordHasher* hasher = nullptr;
  // Runs LoginAsync's work. Null (default): LoginAsync runs the login inline (unit tests, the CLI).
  ThreadPool* hash_pool = nullptr;
  // Logins waiting for a hash_pool thread beyond this are refused with Unavailable (HTTP 503 + Retry-After).
  size_t hash_queue_limit = 64;
  int max_sessions_per_user = 20;  // a login beyond this many sessions of one user ends their oldest (1..10000)
};

struct LoginResult {
  std::string token;  // give to the client; never stored
  domain::User user;
  int64_t expires_at_ms = 0;
};

struct NewUser {
  std::string email;
  std::optional<std::string> password;  // nullopt: generate one and return it once
  domain::Role role = domain::Role::kUser;
  std::vector<std::string> teams;
};

struct CreatedUser {
  domain::User user;
  std::optional<std::string> generated_password;  // set when the password was generated
};

struct UserPatch {
  std::optional<domain::Role> role;
  std::optional<bool> disabled;
  std::optional<std::vector<std::string>> teams;
  std::optional<std::string> password;
  // true: a forced reset — the user must set a new password at their next login, and their sessions end now.
  // false: the requirement is lifted (sessions stay).
  std::optional<bool> must_change_password;
};

class AuthService {
 public:
  AuthService(store::Store& store, const Clock& clock, Random& random, AuditService& audit, AuthOptions options);

  // OK with a new session if the email and password match an enabled user. Unauthenticated("invalid email or
  // password") otherwise (same message for every cause); ResourceExhausted when (email, ctx.client_ip) or
  // ctx.client_ip is throttled (see RetryAfterSeconds; no password is checked then). Every other outcome costs
  // exactly one PasswordHasher::Verify. A store error (Unavailable/Internal) fails closed. Audited as
  // auth.login with the outcome. Blocks for the password hash: call from a worker thread (see LoginAsync).
  Result<LoginResult> Login(const RequestContext& ctx, std::string_view email, std::string_view password);
  // Seconds until `email` may try again from `client_ip` (0 when it may now): the longer of the
  // (email × address) and the address waits. For the 429 Retry-After header.
  int64_t RetryAfterSeconds(std::string_view email, std::string_view client_ip) const;

  // Called once with Login's result; `retry_after_seconds` is RetryAfterSeconds when the result is
  // ResourceExhausted, else 0.
  using LoginDone = std::function<void(Result<LoginResult> result, int64_t retry_after_seconds)>;
  // Login on AuthOptions::hash_pool, so that the password hash never runs on the caller's (I/O) thread.
  // Returns OK and later calls `done` exactly once from a pool thread (inline when there is no pool), or returns
  // Unavailable at once, without calling `done`, when hash_queue_limit logins already wait. When the login's
  // turn comes and `abandoned` (may be empty) returns true — its client has gone — `done` gets Unavailable
  // and nothing is counted or checked.
  Status LoginAsync(RequestContext ctx, std::string email, std::string password, std::function<bool()> abandoned,
                    LoginDone done);

  // Changes the principal's own password. Throttled like Login, on the principal's email and ctx.client_ip (a
  // wrong current password counts as a failed attempt): ResourceExhausted (see RetryAfterSeconds), no check made.
  // InvalidArgument("current_password") when it does not match; InvalidArgument("new_password") when the new one
  // is invalid (domain::ValidatePassword) or equals the current one. On success: the new hash is stored,
  // must_change_password cleared, the user's other sessions ended (the principal's own kept) and the change
  // announced through the "sessions" epoch. Unauthenticated for a principal without a session. Audited as
  // user.password_change with the outcome. Blocks for two password hashes: see ChangePasswordAsync.
  Result<domain::User> ChangePassword(const RequestContext& ctx, std::string_view current_password,
                                      std::string_view new_password);
  using PasswordChangeDone = std::function<void(Result<domain::User> result, int64_t retry_after_seconds)>;
  // ChangePassword on AuthOptions::hash_pool, like LoginAsync (same queue bound: Unavailable at once when full;
  // `done` is then not called).
  Status ChangePasswordAsync(RequestContext ctx, std::string current_password, std::string new_password,
                             PasswordChangeDone done);

  // Deletes the session of the context's principal and announces it to the other instances (the "sessions"
  // epoch). Idempotent. A store error of either step is returned (retrying is safe).
  Status Logout(const RequestContext& ctx);

  // The principal of a bearer token. Unauthenticated if the token is unknown, expired, or its user is
  // disabled or gone.
  Result<Principal> Authenticate(std::string_view token);

  // ---- users (admin use cases; the caller has been authorized) ----
  // InvalidArgument naming the field; AlreadyExists for a taken email. Audited. Hashes the password on the
  // calling thread (admin use; see docs/operations.md).
  Result<CreatedUser> CreateUser(const RequestContext& ctx, NewUser request);
  // One page of users ordered by email (cursor: UserList::next of the previous page; empty = the first page),
  // with the total number of users (a maintained counter, O(1)). InvalidArgument("page_size") outside 1..1000;
  // InvalidArgument("cursor") for a cursor this list did not return.
  struct UserList {
    std::vector<domain::User> items;
    std::string next;  // empty on the last page
    int64_t total = 0;
  };
  Result<UserList> ListUsers(const std::string& cursor, int64_t page_size);
  Result<domain::User> GetUser(const std::string& user_id);
  // The user with this email (compared as stored: trimmed, lower-cased). NotFound; InvalidArgument("actor_email")
  // for text that is not an email. One indexed read.
  Result<domain::User> GetUserByEmail(const std::string& email);
  // NotFound; InvalidArgument; FailedPrecondition when the change would leave no enabled admin or an admin
  // disables or demotes themself. Ends the user's sessions when disabled, when the password changes or when a
  // reset is forced (patch.must_change_password = true). Audited (a forced reset with detail
  // {"must_change_password": "true"}).
  // The change reaches every instance's sessions through the "sessions" epoch (see the file comment); a failed
  // bump is returned as the store's error although the change is stored (retrying is safe).
  Result<domain::User> UpdateUser(const RequestContext& ctx, const std::string& user_id, const UserPatch& patch);
  // Ends the user's sessions (the store does not cascade), then deletes the user. NotFound; FailedPrecondition
  // for one's own user or the last enabled admin. Audited. Announced through the "sessions" epoch like UpdateUser.
  Status DeleteUser(const RequestContext& ctx, const std::string& user_id);

  // First start: if the store has no user at all, creates an admin with `email` and `password` (generated when
  // empty) and returns the created user (with the generated password). Returns nullopt when users exist.
  Result<std::optional<CreatedUser>> BootstrapAdmin(std::string_view email, std::string_view password);

  // ---- teams ----
  // Every team: teams are an organisation's few (see store/user_store.h), so the list is not paged. Ordered by
  // name as people read it (common/collation.h CompareNames: natural, case-insensitive, Chinese by pinyin), then by
  // team_id.
  Result<std::vector<domain::Team>> ListTeams();
  // Creates or renames; returns the stored team. InvalidArgument("team_id"). Audited.
  Result<domain::Team> PutTeam(const RequestContext& ctx, const domain::Team& team);
  Status DeleteTeam(const RequestContext& ctx, const std::string& team_id);
  // Registers team ids named by a user or an account so that they show up in ListTeams (one conditional write
  // per id, never a read of every team). InvalidArgument naming `field`[i] for a malformed id; normalises
  // (sorts, de-duplicates) the list.
  Status EnsureTeams(std::vector<std::string>* teams, std::string_view field);

 private:
  Principal PrincipalOf(const domain::User& user, const std::string& token_hash) const;
  // Runs `work` on options_.hash_pool (inline without one). Unavailable when hash_queue_limit tasks wait.
  Status RunOnHashPool(std::function<void()> work);
  Result<int64_t> CountEnabledAdmins();
  void ForgetSessionsOf(const std::string& user_id);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  AuditService& audit_;
  const AuthOptions options_;

  std::unique_ptr<PasswordHasher> owned_hasher_;  // set when options_.hasher is null
  PasswordHasher* hasher_;
  std::string dummy_hash_;  // verified for unknown emails, so that they cost what a real user costs
  LoginThrottler throttle_;
  EpochWatch sessions_epoch_;       // kSessionsEpoch
  TtlCache<Principal> principals_;  // by token hash; dropped when sessions_epoch_ moves
};

}  // namespace ap::service
