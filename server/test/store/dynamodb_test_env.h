// The DynamoDB of the DynamoDB store tests (dynamodb_store_test.cc says where it comes from), for the test files
// of the dynamodb_store_test binary that need the store or the raw client (e.g. to damage an item on purpose).
#pragma once

#include <memory>

#include "aws/dynamodb.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store::testing {

// The client every test of the binary shares; nullptr (and a test failure added) when there is no DynamoDB.
aws::DynamoDb* TestDynamoDb();

// A DynamoDbStore on tables of its own (a fresh prefix, created now); nullptr (and a test failure added) when
// there is no DynamoDB or the tables could not be made.
std::unique_ptr<DynamoDbStore> NewTestDynamoDbStore();

}  // namespace ap::store::testing
