#include "service/auth_service.h"
#include "service/paging.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "common/log.h"

namespace ap::service {
namespace {

constexpr std::string_view kBadLogin = "invalid email or password";

int64_t ToMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

AuthService::AuthService(store::Store& store, const Clock& clock, Random& random, AuditService& audit,
                         AuthOptions options)
    : store_(store),
      clock_(clock),
      random_(random),
      audit_(audit),
      options_(options),
      owned_hasher_(options.hasher ? nullptr : std::make_unique<Argon2idPasswordHasher>(options.password_hash)),
      hasher_(options.hasher ? options.hasher : owned_hasher_.get()),
      throttle_(store, clock,
                LoginThrottleOptions{options.free_failures, options.address_free_failures, options.max_lockout,
                                     options.throttle_memory}),
      sessions_epoch_(store, clock, kSessionsEpoch, options.epoch_poll),
      principals_(clock, options.principal_cache_ttl, sessions_epoch_) {
  // Made once, by the same hasher (hence the same cost) as real users' hashes. Its password is irrelevant: no
  // user has this hash, so a match never logs anyone in.
  auto dummy = hasher_->Hash("no user has this password");
  if (dummy.ok()) {
    dummy_hash_ = std::move(dummy).value();
  } else {
    log::Error("dummy_password_hash_failed", {{"error", dummy.status().ToString()}});
  }
}

Principal AuthService::PrincipalOf(const domain::User& user, const std::string& token_hash) const {
  Principal p;
  p.authenticated = true;
  p.user_id = user.user_id;
  p.email = user.email;
  p.role = user.role;
  p.teams = user.teams;
  p.token_hash = token_hash;
  p.must_change_password = user.must_change_password;
  return p;
}

int64_t AuthService::RetryAfterSeconds(std::string_view email, std::string_view client_ip) const {
  auto normalized = domain::NormalizeEmail(email);
  std::string key = normalized.ok() ? *normalized : std::string(email.substr(0, 254));
  return throttle_.RetryAfterSeconds(key, client_ip);
}

Status AuthService::LoginAsync(RequestContext ctx, std::string email, std::string password,
                               std::function<bool()> abandoned, LoginDone done) {
  auto work = [this, ctx = std::move(ctx), email = std::move(email), password = std::move(password),
               abandoned = std::move(abandoned), done = std::move(done)]() mutable {
    if (abandoned && abandoned()) {
      done(Unavailable("the client has gone"), 0);
      return;
    }
    Result<LoginResult> result = Login(ctx, email, password);
    int64_t retry_after = 0;
    if (!result.ok() && result.status().code() == StatusCode::kResourceExhausted)
      retry_after = RetryAfterSeconds(email, ctx.client_ip);
    done(std::move(result), retry_after);
  };
  return RunOnHashPool(std::move(work));
}

Status AuthService::RunOnHashPool(std::function<void()> work) {
  if (!options_.hash_pool) {
    work();
    return Status::Ok();
  }
  if (!options_.hash_pool->TrySubmit(std::move(work), options_.hash_queue_limit))
    return Unavailable("too many logins in progress; try again shortly");
  return Status::Ok();
}

Result<LoginResult> AuthService::Login(const RequestContext& ctx, std::string_view email, std::string_view password) {
  auto normalized = domain::NormalizeEmail(email);
  std::string key = normalized.ok() ? *normalized : std::string(email.substr(0, 254));
  auto ticket = throttle_.Begin(key, ctx.client_ip);
  if (!ticket.ok()) {
    if (ticket.status().code() == StatusCode::kResourceExhausted)
      audit_.RecordBestEffort(ctx, "auth.login", "user", key, Outcome::kDenied, "throttled");
    return ticket.status();
  }
  Result<domain::User> user = normalized.ok() ? store_.GetUserByEmail(*normalized) : Result<domain::User>(NotFound(""));
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  // Exactly one verification whatever the case (unknown, disabled, wrong password, right password): the
  // answer time must not tell which emails exist.
  bool matches =
      hasher_->Verify(password, user.ok() ? std::string_view(user->password_hash) : std::string_view(dummy_hash_));
  bool ok = matches && user.ok() && !user->disabled;
  if (!ok) {
    audit_.RecordBestEffort(ctx, "auth.login", "user", user.ok() ? user->user_id : key, Outcome::kFailure);
    return Unauthenticated(std::string(kBadLogin));
  }
  throttle_.Succeeded(*ticket);
  LoginResult result;
  result.token = random_.Base64UrlString(32);
  domain::Session s;
  s.token_hash = Sha256Hex(result.token);
  s.user_id = user->user_id;
  s.created_at_ms = clock_.NowUnixMillis();
  s.expires_at_ms = ToMillis(clock_.Now() + options_.session_ttl);
  s.client_ip = ctx.client_ip;
  s.user_agent = ctx.user_agent.substr(0, 512);
  RETURN_IF_ERROR(store_.CreateSession(s, options_.max_sessions_per_user));  // evicts the user's oldest beyond it
  result.user = std::move(user).value();
  result.expires_at_ms = s.expires_at_ms;
  RequestContext as_user = ctx;
  as_user.principal = PrincipalOf(result.user, s.token_hash);
  audit_.RecordBestEffort(as_user, "auth.login", "user", result.user.user_id, Outcome::kSuccess);
  return result;
}

Status AuthService::Logout(const RequestContext& ctx) {
  if (ctx.principal.token_hash.empty()) return Status::Ok();
  principals_.Erase(ctx.principal.token_hash);
  RETURN_IF_ERROR(store_.DeleteSession(ctx.principal.token_hash));
  audit_.RecordBestEffort(ctx, "auth.logout", "user", ctx.principal.user_id, Outcome::kSuccess);
  return sessions_epoch_.Bump();
}

Result<Principal> AuthService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > 256) return Unauthenticated("missing or invalid session token");
  std::string hash = Sha256Hex(token);
  if (auto cached = principals_.Get(hash)) return *cached;
  const uint64_t stamp = principals_.InvalidationStamp();
  auto session = store_.GetSession(hash);
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kNotFound) return Unauthenticated("missing or invalid session token");
    return session.status();
  }
  if (session->expires_at_ms <= clock_.NowUnixMillis()) return Unauthenticated("the session has expired");
  auto user = store_.GetUser(session->user_id);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) return Unauthenticated("missing or invalid session token");
    return user.status();
  }
  if (user->disabled) return Unauthenticated("the user is disabled");
  auto principal = std::make_shared<const Principal>(PrincipalOf(*user, hash));
  // Never trust the cache past the session's own expiry.
  if (session->expires_at_ms - clock_.NowUnixMillis() >
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.principal_cache_ttl).count()) {
    principals_.PutLoaded(hash, principal, stamp);
  }
  return *principal;
}

