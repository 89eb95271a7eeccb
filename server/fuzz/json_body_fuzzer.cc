// Fuzz target: the JSON decoding of every request body.
//
// The input is one request body. It is parsed with api::ParseObject and, when it is an object, decoded as each
// body the API accepts, followed by the domain rules the services apply to the decoded values:
//   POST /api/accounts                      NewAccountFromJson (+ CredentialsFromJson), ValidateAccountId/Name,
//                                           NormalizeRegions, ValidateCredentials, NormalizeIdList
//   PATCH /api/accounts/{id}                AccountPatchFromJson
//   PUT /api/accounts/{id}/contact          ContactInfoFromJson, ValidateContactInfo
//   PUT /api/admin/quota-config             QuotaConfigFromJson, ValidateQuotaConfig
//   POST /api/auth/login                    the ObjectReader calls of auth_routes.cc, NormalizeEmail
//   POST /api/admin/users, PATCH …/{id}     the ObjectReader calls of user_routes.cc, ParseRole, ValidatePassword,
//                                           ValidateTeamId
//   POST /api/admin/teams                   the ObjectReader calls of user_routes.cc
//   POST /api/admin/quota/refresh-all       the ObjectReader calls of fleet_routes.cc
// (The inline decoders of the route files are mirrored here; http_request_fuzzer runs the real handlers.)
//
// Checked beyond "no crash, no sanitizer report": decoded credentials survive EncodeCredentials/DecodeCredentials
// unchanged, and every decode error is InvalidArgument.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/codec.h"
#include "api/json.h"
#include "domain/account.h"
#include "domain/quota_config.h"
#include "domain/user.h"
#include "fuzz_check.h"

namespace {

using ap::StatusCode;
namespace api = ap::api;
namespace domain = ap::domain;

using ap::fuzz::Check;

// A decode error must be a validation error (400/422), never anything that maps to 500.
template <class T>
bool Decoded(const ap::Result<T>& r) {
  if (!r.ok()) Check(r.status().code() == StatusCode::kInvalidArgument, "a decoder failed with a non-validation code");
  return r.ok();
}

void CheckCredentials(const domain::Credentials& c) {
  (void)domain::ValidateCredentials(c);
  (void)domain::MaskAccessKeyId(c.access_key_id);
  auto round = domain::DecodeCredentials(domain::EncodeCredentials(c));
  Check(round.ok(), "EncodeCredentials output does not decode");
  Check(round->type == c.type && round->access_key_id == c.access_key_id &&
            round->secret_access_key == c.secret_access_key && round->session_token == c.session_token &&
            round->role_arn == c.role_arn && round->external_id == c.external_id,
        "credentials changed in an Encode/Decode round trip");
}

void CheckStringList(std::optional<std::vector<std::string>> list) {
  if (!list) return;
  for (const auto& t : *list) (void)domain::ValidateTeamId(t);
  domain::NormalizeIdList(&*list);
}

void DecodeAll(const api::json::object& body) {
  if (auto a = api::NewAccountFromJson(body); Decoded(a)) {
    (void)domain::ValidateAccountName(a->account_name);
    (void)domain::ValidateAccountId(a->account_id);
    if (a->regions) (void)domain::NormalizeRegions(&*a->regions);
    CheckStringList(a->teams);
    CheckCredentials(a->credentials);
  }
  if (auto p = api::AccountPatchFromJson(body); Decoded(p)) {
    if (p->regions) (void)domain::NormalizeRegions(&*p->regions);
    CheckStringList(p->teams);
    if (p->credentials) CheckCredentials(*p->credentials);
  }
  if (auto c = api::ContactInfoFromJson(body); Decoded(c)) (void)domain::ValidateContactInfo(*c);
  int64_t version = 0;
  if (auto q = api::QuotaConfigFromJson(body, &version); Decoded(q)) {
    (void)domain::ValidateQuotaConfig(*q);
    for (const auto& m : q->models) (void)domain::QuotaFieldPrefix(m.model_id);
  }
  if (auto c = api::CredentialsFromJson(body, ""); Decoded(c)) CheckCredentials(*c);

  api::ObjectReader in(body);
  // Login.
  if (auto email = in.String("email"); Decoded(email)) (void)domain::NormalizeEmail(*email);
  (void)Decoded(in.String("password"));
  // Users.
  if (auto role = in.OptString("role"); Decoded(role) && *role) (void)domain::ParseRole(**role);
  if (auto password = in.OptString("password"); Decoded(password) && *password)
    (void)domain::ValidatePassword(**password);
  if (auto teams = in.OptStringList("teams"); Decoded(teams)) CheckStringList(*teams);
  (void)Decoded(in.OptBool("disabled"));
  // Teams.
  if (auto id = in.String("team_id"); Decoded(id)) (void)domain::ValidateTeamId(*id);
  (void)Decoded(in.OptString("name"));
  // Fleet refresh.
  (void)Decoded(in.OptString("team"));
  (void)Decoded(in.OptString("region"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto obj = api::ParseObject(body);
  if (!obj.ok()) {
    Check(obj.status().code() == StatusCode::kInvalidArgument && obj.status().field() == api::kMalformedBody,
          "a malformed body is not reported as (body)");
    return 0;
  }
  DecodeAll(*obj);
  return 0;
}
