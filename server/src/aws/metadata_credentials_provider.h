// Credentials from the compute platform's metadata endpoints: ECS/EKS container credentials and EC2 instance
// metadata (IMDSv2). Both fetch over a Transport that must allow plain http to the link-local hosts (see
// MetadataTransportOptions()); endpoints are injectable so tests use a loopback fake server.
//
// Neither caches: wrap them in CachingCredentialsProvider (MakeDefaultCredentialsChain does), which refreshes the
// temporary credentials ahead of their Expiration.
//
// Thread safety: safe from many threads (no mutable state). Ownership: keep a reference to the Transport, which must
// outlive them.
#pragma once

#include <string>
#include <string_view>

#include "aws/clients.h"
#include "aws/curl_transport.h"
#include "aws/environment.h"
#include "aws/transport.h"

namespace ap::aws {

// Options for the CurlTransport the metadata providers use: short timeouts (1 s connect, 3 s total), no proxy, plain
// http allowed to 169.254.170.2, 169.254.170.23, fd00:ec2::23 (containers) and 169.254.169.254, fd00:ec2::254 (IMDS).
CurlTransportOptions MetadataTransportOptions();

// Parses the credentials document both endpoints return:
// {"AccessKeyId","SecretAccessKey","Token","Expiration":"2026-11-28T14:20:41Z"[,"Code":"Success"]}.
// Unavailable (naming `source`) when it is malformed, lacks the keys, or Code is present and not "Success".
Result<Credentials> ParseMetadataCredentials(std::string_view body, std::string_view source);

// ECS / EKS Pod Identity container credentials.
//  - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: GET <relative_base><uri>; relative_base defaults to
//    http://169.254.170.2 (injectable for tests).
//  - else AWS_CONTAINER_CREDENTIALS_FULL_URI: https anywhere; plain http only to loopback or the container hosts.
//  - Authorization header: the contents of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every fetch, trimmed),
//    else AWS_CONTAINER_AUTHORIZATION_TOKEN.
class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  ContainerCredentialsProvider(Transport& transport, const Environment& env,
                               std::string relative_base = "http://169.254.170.2");

  // Unauthenticated when neither URI variable is set or the full URI is not allowed; Unavailable /
  // DeadlineExceeded when the endpoint cannot be reached or answers non-200 or garbage; Internal when the token
  // file cannot be read.
  Result<Credentials> Get() override;

 private:
  Transport& transport_;
  std::string relative_uri_;
  std::string full_uri_;
  std::string token_;
  std::string token_file_;
  std::string relative_base_;
};

struct ImdsOptions {
  // Base URL; empty = AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254.
  std::string endpoint;
  // Lifetime asked for the IMDSv2 session token. Default 6 hours (the maximum).
  int token_ttl_seconds = 21600;
};

// EC2 instance metadata, IMDSv2: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds), then
// GET /latest/meta-data/iam/security-credentials/ (the role name) and GET …/<role>, both with
// X-aws-ec2-metadata-token. When the token PUT answers 404/405 (an IMDSv1-only endpoint) the GETs go without a
// token, unless AWS_EC2_METADATA_V1_DISABLED is true. AWS_EC2_METADATA_DISABLED=true turns the provider off.
class InstanceProfileCredentialsProvider final : public CredentialsProvider {
 public:
  InstanceProfileCredentialsProvider(Transport& transport, const Environment& env, ImdsOptions options = {});

  // Unauthenticated when disabled, when the token PUT is refused (403), or no role is attached (404);
  // Unavailable / DeadlineExceeded when IMDS cannot be reached (not on EC2) or answers garbage.
  Result<Credentials> Get() override;

 private:
  Transport& transport_;
  bool disabled_;
  bool v1_disabled_;
  std::string endpoint_;
  ImdsOptions options_;
};

}  // namespace ap::aws
