// /api/admin/organizations/*: onboarding the accounts of an AWS organization through a registered management (or
// delegated administrator) account (service/organization_onboarding.h). Admins only; both routes call AWS and run on
// the AWS worker pool.
#include "api/api.h"
#include "api/codec.h"
#include "service/organization_onboarding.h"

namespace ap::api {
namespace {

// The error of one account's outcome, in the shape of the standard error body's "error" member (without the request
// id, which is the response's). Internal errors never echo their text.
json::object OutcomeError(const Status& s) {
  std::string_view code = "internal";
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      code = "validation_failed";
      break;
    case StatusCode::kNotFound:
      code = "not_found";
      break;
    case StatusCode::kAlreadyExists:
      code = "already_exists";
      break;
    case StatusCode::kFailedPrecondition:
      code = "conflict";
      break;
    case StatusCode::kUnauthenticated:
      code = "unauthenticated";
      break;
    case StatusCode::kPermissionDenied:
      code = "forbidden";
      break;
    case StatusCode::kResourceExhausted:
      code = "rate_limited";
      break;
    case StatusCode::kUnavailable:
      code = "unavailable";
      break;
    case StatusCode::kDeadlineExceeded:
      code = "timeout";
      break;
    case StatusCode::kInternal:
    case StatusCode::kOk:
      break;
  }
  json::object e{{"code", code}, {"message", code == "internal" ? std::string("internal error") : s.message()}};
  e["field"] = s.field().empty() ? json::value(nullptr) : json::value(s.field());
  return e;
}

json::object MemberToJson(const service::OrganizationMember& m) {
  return {{"account_id", m.account_id},
          {"name", m.name},
          {"email", m.email},
          {"status", m.status.empty() ? json::value(nullptr) : json::value(m.status)},
          {"joined_method", m.joined_method.empty() ? json::value(nullptr) : json::value(m.joined_method)},
          {"joined_at", m.joined_at_ms ? TimeOrNull(*m.joined_at_ms) : json::value(nullptr)},
          {"ou_id", m.ou_id.empty() ? json::value(nullptr) : json::value(m.ou_id)},
          {"ou_path", m.ou_path.empty() ? json::value(nullptr) : json::value(m.ou_path)},
          {"registered", m.platform_status.has_value()},
          {"platform_status",
           m.platform_status ? json::value(domain::AccountStatusName(*m.platform_status)) : json::value(nullptr)}};
}

Result<http::Response> ListOrganization(service::OrganizationOnboarding& o, Call& c) {
  service::OrganizationQuery q;
  const std::string registered = c.request.QueryParam("registered");
  if (registered == "true") {
    q.registered = true;
  } else if (registered == "false") {
    q.registered = false;
  } else if (!registered.empty()) {
    return InvalidArgument("must be true or false", "registered");
  }
  q.cursor = c.request.QueryParam("cursor");
  ASSIGN_OR_RETURN(q.page_size, IntParam(c.request, "page_size", 100));
  ASSIGN_OR_RETURN(service::OrganizationPage page, o.List(c.ctx, c.id, q));
  json::array items;
  for (const auto& m : page.items) items.push_back(MemberToJson(m));
  return JsonResponse(200, json::object{{"management_account_id", page.management_account_id},
                                        {"organization_accounts", page.organization_accounts},
                                        {"listed_at", TimeOrNull(page.listed_at_ms)},
                                        {"items", std::move(items)},
                                        {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)},
                                        {"page_size", q.page_size}});
}

Result<service::OrganizationRegistration> RegistrationFromJson(const json::object& obj) {
  ObjectReader r(obj);
  service::OrganizationRegistration out;
  ASSIGN_OR_RETURN(auto ids, r.OptStringList("account_ids"));
  if (!ids) return InvalidArgument("required: the ids of the accounts to register", "account_ids");
  out.account_ids = std::move(*ids);
  ASSIGN_OR_RETURN(auto role, r.OptString("role_name"));
  if (role) out.role_name = std::move(*role);
  ASSIGN_OR_RETURN(auto external_id, r.OptString("external_id"));
  out.external_id = external_id.value_or("");
  ASSIGN_OR_RETURN(auto teams, r.OptStringList("teams"));
  out.teams = teams.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(out.regions, r.OptStringList("regions"));
  return out;
}

Result<http::Response> RegisterSelection(Services& s, service::OrganizationOnboarding& o, Call& c) {
  ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
  ASSIGN_OR_RETURN(service::OrganizationRegistration req, RegistrationFromJson(body));
  ASSIGN_OR_RETURN(std::vector<service::RegistrationOutcome> outcomes, o.Register(c.ctx, c.id, std::move(req)));
  json::array results;
  int64_t registered = 0, already = 0, failed = 0;
  for (const auto& out : outcomes) {
    json::object item{{"account_id", out.account_id}, {"result", service::RegistrationResultName(out.result)}};
    item["error"] = out.result == service::RegistrationResult::kFailed ? json::value(OutcomeError(out.error))
                                                                       : json::value(nullptr);
    item["account"] = out.account ? json::value(AccountToJson(*out.account)) : json::value(nullptr);
    results.push_back(std::move(item));
    if (out.result == service::RegistrationResult::kRegistered) {
      ++registered;
      // As for POST /api/accounts: the first refresh of every region runs in the background.
      if (s.refresher) {
        for (const std::string& region : out.account->regions)
          s.refresher->RefreshAsync(c.ctx, out.account->account_id, region,
                                    [](const Result<service::RefreshReport>&) {});
      }
    } else if (out.result == service::RegistrationResult::kAlreadyRegistered) {
      ++already;
    } else {
      ++failed;
    }
  }
  return JsonResponse(200, json::object{{"management_account_id", c.id},
                                        {"registered", registered},
                                        {"already_registered", already},
                                        {"failed", failed},
                                        {"results", std::move(results)}});
}

}  // namespace

void AddOrganizationRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET",
         "/api/admin/organizations/{id}/accounts",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           if (!s.organizations) return Unavailable("AWS Organizations is not configured on this server");
           return ListOrganization(*s.organizations, c);
         },
         "organization.list",
         "The accounts of the AWS organization read through registered account {id} (management or delegated "
         "admin): AWS status, OU path, registered here; registered=true|false, cursor, page_size",
         {},
         true});
  r.Add({"POST",
         "/api/admin/organizations/{id}/register",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           if (!s.organizations) return Unavailable("AWS Organizations is not configured on this server");
           return RegisterSelection(s, *s.organizations, c);
         },
         "organization.register",
         "Register up to 100 accounts of the organization through a role name and external id, each checked with "
         "STS; one outcome per account",
         {},
         true});
}

}  // namespace ap::api
