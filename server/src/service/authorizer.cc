#include "service/authorizer.h"

namespace ap::service {

Authorizer::Authorizer(AccountService& accounts, AuthorizerOptions options) : accounts_(accounts), options_(options) {}

Status Authorizer::Check(const Principal& principal, Access access, const std::string& account_id) {
  if (access == Access::kPublic) return Status::Ok();
  if (!principal.authenticated) return Unauthenticated("log in first");
  switch (access) {
    case Access::kPublic:
    case Access::kAuthenticated:
      return Status::Ok();
    case Access::kAdmin:
      return principal.is_admin() ? Status::Ok() : PermissionDenied("this needs the admin role");
    case Access::kAccountRead: {
      ASSIGN_OR_RETURN(auto account, accounts_.Lookup(account_id));
      if (AccountService::Visible(principal, *account)) return Status::Ok();
      return PermissionDenied("account " + account_id + " is not assigned to any of your teams");
    }
    case Access::kAccountRefresh: {
      ASSIGN_OR_RETURN(auto account, accounts_.Lookup(account_id));
      if (principal.is_admin()) return Status::Ok();
      if (!options_.users_may_refresh) return PermissionDenied("refreshing quotas needs the admin role here");
      if (AccountService::Visible(principal, *account)) return Status::Ok();
      return PermissionDenied("account " + account_id + " is not assigned to any of your teams");
    }
    case Access::kAccountRequest: {
      ASSIGN_OR_RETURN(auto account, accounts_.Lookup(account_id));
      if (principal.is_admin()) return Status::Ok();
      if (!options_.users_may_request || !options_.users_may_refresh)
        return PermissionDenied("requesting quota increases needs the admin role here");
      if (AccountService::Visible(principal, *account)) return Status::Ok();
      return PermissionDenied("account " + account_id + " is not assigned to any of your teams");
    }
    case Access::kAccountWrite: {
      if (!principal.is_admin()) return PermissionDenied("this needs the admin role");
      return accounts_.Lookup(account_id).status();
    }
  }
  return PermissionDenied("not allowed");
}

}  // namespace ap::service
