// DynamoDbStore's quota config beyond the conformance suite, against dynalite: model maps written before
// output_token_burndown existed read as the default, 5; a stored value outside 1..100 is an error, not narrowed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store_conformance_fixtures.h"

namespace ap::store {
namespace {

using ddb::Item;

class DynamoDbQuotaConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<aws::DynamoDb*> db = testing::TestDynamoDb();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    Result<std::string> prefix = testing::NewTestTables();
    ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
    table_ = DynamoDbTables::WithPrefix(*prefix).quota_config;
    Result<std::unique_ptr<DynamoDbStore>> store =
        DynamoDbStore::Open(*db_, clock_, random_, {.table_prefix = *prefix});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();

    ASSERT_TRUE(store_->PutQuotaConfig(testing::fixtures::TwoModelConfig(9, 1), 0).ok());
  }

  // Rewrites the stored item's first model map with `change` (as an older or a damaged writer left it).
  template <class F>
  void RewriteFirstModel(F change) {
    boost::json::object get = ddb::Request(table_);
    get["Key"] = Item{{"config_id", ddb::S(domain::kQuotaConfigId)}};
    get["ConsistentRead"] = true;
    Result<boost::json::object> answer = db_->Call("GetItem", get);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    boost::json::object item = answer->at("Item").as_object();
    boost::json::object& first = item.at("models").at("L").as_array().at(0).as_object().at("M").as_object();
    ASSERT_TRUE(first.contains("output_token_burndown"));  // the store writes it
    change(first);
    boost::json::object put = ddb::Request(table_);
    put["Item"] = item;
    ASSERT_TRUE(db_->Call("PutItem", put).ok());
  }

  SystemClock clock_;
  SecureRandom random_;
  aws::DynamoDb* db_ = nullptr;
  std::string table_;
  std::unique_ptr<DynamoDbStore> store_;
};

TEST_F(DynamoDbQuotaConfigTest, AModelWrittenWithoutTheBurndownReadsAsFive) {
  RewriteFirstModel([](boost::json::object& model) { model.erase("output_token_burndown"); });
  Result<domain::QuotaConfig> got = store_->GetQuotaConfig();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->models.size(), 2u);
  EXPECT_EQ(got->models[0].output_token_burndown, 5);
  EXPECT_EQ(got->models[1].output_token_burndown, 1);  // the other model keeps its stored value
}

TEST_F(DynamoDbQuotaConfigTest, AStoredBurndownOutsideOneToAHundredIsInternalNotNarrowed) {
  RewriteFirstModel([](boost::json::object& model) { model["output_token_burndown"] = ddb::N(4294967301); });
  Result<domain::QuotaConfig> got = store_->GetQuotaConfig();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInternal);
  EXPECT_NE(got.status().message().find("output_token_burndown"), std::string::npos) << got.status().ToString();
}

}  // namespace
}  // namespace ap::store
