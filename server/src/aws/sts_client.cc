#include "aws/sts_client.h"

#include "aws/wire.h"
#include "aws/xml.h"

namespace ap::aws {
namespace {

constexpr const char* kVersion = "2011-06-15";

CallSpec StsCall(const std::string& action, QueryParams params) {
  CallSpec spec;
  spec.service = AwsService::kSts;
  spec.operation = action;
  params.insert(params.begin(), {{"Action", action}, {"Version", kVersion}});
  spec.body = EncodeForm(params);
  spec.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return spec;
}

// The <Action>Result element of a successful answer.
Result<XmlElement> ResultElement(const HttpResponse& resp, const std::string& action) {
  Result<XmlElement> doc = ParseXml(resp.body);
  if (!doc.ok()) return Internal("sts " + action + ": unreadable response: " + doc.status().message());
  const XmlElement* result = doc->Child(action + "Result");
  if (doc->name != action + "Response" || result == nullptr) {
    return Internal("sts " + action + ": unexpected response document <" + doc->name + ">");
  }
  return *result;
}

}  // namespace

StsClient::StsClient(AwsCaller caller, std::shared_ptr<void> keep_alive)
    : caller_(std::move(caller)), keep_alive_(std::move(keep_alive)) {}

Result<CallerIdentity> StsClient::GetCallerIdentity(const Credentials& creds, const std::string& region) {
  ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, StsCall("GetCallerIdentity", {})));
  ASSIGN_OR_RETURN(XmlElement result, ResultElement(resp, "GetCallerIdentity"));
  CallerIdentity id;
  id.account = result.TextAt({"Account"});
  id.arn = result.TextAt({"Arn"});
  id.user_id = result.TextAt({"UserId"});
  if (id.account.empty() || id.arn.empty()) return Internal("sts GetCallerIdentity: response lacks Account or Arn");
  return id;
}

Result<Credentials> StsClient::AssumeRole(const Credentials& creds, const std::string& region,
                                          const AssumeRoleRequest& request) {
  QueryParams params = {{"RoleArn", request.role_arn},
                        {"RoleSessionName", request.role_session_name},
                        {"DurationSeconds", std::to_string(request.duration_seconds)}};
  if (!request.external_id.empty()) params.emplace_back("ExternalId", request.external_id);
  ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, StsCall("AssumeRole", std::move(params))));
  ASSIGN_OR_RETURN(XmlElement result, ResultElement(resp, "AssumeRole"));
  Credentials out;
  out.access_key_id = result.TextAt({"Credentials", "AccessKeyId"});
  out.secret_access_key = result.TextAt({"Credentials", "SecretAccessKey"});
  out.session_token = result.TextAt({"Credentials", "SessionToken"});
  std::string expiration = result.TextAt({"Credentials", "Expiration"});
  TimePoint t;
  if (out.empty() || out.session_token.empty() || !ParseAwsTimestamp(expiration, &t)) {
    return Internal("sts AssumeRole: response lacks credentials or a valid Expiration");
  }
  out.expiration = t;
  return out;
}

}  // namespace ap::aws
