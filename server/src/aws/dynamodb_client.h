// DynamoDbClient: DynamoDb (dynamodb.h) over an AwsCaller — signed with SigV4 (service "dynamodb"), retried by
// its own RetryStrategy (throttling: ProvisionedThroughputExceededException, ThrottlingException,
// RequestLimitExceeded; transient 5xx and connection failures), with credentials from a CredentialsProvider
// (the platform's own chain) for one region. The endpoint honours AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h); `credentials` is
// referenced and must outlive the client.
#pragma once

#include <memory>
#include <string>

#include "aws/aws_caller.h"
#include "aws/clients.h"
#include "aws/dynamodb.h"

namespace ap::aws {

class DynamoDbClient final : public DynamoDb {
 public:
  DynamoDbClient(AwsCaller caller, CredentialsProvider& credentials, std::string region,
                 std::shared_ptr<void> keep_alive = nullptr);

  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override;

 private:
  AwsCaller caller_;
  CredentialsProvider& credentials_;
  const std::string region_;
  std::shared_ptr<void> keep_alive_;
};

}  // namespace ap::aws
