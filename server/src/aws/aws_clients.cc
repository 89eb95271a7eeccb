#include "aws/aws_clients.h"

#include "aws/account_client.h"
#include "aws/aws_caller.h"
#include "aws/cloudwatch_client.h"
#include "aws/curl_transport.h"
#include "aws/dynamodb_client.h"
#include "aws/endpoints.h"
#include "aws/kms_client.h"
#include "aws/organizations_client.h"
#include "aws/profile_credentials_provider.h"
#include "aws/rate_limiter.h"
#include "aws/service_quotas_client.h"
#include "aws/sigv4_signer.h"
#include "aws/sns_client.h"
#include "aws/sts_client.h"

namespace ap::aws {
namespace {

// The plumbing the clients share; each client holds a shared_ptr to it, so it lives as long as any of them.
struct Runtime {
  std::shared_ptr<Transport> transport;
  std::unique_ptr<SigV4Signer> signer;
  std::unique_ptr<EndpointResolver> endpoints;
  std::unique_ptr<RateLimiter> rate_limiter;
  // One retry strategy (and so one retry quota) per client, as in the AWS SDKs.
  std::unique_ptr<RetryStrategy> sts_retry;
  std::unique_ptr<RetryStrategy> quotas_retry;
  std::unique_ptr<RetryStrategy> account_retry;
  std::unique_ptr<RetryStrategy> dynamodb_retry;
  std::unique_ptr<RetryStrategy> kms_retry;
  std::unique_ptr<RetryStrategy> cloudwatch_retry;
  std::unique_ptr<RetryStrategy> sns_retry;
  std::unique_ptr<RetryStrategy> organizations_retry;
};

// Owns the metadata transport for as long as the chain lives.
class OwningProvider final : public CredentialsProvider {
 public:
  OwningProvider(std::shared_ptr<Transport> transport, std::unique_ptr<CredentialsProvider> inner)
      : transport_(std::move(transport)), inner_(std::move(inner)) {}
  Result<Credentials> Get() override { return inner_->Get(); }

 private:
  std::shared_ptr<Transport> transport_;  // declared first: destroyed after the providers that use it
  std::unique_ptr<CredentialsProvider> inner_;
};

}  // namespace

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const Environment& env,
                                                                 std::shared_ptr<Transport> metadata_transport,
                                                                 const Clock& clock,
                                                                 std::string container_credentials_base,
                                                                 ImdsOptions imds) {
  std::vector<CredentialsProviderChain::Link> links;
  links.push_back({"environment", std::make_unique<EnvironmentCredentialsProvider>(env)});
  links.push_back({"profile", std::make_unique<ProfileCredentialsProvider>(env)});
  links.push_back({"container", std::make_unique<ContainerCredentialsProvider>(*metadata_transport, env,
                                                                               std::move(container_credentials_base))});
  links.push_back(
      {"imds", std::make_unique<InstanceProfileCredentialsProvider>(*metadata_transport, env, std::move(imds))});
  auto chain = std::make_unique<CredentialsProviderChain>(std::move(links));
  auto cached = std::make_unique<CachingCredentialsProvider>(std::move(chain), clock);
  return std::make_unique<OwningProvider>(std::move(metadata_transport), std::move(cached));
}