Status AuthService::EnsureTeams(std::vector<std::string>* teams, std::string_view field) {
  for (size_t i = 0; i < teams->size(); ++i) {
    RETURN_IF_ERROR(domain::ValidateTeamId((*teams)[i], std::string(field) + "[" + std::to_string(i) + "]"));
  }
  domain::NormalizeIdList(teams);
  for (const std::string& id : *teams) {
    domain::Team t;
    t.team_id = id;
    t.name = id;
    t.created_at_ms = clock_.NowUnixMillis();
    RETURN_IF_ERROR(store_.PutTeamIfAbsent(t));
  }
  return Status::Ok();
}

Result<CreatedUser> AuthService::CreateUser(const RequestContext& ctx, NewUser request) {
  ASSIGN_OR_RETURN(std::string email, domain::NormalizeEmail(request.email));
  CreatedUser created;
  std::string password;
  if (request.password) {
    RETURN_IF_ERROR(domain::ValidatePassword(*request.password));
    password = *request.password;
  } else {
    password = random_.Base64UrlString(18);
    created.generated_password = password;
  }
  RETURN_IF_ERROR(EnsureTeams(&request.teams, "teams"));
  domain::User u;
  u.user_id = "u_" + random_.HexString(12);
  u.email = email;
  u.role = request.role;
  u.teams = std::move(request.teams);
  u.created_at_ms = u.updated_at_ms = clock_.NowUnixMillis();
  ASSIGN_OR_RETURN(u.password_hash, hasher_->Hash(password));
  Status s = store_.CreateUser(u);
  if (s.code() == StatusCode::kAlreadyExists)
    s = Status(StatusCode::kAlreadyExists, "a user with this email exists", "email");
  audit_.RecordBestEffort(ctx, "user.create", "user", s.ok() ? u.user_id : email,
                          s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"target_name", email}, {"role", domain::RoleName(u.role)}}));
  RETURN_IF_ERROR(s);
  created.user = std::move(u);
  return created;
}

Result<AuthService::UserList> AuthService::ListUsers(const std::string& cursor, int64_t page_size) {
  RETURN_IF_ERROR(CheckPageSize(page_size, 1000));
  ASSIGN_OR_RETURN(store::UserPage page, store_.ListUsers(cursor, page_size));
  UserList out;
  ASSIGN_OR_RETURN(out.total, store_.CountUsers());
  out.items = std::move(page.items);
  out.next = std::move(page.next);
  return out;
}

Result<domain::User> AuthService::GetUser(const std::string& user_id) { return store_.GetUser(user_id); }

Result<domain::User> AuthService::GetUserByEmail(const std::string& email) {
  ASSIGN_OR_RETURN(std::string normalized, domain::NormalizeEmail(email, "actor_email"));
  return store_.GetUserByEmail(normalized);
}

Result<int64_t> AuthService::CountEnabledAdmins() { return store_.CountEnabledAdmins(); }

void AuthService::ForgetSessionsOf(const std::string& user_id) {
  principals_.EraseIf([&](const std::string&, const Principal& p) { return p.user_id == user_id; });
}

