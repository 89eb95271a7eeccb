// The DynamoDB the store tests run against, shared by the tests of one binary: a client made by
// aws::MakeAwsClients (signed, retried) and fresh tables per call.
//
// Where DynamoDB comes from: AP_DYNAMODB_TEST_ENDPOINT (http://127.0.0.1:PORT of a dynalite or of the AWS
// simulator) when set; otherwise the AWS simulator's harness (it verifies each signature with AWS's JS signer
// and forwards to its in-process dynalite).
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
