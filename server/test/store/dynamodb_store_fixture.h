// A gtest fixture for DynamoDbStore tests beyond the conformance suite: fresh tables of their own
// (dynamodb_test_env.h), a store on them with a fake clock, and Open() for another store on the same tables through a
// wrapped client (a writer that stops, or is interleaved with).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store::testing {

class DynamoDbStoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<aws::DynamoDb*> db = TestDynamoDb();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    Result<std::string> prefix = NewTestTables();
    ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
    prefix_ = *prefix;
    store_ = Open(*db_);
  }

  // A store on this test's tables through `db`.
  std::unique_ptr<DynamoDbStore> Open(aws::DynamoDb& db) {
    auto store = DynamoDbStore::Open(db, clock_, random_, {.table_prefix = prefix_});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  FakeClock clock_;
  SecureRandom random_;
  aws::DynamoDb* db_ = nullptr;
  std::string prefix_;
  std::unique_ptr<DynamoDbStore> store_;
};

}  // namespace ap::store::testing
