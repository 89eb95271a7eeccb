// Endpoints: where each service is called and how requests to it are signed.
//
// Defaults (the "aws" partition; regions starting "cn-" use the "aws-cn" suffix amazonaws.com.cn):
//   sts            https://sts.<region>.amazonaws.com             signed for <region>
//   servicequotas  https://servicequotas.<region>.amazonaws.com   signed for <region>
//   account        https://account.us-east-1.amazonaws.com        global; always signed for us-east-1
//                  (aws-cn: account.cn-northwest-1.amazonaws.com.cn, signed for cn-northwest-1)
//   dynamodb       https://dynamodb.<region>.amazonaws.com        signed for <region>
//   kms            https://kms.<region>.amazonaws.com             signed for <region>
//   monitoring     https://monitoring.<region>.amazonaws.com      signed for <region> (CloudWatch)
//   sns            https://sns.<region>.amazonaws.com             signed for <region>
//   organizations  https://organizations.us-east-1.amazonaws.com  global; always signed for us-east-1
//                  (aws-cn: organizations.cn-northwest-1.amazonaws.com.cn, signed for cn-northwest-1)
//
// Overrides, as in the AWS SDKs ("Service-specific endpoints"): AWS_ENDPOINT_URL_<SERVICE> (SERVICE = STS,
// SERVICE_QUOTAS, ACCOUNT, DYNAMODB, KMS,
// CLOUDWATCH, SNS, ORGANIZATIONS), else AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
// true. An override changes the URL only; the signing region stays as above. Override URLs may carry a base path;
// plain http is accepted for loopback hosts only (the simulator), anything else must be https.
//
// Thread safety: immutable after Create(); Resolve() is safe from many threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "common/status.h"

namespace ap::aws {

enum class AwsService { kSts, kServiceQuotas, kAccount, kDynamoDb, kKms, kCloudWatch, kSns, kOrganizations };
constexpr size_t kAwsServiceCount = 8;

// "sts", "servicequotas", "account", "dynamodb", "kms", "monitoring", "sns", "organizations" (the SigV4 signing
// name).
std::string_view SigningName(AwsService service);
// "STS", "SERVICE_QUOTAS", "ACCOUNT", "DYNAMODB", "KMS", "CLOUDWATCH", "SNS", "ORGANIZATIONS" (the
// AWS_ENDPOINT_URL_<SERVICE> suffix).
std::string_view EnvSuffix(AwsService service);

struct Endpoint {
  std::string scheme;  // "https" (or "http" for a loopback override)
  std::string host;
  uint16_t port = 0;      // 0 = default
  std::string base_path;  // "" or "/prefix" (no trailing slash)
  std::string signing_region;
  std::string signing_service;
};

// True for AWS region names: 1-32 characters of [a-z0-9-], starting with a letter.
bool IsValidRegion(std::string_view region);

class EndpointResolver {
 public:
  // Reads the overrides from `env`. InvalidArgument (naming the variable) when an override is not an absolute
  // http(s) URL, or uses plain http to a host other than loopback.
  static Result<EndpointResolver> Create(const Environment& env);

  // The endpoint for `service` in `region`. InvalidArgument when the region is not a valid region name.
  Result<Endpoint> Resolve(AwsService service, std::string_view region) const;

 private:
  EndpointResolver() = default;
  std::array<std::optional<Endpoint>, kAwsServiceCount> overrides_;
};

}  // namespace ap::aws
