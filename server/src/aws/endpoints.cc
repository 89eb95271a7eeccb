#include "aws/endpoints.h"

#include <cctype>

#include "aws/http_request.h"

namespace ap::aws {
namespace {

constexpr std::array<AwsService, kAwsServiceCount> kAll = {
    AwsService::kSts, AwsService::kServiceQuotas, AwsService::kAccount, AwsService::kDynamoDb,
    AwsService::kKms, AwsService::kCloudWatch,    AwsService::kSns,     AwsService::kOrganizations};

Result<Endpoint> ParseOverride(std::string_view var, const std::string& url) {
  Result<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed.ok()) return InvalidArgument(std::string(var) + ": " + parsed.status().message(), std::string(var));
  if (parsed->scheme == "http" && !IsLoopbackHost(parsed->host)) {
    return InvalidArgument(std::string(var) + ": plain http is only allowed to loopback hosts (use https): " + url,
                           std::string(var));
  }
  if (!parsed->query.empty()) {
    return InvalidArgument(std::string(var) + ": an endpoint URL may not have a query: " + url, std::string(var));
  }
  Endpoint e;
  e.scheme = parsed->scheme;
  e.host = parsed->host;
  e.port = parsed->port;
  e.base_path = parsed->path;
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  return e;
}

}  // namespace

std::string_view SigningName(AwsService service) {
  switch (service) {
    case AwsService::kSts:
      return "sts";
    case AwsService::kServiceQuotas:
      return "servicequotas";
    case AwsService::kAccount:
      return "account";
    case AwsService::kDynamoDb:
      return "dynamodb";
    case AwsService::kKms:
      return "kms";
    case AwsService::kCloudWatch:
      return "monitoring";
    case AwsService::kSns:
      return "sns";
    case AwsService::kOrganizations:
      return "organizations";
  }
  return "";
}

std::string_view EnvSuffix(AwsService service) {
  switch (service) {
    case AwsService::kSts:
      return "STS";
    case AwsService::kServiceQuotas:
      return "SERVICE_QUOTAS";
    case AwsService::kAccount:
      return "ACCOUNT";
    case AwsService::kDynamoDb:
      return "DYNAMODB";
    case AwsService::kKms:
      return "KMS";
    case AwsService::kCloudWatch:
      return "CLOUDWATCH";
    case AwsService::kSns:
      return "SNS";
    case AwsService::kOrganizations:
      return "ORGANIZATIONS";
  }
  return "";
}

bool IsValidRegion(std::string_view region) {
  if (region.empty() || region.size() > 32 || !std::islower(static_cast<unsigned char>(region[0]))) return false;
  for (char c : region) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

Result<EndpointResolver> EndpointResolver::Create(const Environment& env) {
  EndpointResolver resolver;
  if (EnvFlag(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) return resolver;
  std::string global = GetEnv(env, "AWS_ENDPOINT_URL");
  for (AwsService s : kAll) {
    std::string var = "AWS_ENDPOINT_URL_" + std::string(EnvSuffix(s));
    std::string url = GetEnv(env, var);
    if (url.empty()) {
      if (global.empty()) continue;
      var = "AWS_ENDPOINT_URL";
      url = global;
    }
    ASSIGN_OR_RETURN(Endpoint e, ParseOverride(var, url));
    resolver.overrides_[static_cast<size_t>(s)] = std::move(e);
  }
  return resolver;
}

Result<Endpoint> EndpointResolver::Resolve(AwsService service, std::string_view region) const {
  if (!IsValidRegion(region)) return InvalidArgument("invalid AWS region '" + std::string(region) + "'", "region");
  const bool china = region.starts_with("cn-");
  const std::string suffix = china ? "amazonaws.com.cn" : "amazonaws.com";
  Endpoint e;
  e.scheme = "https";
  e.signing_service = std::string(SigningName(service));
  if (service == AwsService::kAccount || service == AwsService::kOrganizations) {
    // A global service: one endpoint per partition, signed for the partition's home region.
    e.signing_region = china ? "cn-northwest-1" : "us-east-1";
    e.host = e.signing_service + "." + e.signing_region + "." + suffix;
  } else {
    e.signing_region = std::string(region);
    e.host = e.signing_service + "." + std::string(region) + "." + suffix;
  }
  if (const auto& o = overrides_[static_cast<size_t>(service)]; o.has_value()) {
    e.scheme = o->scheme;
    e.host = o->host;
    e.port = o->port;
    e.base_path = o->base_path;
  }
  return e;
}

}  // namespace ap::aws