Result<AwsClients> MakeAwsClients(const AwsClientOptions& options, Clock& clock, Random& random) {
  auto rt = std::make_shared<Runtime>();
  Sleeper& sleeper = options.sleeper != nullptr ? *options.sleeper : RealSleeper::Instance();

  ASSIGN_OR_RETURN(EndpointResolver endpoints, EndpointResolver::Create(options.env));
  rt->endpoints = std::make_unique<EndpointResolver>(std::move(endpoints));

  RetryOptions retry = options.retry;
  if (options.max_attempts > 0) {
    retry.max_attempts = options.max_attempts;
  } else {
    ASSIGN_OR_RETURN(retry, RetryOptionsFromEnvironment(options.env, retry));
  }

  if (options.transport != nullptr) {
    rt->transport = options.transport;
  } else {
    CurlTransportOptions t;
    t.connect_timeout = options.connect_timeout;
    t.total_timeout = options.total_timeout;
    t.max_response_bytes = options.max_response_bytes;
    t.reuse_connections = options.reuse_connections;
    t.ca_file = options.ca_file;
    ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> curl, CurlTransport::Create(std::move(t)));
    rt->transport = std::move(curl);
  }
  std::shared_ptr<Transport> metadata = options.metadata_transport;
  if (metadata == nullptr) {
    ASSIGN_OR_RETURN(std::unique_ptr<CurlTransport> curl, CurlTransport::Create(MetadataTransportOptions()));
    metadata = std::move(curl);
  }

  rt->signer = std::make_unique<SigV4Signer>(clock);
  if (options.rate_limits) {
    RateLimiterOptions limits;
    limits.headroom = options.rate_limit_headroom;
    rt->rate_limiter = std::make_unique<RateLimiter>(clock, sleeper, std::move(limits));
  }
  rt->sts_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);
  rt->quotas_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);
  rt->account_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);
  rt->kms_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);
  rt->cloudwatch_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);
  rt->sns_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);
  rt->organizations_retry = std::make_unique<RetryStrategy>(retry, random, sleeper);

  RetryOptions dynamodb_retry = retry;
  dynamodb_retry.max_attempts = std::max(retry.max_attempts, 10);
  dynamodb_retry.transient_base = std::chrono::milliseconds(50);
  dynamodb_retry.throttling_base = std::chrono::milliseconds(50);
  dynamodb_retry.max_backoff = std::chrono::seconds(5);
  rt->dynamodb_retry = std::make_unique<RetryStrategy>(dynamodb_retry, random, sleeper);

  auto caller = [&](RetryStrategy& r) {
    return AwsCaller(*rt->transport, *rt->signer, *rt->endpoints, r, rt->rate_limiter.get(), options.observer);
  };
  AwsClients out;
  out.sts = std::make_unique<StsClient>(caller(*rt->sts_retry), rt);
  out.service_quotas = std::make_unique<ServiceQuotasClient>(caller(*rt->quotas_retry), rt);
  out.account = std::make_unique<AccountClient>(caller(*rt->account_retry), rt);
  out.cloudwatch = std::make_unique<CloudWatchClient>(caller(*rt->cloudwatch_retry), rt);
  out.organizations = std::make_unique<OrganizationsClient>(caller(*rt->organizations_retry), rt);
  // SNS's Publish quotas are far above alert traffic: no client-side limit.
  out.sns = std::make_unique<SnsClient>(
      AwsCaller(*rt->transport, *rt->signer, *rt->endpoints, *rt->sns_retry, nullptr, options.observer), rt);
  // The DynamoDB store calls DynamoDB constantly: no client-side rate limit (its limits are the table's capacity).
  out.dynamodb = [rt, observer = options.observer](CredentialsProvider& credentials,
                                                   std::string region) -> std::unique_ptr<DynamoDb> {
    AwsCaller dynamodb_caller(*rt->transport, *rt->signer, *rt->endpoints, *rt->dynamodb_retry, nullptr, observer);
    return std::make_unique<DynamoDbClient>(std::move(dynamodb_caller), credentials, std::move(region), rt);
  };
  // KMS's request quotas are shared per account and region and far above what sealing credentials needs (data
  // keys are cached by the sealer): no client-side limit.
  out.kms = [rt, observer = options.observer](CredentialsProvider& credentials,
                                              std::string region) -> std::unique_ptr<Kms> {
    AwsCaller kms_caller(*rt->transport, *rt->signer, *rt->endpoints, *rt->kms_retry, nullptr, observer);
    return std::make_unique<KmsClient>(std::move(kms_caller), credentials, std::move(region), rt);
  };
  ImdsOptions imds;
  imds.endpoint = options.imds_endpoint;
  out.default_credentials = MakeDefaultCredentialsChain(options.env, std::move(metadata), clock,
                                                        options.container_credentials_base, std::move(imds));
  return out;
}

}  // namespace ap::aws