Result<domain::User> AuthService::UpdateUser(const RequestContext& ctx, const std::string& user_id,
                                             const UserPatch& patch) {
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(user_id));
  bool was_enabled_admin = u.role == domain::Role::kAdmin && !u.disabled;
  bool end_sessions = false;
  if (patch.role) u.role = *patch.role;
  if (patch.disabled) {
    end_sessions |= *patch.disabled && !u.disabled;
    u.disabled = *patch.disabled;
  }
  if (patch.teams) {
    std::vector<std::string> teams = *patch.teams;
    RETURN_IF_ERROR(EnsureTeams(&teams, "teams"));
    u.teams = std::move(teams);
  }
  if (patch.password) {
    RETURN_IF_ERROR(domain::ValidatePassword(*patch.password));
    ASSIGN_OR_RETURN(u.password_hash, hasher_->Hash(*patch.password));
    end_sessions = true;
  }
  const bool forced_reset = patch.must_change_password.value_or(false);
  if (patch.must_change_password) {
    end_sessions |= forced_reset;
    u.must_change_password = *patch.must_change_password;
  }
  bool is_enabled_admin = u.role == domain::Role::kAdmin && !u.disabled;
  if (was_enabled_admin && !is_enabled_admin) {
    if (user_id == ctx.principal.user_id)
      return FailedPrecondition("you cannot disable or demote yourself; ask another admin");
    ASSIGN_OR_RETURN(int64_t admins, CountEnabledAdmins());
    if (admins <= 1) return FailedPrecondition("the platform must keep at least one enabled admin");
  }
  u.updated_at_ms = clock_.NowUnixMillis();
  Status s = store_.UpdateUser(u);
  audit_.RecordBestEffort(ctx, "user.update", "user", user_id, s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          forced_reset
                              ? domain::AuditDetail({{"target_name", u.email}, {"must_change_password", "true"}})
                              : domain::AuditDetail({{"target_name", u.email}}));
  RETURN_IF_ERROR(s);
  if (end_sessions) RETURN_IF_ERROR(store_.DeleteSessionsOfUser(user_id));
  ForgetSessionsOf(user_id);                // role and team changes take effect on the next request here, and
  RETURN_IF_ERROR(sessions_epoch_.Bump());  // on the other instances within epoch_poll
  return u;
}

Status AuthService::DeleteUser(const RequestContext& ctx, const std::string& user_id) {
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(user_id));
  if (user_id == ctx.principal.user_id) return FailedPrecondition("you cannot delete your own user");
  if (u.role == domain::Role::kAdmin && !u.disabled) {
    ASSIGN_OR_RETURN(int64_t admins, CountEnabledAdmins());
    if (admins <= 1) return FailedPrecondition("the platform must keep at least one enabled admin");
  }
  // Sessions first: should the user's deletion then fail, the user merely logs in again; the other order could
  // leave sessions behind (harmless, Authenticate finds no user, but they would linger until they expire).
  Status s = store_.DeleteSessionsOfUser(user_id);
  if (s.ok()) s = store_.DeleteUser(user_id);
  audit_.RecordBestEffort(ctx, "user.delete", "user", user_id, s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"target_name", u.email}}));
  RETURN_IF_ERROR(s);
  ForgetSessionsOf(user_id);
  return sessions_epoch_.Bump();
}

Result<std::optional<CreatedUser>> AuthService::BootstrapAdmin(std::string_view email, std::string_view password) {
  ASSIGN_OR_RETURN(int64_t count, store_.CountUsers());
  if (count > 0) return std::optional<CreatedUser>();
  NewUser req;
  req.email = std::string(email);
  if (!password.empty()) req.password = std::string(password);
  req.role = domain::Role::kAdmin;
  ASSIGN_OR_RETURN(CreatedUser created, CreateUser(RequestContext::System(), std::move(req)));
  return std::optional<CreatedUser>(std::move(created));
}

Result<std::vector<domain::Team>> AuthService::ListTeams() {
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, store_.ListTeams());
  // One key per team rather than one per comparison: the collation key is the costly part.
  std::vector<std::pair<std::string, domain::Team>> keyed;
  keyed.reserve(teams.size());
  for (domain::Team& t : teams) keyed.emplace_back(CollationKey(t.name), std::move(t));
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.team_id < b.second.team_id;
  });
  teams.clear();
  for (auto& [key, t] : keyed) teams.push_back(std::move(t));
  return teams;
}

Result<domain::Team> AuthService::PutTeam(const RequestContext& ctx, const domain::Team& team) {
  RETURN_IF_ERROR(domain::ValidateTeamId(team.team_id, "team_id"));
  domain::Team t = team;
  if (t.name.empty()) t.name = t.team_id;
  if (t.name.size() > 128) return InvalidArgument("must be at most 128 characters", "name");
  t.created_at_ms = clock_.NowUnixMillis();
  Status s = store_.PutTeam(t);
  audit_.RecordBestEffort(ctx, "team.put", "team", t.team_id, s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"target_name", t.name}}));
  RETURN_IF_ERROR(s);
  return t;
}

Status AuthService::DeleteTeam(const RequestContext& ctx, const std::string& team_id) {
  Status s = store_.DeleteTeam(team_id);
  audit_.RecordBestEffort(ctx, "team.delete", "team", team_id, s.ok() ? Outcome::kSuccess : Outcome::kFailure);
  return s;
}

}  // namespace ap::service
