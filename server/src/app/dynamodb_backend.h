// The DynamoDB wiring of app/: where `--store dynamodb` finds its tables (region, endpoint, credentials, table
// prefix), opening the store on them, and `account-platform dynamodb create-tables`.
//
// Where DynamoDB is: the region is AWS_REGION (else AWS_DEFAULT_REGION); the endpoint is AWS_ENDPOINT_URL_DYNAMODB
// (else AWS_ENDPOINT_URL, else the region's public endpoint: aws/endpoints.h); requests are signed with the
// platform's own credentials (aws::AwsClients::default_credentials: environment, shared files, container, IMDS).
//
// Thread safety: the functions are safe from any thread. Ownership: see DynamoDbBackend.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "aws/aws_clients.h"
#include "aws/environment.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::app {

// AWS_REGION, else AWS_DEFAULT_REGION. InvalidArgument("AWS_REGION: ...") when neither is set.
Result<std::string> DynamoDbRegion(const aws::Environment& env);

// A DynamoDbStore with the client it calls. Members are destroyed store first. References the AwsClients, clock
// and random it was opened with, which must outlive it.
struct DynamoDbBackend {
  std::unique_ptr<aws::DynamoDb> db;
  std::unique_ptr<store::DynamoDbStore> store;
};

// Opens the store on the tables of `table_prefix` (which must exist: CreateDynamoDbTables) and checks that the
// tables answer (Store::Ping). InvalidArgument for a bad prefix or a missing region; FailedPrecondition naming
// `account-platform dynamodb create-tables` when the tables do not exist; the DynamoDB error otherwise (with
// "DynamoDB: " in front).
Result<DynamoDbBackend> OpenDynamoDbBackend(aws::AwsClients& aws, const aws::Environment& env,
                                            const std::string& table_prefix, const Clock& clock, Random& random);

// `account-platform dynamodb create-tables --table-prefix P`: creates the tables of `table_prefix` that are missing
// (CreateDynamoDbTables; idempotent), waits until they are active (at most `timeout`) and writes one line per step
// to `out`. OK when every table is active; otherwise a Status with a one-line message.
Status CreateTablesCommand(const std::string& table_prefix, Duration timeout, std::ostream& out);

}  // namespace ap::app
