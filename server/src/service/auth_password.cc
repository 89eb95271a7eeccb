// AuthService: a user changes their own password (the forced reset's way out, too).
#include <string>
#include <utility>

#include "service/auth_service.h"

namespace ap::service {

Status AuthService::ChangePasswordAsync(RequestContext ctx, std::string current_password, std::string new_password,
                                        PasswordChangeDone done) {
  return RunOnHashPool([this, ctx = std::move(ctx), current = std::move(current_password),
                        next = std::move(new_password), done = std::move(done)]() mutable {
    Result<domain::User> result = ChangePassword(ctx, current, next);
    int64_t retry_after = 0;
    if (!result.ok() && result.status().code() == StatusCode::kResourceExhausted)
      retry_after = RetryAfterSeconds(ctx.principal.email, ctx.client_ip);
    done(std::move(result), retry_after);
  });
}

Result<domain::User> AuthService::ChangePassword(const RequestContext& ctx, std::string_view current_password,
                                                 std::string_view new_password) {
  const Principal& me = ctx.principal;
  if (!me.authenticated || me.token_hash.empty()) return Unauthenticated("log in to change your password");
  auto fail = [&](Status s, Outcome outcome = Outcome::kFailure) {
    audit_.RecordBestEffort(ctx, "user.password_change", "user", me.user_id, outcome);
    return s;
  };
  // The same throttle as logins: the current password is a password guess like any other.
  auto ticket = throttle_.Begin(me.email, ctx.client_ip);
  if (!ticket.ok()) {
    return fail(ticket.status(),
                ticket.status().code() == StatusCode::kResourceExhausted ? Outcome::kDenied : Outcome::kFailure);
  }
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(me.user_id));
  if (!hasher_->Verify(current_password, u.password_hash))
    return fail(InvalidArgument("is not your current password", "current_password"));
  throttle_.Succeeded(*ticket);
  if (Status valid = domain::ValidatePassword(new_password, "new_password"); !valid.ok()) return fail(valid);
  if (new_password == current_password)
    return fail(InvalidArgument("must differ from the current password", "new_password"));
  ASSIGN_OR_RETURN(u.password_hash, hasher_->Hash(new_password));
  u.must_change_password = false;
  u.updated_at_ms = clock_.NowUnixMillis();
  if (Status s = store_.UpdateUser(u); !s.ok()) return fail(s);
  audit_.RecordBestEffort(ctx, "user.password_change", "user", me.user_id, Outcome::kSuccess);
  // Sessions elsewhere end (whoever knew the old password may be logged in); the one that made the change stays.
  RETURN_IF_ERROR(store_.DeleteOtherSessionsOfUser(me.user_id, me.token_hash));
  ForgetSessionsOf(me.user_id);
  RETURN_IF_ERROR(sessions_epoch_.Bump());
  return u;
}

}  // namespace ap::service
