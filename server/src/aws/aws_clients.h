// The factory app/ calls to get the AWS clients: MakeAwsClients(options, clock, random) builds the transport,
// signer, endpoint resolver, retry strategies and rate limiter once and returns the service clients (as the
// interfaces of clients.h), the platform's default credentials chain, and factories for the clients the platform
// uses with its own identity (DynamoDB, KMS).
//
// What the clients do on every call: resolve the endpoint (AWS_ENDPOINT_URL* overrides honoured), wait for the
// client-side rate limit of (access key, region, operation), sign with SigV4, send over libcurl with connection
// reuse, parse AWS errors, retry throttling and transient failures ("standard" mode, per-client retry quota).
//
// Thread safety: the returned objects are safe to use from many threads. Ownership: AwsClients owns everything it
// returns (each client keeps the shared plumbing alive); `clock` and `random` are referenced and must outlive it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "aws/clients.h"
#include "aws/credentials_provider.h"
#include "aws/dynamodb.h"
#include "aws/environment.h"
#include "aws/metadata_credentials_provider.h"
#include "aws/retry.h"
#include "aws/sleeper.h"
#include "aws/transport.h"
#include "common/clock.h"
#include "common/random.h"

namespace ap::aws {

struct AwsClientOptions {
  // Environment consulted for AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, AWS_MAX_ATTEMPTS and the default
  // credentials chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, HOME, AWS_CONTAINER_*, AWS_EC2_METADATA_*). app/ passes
  // ProcessEnvironment(); tests pass a map. Default empty.
  Environment env;
  // TCP+TLS connect timeout per attempt. Default 3 s.
  Duration connect_timeout = std::chrono::seconds(3);
  // Whole-request timeout per attempt. Default 15 s.
  Duration total_timeout = std::chrono::seconds(15);
  // Attempts per call including the first; 0 = AWS_MAX_ATTEMPTS from env, else 3.
  int max_attempts = 0;
  // Client-side rate limits at AWS's published API rates (see rate_limiter.h). Default on.
  bool rate_limits = true;
  // Fraction of the published rate the limiter uses (see rate_limiter.h). Default 0.9.
  double rate_limit_headroom = 0.9;
  // Keep connections open between calls. Default true (false only for benchmarks).
  bool reuse_connections = true;
  // Larger responses fail. Default 20 MiB: DynamoDB's BatchGetItem answers up to 16 MB (the other APIs' answers
  // are far smaller).
  size_t max_response_bytes = size_t{20} * 1024 * 1024;
  // CA bundle; empty = the system store. Default empty.
  std::string ca_file;
  // Backoff bases and retry quota (max_attempts here is ignored: see above). Default: standard mode.
  RetryOptions retry;

  // Told about every finished call (for metrics); empty = nobody. See aws_caller.h.
  std::function<void(std::string_view service, std::string_view operation, std::string_view outcome, int attempts,
                     double seconds)>
      observer;

  // Seams for tests and special wiring (leave unset in production):
  // The transport for API calls; null = a CurlTransport from the fields above.
  std::shared_ptr<Transport> transport;
  // The transport for the container / IMDS credential endpoints; null = CurlTransport(MetadataTransportOptions()).
  std::shared_ptr<Transport> metadata_transport;
  // How to wait (backoff, rate limits); null = RealSleeper. Must outlive the clients.
  Sleeper* sleeper = nullptr;
  // Base URL for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI. Default http://169.254.170.2.
  std::string container_credentials_base = "http://169.254.170.2";
  // IMDS base URL; empty = AWS_EC2_METADATA_SERVICE_ENDPOINT or http://169.254.169.254.
  std::string imds_endpoint;
};

struct AwsClients {
  std::unique_ptr<Sts> sts;
  std::unique_ptr<ServiceQuotas> service_quotas;
  std::unique_ptr<AccountApi> account;
  // CloudWatch (GetMetricData, ListMetrics) for any account and region: like service_quotas, each call names the
  // credentials (an account's assumed role) and the region. Rate-limited at CloudWatch's published rates, its own
  // retry strategy (the standard mode's).
  std::unique_ptr<CloudWatch> cloudwatch;
  // Amazon SNS Publish (alert delivery), any credentials and region per call; its own retry strategy (the standard
  // mode's), no client-side rate limit.
  std::unique_ptr<Sns> sns;
  // AWS Organizations (read side, onboarding) with a management / delegated-admin account's credentials per call;
  // rate-limited (see rate_limiter.h), its own retry strategy (the standard mode's).
  std::unique_ptr<Organizations> organizations;
  // The platform's own identity (for AssumeRoleProvider): environment → shared files → container → IMDS, cached
  // and refreshed 5 minutes before expiry. Nothing is contacted until the first Get().
  std::unique_ptr<CredentialsProvider> default_credentials;
  // Makes a DynamoDB client for `region` signing with `credentials` (which must outlive it), sharing the plumbing
  // above with its own retry strategy: up to 10 attempts, back-off from 50 ms (DynamoDB throttles in
  // milliseconds, not seconds). Safe to call from any thread.
  std::function<std::unique_ptr<DynamoDb>(CredentialsProvider& credentials, std::string region)> dynamodb;
  // Makes a KMS client for `region` signing with `credentials` (which must outlive it), sharing the plumbing above
  // with its own retry strategy (the standard mode's). Safe to call from any thread.
  std::function<std::unique_ptr<Kms>(CredentialsProvider& credentials, std::string region)> kms;
};

// Returns the clients. InvalidArgument (naming the variable) for a bad AWS_ENDPOINT_URL* or AWS_MAX_ATTEMPTS;
// Internal when libcurl cannot be initialised.
Result<AwsClients> MakeAwsClients(const AwsClientOptions& options, Clock& clock, Random& random);

// The default chain on its own (MakeAwsClients uses it). Keeps `metadata_transport` alive.
std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(
    const Environment& env, std::shared_ptr<Transport> metadata_transport, const Clock& clock,
    std::string container_credentials_base = "http://169.254.170.2", ImdsOptions imds = {});

}  // namespace ap::aws
