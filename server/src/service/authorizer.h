// Authorizer: the one place that decides whether a principal may use a route. The api router declares an
// Access level per route and asks here before any handler runs; handlers never check roles by hand.
//
// Thread safety: safe from any thread.
#pragma once

#include <string>

#include "common/status.h"
#include "service/account_service.h"
#include "service/context.h"

namespace ap::service {

enum class Access {
  kPublic,          // anyone, logged in or not (health, login, API description)
  kAuthenticated,   // any logged-in user
  kAdmin,           // admins only
  kAccountRead,     // admins, or users of a team the account {id} is assigned to
  kAccountWrite,    // admins only, and the account {id} must exist (404 before 403 for admins)
  kAccountRefresh,  // admins; users of the account's teams too unless AuthorizerOptions::users_may_refresh is off
  // Quota increase requests (send, check, sync) for the account {id}: admins; users of the account's teams only
  // when AuthorizerOptions::users_may_request is on (and users_may_refresh is not off).
  kAccountRequest,
};

struct AuthorizerOptions {
  // Whether users may refresh the quotas of their teams' accounts (admins always may).
  bool users_may_refresh = true;
  // Whether users may request quota increases (and check / sync them) for their teams' accounts
  // (--users-may-request, AP_USERS_MAY_REQUEST). Default off: admins only.
  bool users_may_request = false;
};

class Authorizer {
 public:
  Authorizer(AccountService& accounts, AuthorizerOptions options);

  // OK when allowed. Unauthenticated when a login is needed; PermissionDenied when the principal may not;
  // NotFound when `account_id` names no account (for account-scoped access). REQUIRES: account_id set for
  // the account-scoped levels.
  Status Check(const Principal& principal, Access access, const std::string& account_id = {});

  const AuthorizerOptions& options() const { return options_; }

 private:
  AccountService& accounts_;
  AuthorizerOptions options_;
};

}  // namespace ap::service
