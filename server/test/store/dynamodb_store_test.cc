// The Store conformance suite on DynamoDbStore, against dynalite (dynamodb_test_env.h says where it comes from).
// Each test gets tables of its own (a fresh prefix).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store_conformance.h"

namespace ap::store {
namespace {

using testing::StoreConformance;
using testing::StoreFactory;

std::unique_ptr<Store> NewStore() {
  static SystemClock clock;
  static SecureRandom random;
  Result<aws::DynamoDb*> db = testing::TestDynamoDb();
  Result<std::string> prefix = testing::NewTestTables();
  if (!db.ok() || !prefix.ok()) {
    ADD_FAILURE() << "no DynamoDB tables for the test: " << (db.ok() ? prefix.status() : db.status()).ToString();
    return nullptr;
  }
  Result<std::unique_ptr<DynamoDbStore>> store = DynamoDbStore::Open(**db, clock, random, {.table_prefix = *prefix});
  if (!store.ok()) {
    ADD_FAILURE() << "DynamoDbStore::Open: " << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

INSTANTIATE_TEST_SUITE_P(DynamoDb, StoreConformance, ::testing::Values(StoreFactory(NewStore)));

}  // namespace
}  // namespace ap::store
