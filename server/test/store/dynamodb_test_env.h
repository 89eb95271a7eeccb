// The DynamoDB the store tests run against, shared by the tests of one binary: a client made by
// aws::MakeAwsClients (signed, retried) and fresh tables per call.
//
// Where DynamoDB comes from: by default the AWS simulator's harness (server/test/aws/dynamodb_test_env.h: one
// simulator per binary, which verifies each request's signature with AWS's JS signer and forwards it to its
// in-process dynalite); AP_DYNAMODB_TEST_ENDPOINT=http://127.0.0.1:PORT (a dynalite started by hand) overrides
// it for quick runs without the simulator.
#pragma once

#include <memory>
#include <string>

#include "aws/dynamodb.h"
#include "common/status.h"

namespace ap::store::testing {

// The shared client; the error says why there is none.
Result<aws::DynamoDb*> TestDynamoDb();

// A new table prefix, unique in this process, whose tables exist (CreateDynamoDbTables).
Result<std::string> NewTestTables();

}  // namespace ap::store::testing
