// /api/admin/onboarding/assume-role: what the add-account form shows for an assume-role account — the platform's
// own principal (STS GetCallerIdentity, cached by service::PlatformIdentity) and the member role's trust and
// permissions policies, the same documents `account-platform iam-policy` prints.
#include "api/api.h"
#include "api/codec.h"

#include <cctype>
#include <map>
#include <string>

namespace ap::api {
namespace {

// The AWS error code at the start of a message ("AccessDenied: ..."), or empty.
std::string LeadingCode(const std::string& message) {
  size_t colon = message.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 64) return "";
  for (size_t i = 0; i < colon; ++i) {
    if (!std::isalnum(static_cast<unsigned char>(message[i])) && message[i] != '.') return "";
  }
  return message.substr(0, colon);
}

Result<http::Response> AssumeRoleOnboarding(Services& s, const ApiOptions& o) {
  json::value principal = nullptr;
  json::value principal_error = nullptr;
  std::map<std::string, std::string> values;
  if (s.platform_identity == nullptr) {
    principal_error = json::object{{"code", "unavailable"}, {"message", "the platform's identity is not configured"}};
  } else {
    Result<service::PlatformPrincipal> p = s.platform_identity->Get();
    if (p.ok()) {
      principal = json::object{{"account", p->account}, {"arn", p->arn}, {"principal_arn", p->principal_arn}};
      values["PlatformRoleArn"] = p->principal_arn;
      values["Partition"] = p->partition;
    } else {
      // Shown in the form as "could not learn the platform's identity", with AWS's text as detail. Not an error
      // of this request: the policies are still useful with the placeholder left in.
      std::string code = LeadingCode(p.status().message());
      principal_error = json::object{{"code", code.empty() ? std::string(StatusCodeName(p.status().code())) : code},
                                     {"message", p.status().message()}};
    }
  }
  json::value policies = o.member_role_policies ? o.member_role_policies(values) : json::value(nullptr);
  auto part = [&](const char* name) -> json::value {
    if (!policies.is_object()) return nullptr;
    const json::value* v = policies.as_object().if_contains(name);
    return v ? *v : json::value(nullptr);
  };
  http::Response resp = JsonResponse(200, json::object{{"platform_principal", std::move(principal)},
                                                       {"principal_error", std::move(principal_error)},
                                                       {"role_name", o.member_role_name},
                                                       {"trust_policy", part("trust_policy")},
                                                       {"permissions_policy", part("read_policy")},
                                                       {"increase_requests_policy", part("increase_requests_policy")}});
  resp.AddHeader("Cache-Control", "no-store");
  return resp;
}

}  // namespace

void AddOnboardingRoutes(Router& r, Services& s, const ApiOptions& o) {
  Route onboarding{"GET",
                   "/api/admin/onboarding/assume-role",
                   service::Access::kAdmin,
                   [&s, &o](Call&) { return AssumeRoleOnboarding(s, o); },
                   "",
                   "The platform's principal and the member role's trust and permissions policies, for the add-account "
                   "form"};
  onboarding.blocking = true;  // STS GetCallerIdentity when the cached identity has expired
  r.Add(std::move(onboarding));
}

}  // namespace ap::api
