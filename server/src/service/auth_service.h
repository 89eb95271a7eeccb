// AuthService: logins, sessions and user management.
//
// Sessions: login returns an opaque random token (32 bytes, base64url); only its SHA-256 is stored, with an
// expiry. Authenticate() answers from a short-lived in-memory cache (AuthOptions::principal_cache_ttl) so the
// hot read path does not hit the store on every request; logout, user changes and deletion clear this
// instance's cache at once.
// Failed logins: after `free_failures` failures for one email, each further attempt must wait
// 2^(failures - free_failures) seconds (capped at max_lockout); earlier attempts get ResourceExhausted without
// checking the password. Unknown emails are throttled the same way (no user enumeration).
//
// Thread safety: safe from any thread. Does not own its collaborators.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "service/crypto.h"
#include "service/ttl_cache.h"
#include "store/store.h"

namespace ap::service {

struct AuthOptions {
  Duration session_ttl = std::chrono::hours(12);          // lifetime of a login session
  int free_failures = 5;                                  // failed logins per email before slowing down
  Duration max_lockout = std::chrono::minutes(15);        // cap of the wait between attempts
  Duration principal_cache_ttl = std::chrono::seconds(10);  // how long a validated token is trusted from memory
  PasswordHashOptions password_hash;                      // argon2id cost
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
};

class AuthService {
 public:
  AuthService(store::Store& store, const Clock& clock, Random& random, AuditService& audit, AuthOptions options);

  // OK with a new session if the email and password match an enabled user. Unauthenticated("invalid email or
  // password") otherwise (same message for every cause); ResourceExhausted when throttled (see
  // RetryAfterSeconds). Audited as auth.login with the outcome.
  Result<LoginResult> Login(const RequestContext& ctx, std::string_view email, std::string_view password);
  // Seconds until `email` may try again (0 when it may now).
  int64_t RetryAfterSeconds(std::string_view email) const;

  // Deletes the session of the context's principal. Idempotent.
  Status Logout(const RequestContext& ctx);

  // The principal of a bearer token. Unauthenticated if the token is unknown, expired, or its user is
  // disabled or gone.
  Result<Principal> Authenticate(std::string_view token);

  // ---- users (admin use cases; the caller has been authorized) ----
  // InvalidArgument naming the field; AlreadyExists for a taken email. Audited.
  Result<CreatedUser> CreateUser(const RequestContext& ctx, NewUser request);
  Result<std::vector<domain::User>> ListUsers();
  Result<domain::User> GetUser(const std::string& user_id);
  // NotFound; InvalidArgument; FailedPrecondition when the change would leave no enabled admin or an admin
  // disables or demotes themself. Ends the user's sessions when disabled or when the password changes. Audited.
  Result<domain::User> UpdateUser(const RequestContext& ctx, const std::string& user_id, const UserPatch& patch);
  // NotFound; FailedPrecondition for one's own user or the last enabled admin. Audited.
  Status DeleteUser(const RequestContext& ctx, const std::string& user_id);

  // First start: if the store has no user at all, creates an admin with `email` and `password` (generated when
  // empty) and returns the created user (with the generated password). Returns nullopt when users exist.
  Result<std::optional<CreatedUser>> BootstrapAdmin(std::string_view email, std::string_view password);

  // ---- teams ----
  Result<std::vector<domain::Team>> ListTeams();
  // Creates or renames; returns the stored team. InvalidArgument("team_id"). Audited.
  Result<domain::Team> PutTeam(const RequestContext& ctx, const domain::Team& team);
  Status DeleteTeam(const RequestContext& ctx, const std::string& team_id);
  // Registers team ids named by a user or an account so that they show up in ListTeams. InvalidArgument
  // naming `field`[i] for a malformed id; normalises (sorts, de-duplicates) the list.
  Status EnsureTeams(std::vector<std::string>* teams, std::string_view field);

 private:
  struct Throttle {
    int failures = 0;
    TimePoint next_allowed;
  };
  Principal PrincipalOf(const domain::User& user, const std::string& token_hash) const;
  Result<int64_t> CountEnabledAdmins();
  void ForgetSessionsOf(const std::string& user_id);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  AuditService& audit_;
  const AuthOptions options_;

  mutable std::mutex throttle_mu_;
  std::unordered_map<std::string, Throttle> throttles_;  // by normalised email
  TtlCache<Principal> principals_;                        // by token hash
};

}  // namespace ap::service
