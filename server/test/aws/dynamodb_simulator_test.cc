// The DynamoDB client (DynamoDbClient via MakeAwsClients, QueryAll, BatchWriteAll, BatchGetAll) against DynamoDB
// as the tests run it: the AWS simulator verifies every signature with AWS's own JS signer, then dynalite answers
// (DynamoDbTestEnv, one simulator shared by the binary). Each test uses its own tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "aws/aws_clients.h"
#include "aws/credentials_provider.h"
#include "aws/dynamodb.h"
#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "status_matchers.h"

namespace ap::aws {
namespace {

namespace json = boost::json;
using testing::DynamoDbTestEnv;

json::object S(const std::string& v) { return {{"S", v}}; }
std::string Str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); }
json::object N(int64_t v) { return {{"N", std::to_string(v)}}; }
std::string Pad(int i) {
  std::string s = std::to_string(i);
  return std::string(4 - std::min<size_t>(4, s.size()), '0') + s;
}

class DynamoDbSimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = DynamoDbTestEnv::Shared();
    ASSERT_OK(env);
    env_ = *env;
    table_ = env_->NewTablePrefix() + "items";
    ASSERT_OK(env_->sim().Control("DELETE", "/_sim/faults"));
  }
  void TearDown() override {
    if (env_ != nullptr) (void)env_->sim().Control("DELETE", "/_sim/faults");
  }

  DynamoDb& db() { return env_->db(); }

  // A table keyed (pk S, sk S), created and waited for until ACTIVE.
  void CreateTable() {
    json::object req{
        {"TableName", table_},
        {"AttributeDefinitions", json::array{json::object{{"AttributeName", "pk"}, {"AttributeType", "S"}},
                                             json::object{{"AttributeName", "sk"}, {"AttributeType", "S"}}}},
        {"KeySchema", json::array{json::object{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
                                  json::object{{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
        {"BillingMode", "PAY_PER_REQUEST"}};
    ASSERT_OK(db().Call("CreateTable", req));
    // dynalite runs with createTableMs 0: ACTIVE on the next event-loop turn. Poll with a deadline.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      ASSERT_OK_AND_ASSIGN(json::object d, db().Call("DescribeTable", {{"TableName", table_}}));
      if (Str(d.at("Table").at("TableStatus")) == "ACTIVE") return;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "table " << table_ << " never became ACTIVE";
    }
  }

  json::object Key(const std::string& pk, const std::string& sk) { return {{"pk", S(pk)}, {"sk", S(sk)}}; }

  Status Put(json::object item, const std::string& condition = "") {
    json::object req{{"TableName", table_}, {"Item", std::move(item)}};
    if (!condition.empty()) req["ConditionExpression"] = condition;
    return db().Call("PutItem", req).status();
  }

  // DynamoDB calls by operation and outcome since the last ResetStats(), from the simulator.
  int64_t Calls(const std::string& operation, const std::string& outcome = "") {
    auto stats = env_->sim().Control("GET", "/_sim/dynamodb/stats");
    EXPECT_OK(stats);
    if (!stats.ok()) return -1;
    const json::object& ops = stats->at("by_operation").as_object();
    auto op = ops.find(operation);
    if (op == ops.end()) return 0;
    if (outcome.empty()) return op->value().at("total").as_int64();
    const json::object& outcomes = op->value().at("outcomes").as_object();
    auto o = outcomes.find(outcome);
    return o == outcomes.end() ? 0 : o->value().as_int64();
  }
  void ResetStats() { ASSERT_OK(env_->sim().Control("POST", "/_sim/dynamodb/stats/reset")); }

  DynamoDbTestEnv* env_ = nullptr;
  std::string table_;
};

TEST_F(DynamoDbSimulatorTest, SignedCallsPassTheSimulatorsSignatureCheck) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ResetStats();
  ASSERT_OK(Put({{"pk", S("a")}, {"sk", S("1")}, {"n", N(7)}}));
  ASSERT_OK_AND_ASSIGN(json::object got,
                       db().Call("GetItem", {{"TableName", table_}, {"Key", Key("a", "1")}, {"ConsistentRead", true}}));
  EXPECT_EQ(Str(got.at("Item").at("n").at("N")), "7");
  EXPECT_EQ(Calls("PutItem", "ok"), 1);
  EXPECT_EQ(Calls("GetItem", "ok"), 1);
  // Signed as the platform identity the default chain read from AWS_ACCESS_KEY_ID.
  ASSERT_OK_AND_ASSIGN(json::value stats, env_->sim().Control("GET", "/_sim/dynamodb/stats"));
  EXPECT_EQ(stats.at("by_account").at("000000000000").at("total").as_int64(), 2);
}

TEST_F(DynamoDbSimulatorTest, WrongSecretIsUnauthenticatedAndNotRetried) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  AwsClientOptions options;
  options.env = {{"AWS_ENDPOINT_URL_DYNAMODB", env_->url()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  SecureRandom random;
  ASSERT_OK_AND_ASSIGN(AwsClients clients, MakeAwsClients(options, SystemClock::Instance(), random));
  StaticCredentialsProvider wrong(Credentials{DynamoDbTestEnv::kPlatformAccessKeyId, "not-the-secret", "", {}});
  std::unique_ptr<DynamoDb> client = clients.dynamodb(wrong, DynamoDbTestEnv::kRegion);
  ResetStats();
  auto r = client->Call("PutItem", {{"TableName", table_}, {"Item", {{"pk", S("x")}, {"sk", S("y")}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << r.status().ToString();
  EXPECT_EQ(r.status().message().rfind("InvalidSignatureException", 0), 0u) << r.status().ToString();
  EXPECT_EQ(Calls("PutItem"), 1);
  ASSERT_OK_AND_ASSIGN(json::object got, db().Call("GetItem", {{"TableName", table_}, {"Key", Key("x", "y")}}));
  EXPECT_FALSE(got.contains("Item"));
}

TEST_F(DynamoDbSimulatorTest, FailedConditionIsConditionFailedAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_OK(Put({{"pk", S("a")}, {"sk", S("1")}, {"v", S("first")}}, "attribute_not_exists(pk)"));
  Status second = Put({{"pk", S("a")}, {"sk", S("1")}, {"v", S("second")}}, "attribute_not_exists(pk)");
  EXPECT_EQ(second.code(), StatusCode::kFailedPrecondition) << second.ToString();
  EXPECT_TRUE(IsConditionFailed(second)) << second.ToString();
  ASSERT_OK_AND_ASSIGN(json::object got,
                       db().Call("GetItem", {{"TableName", table_}, {"Key", Key("a", "1")}, {"ConsistentRead", true}}));
  EXPECT_EQ(Str(got.at("Item").at("v").at("S")), "first");

  // Other precondition-like failures are not "condition failed".
  EXPECT_FALSE(IsConditionFailed(FailedPrecondition("QuotaExceededException: no")));
  EXPECT_FALSE(IsConditionFailed(Status::Ok()));

  // UpdateItem's condition too, with the version-check shape the stores use.
  json::object update{{"TableName", table_},
                      {"Key", Key("a", "1")},
                      {"UpdateExpression", "SET v = :v"},
                      {"ConditionExpression", "v = :expected"},
                      {"ExpressionAttributeValues", {{":v", S("third")}, {":expected", S("not-first")}}}};
  EXPECT_TRUE(IsConditionFailed(db().Call("UpdateItem", update).status()));
}

TEST_F(DynamoDbSimulatorTest, MissingTableIsNotFound) {
  auto r = db().Call("GetItem", {{"TableName", table_ + "-absent"}, {"Key", Key("a", "1")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().ToString();
  EXPECT_EQ(r.status().message().rfind("ResourceNotFoundException", 0), 0u) << r.status().ToString();
}

TEST_F(DynamoDbSimulatorTest, ItemOver400KbIsInvalidArgument) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  Status s = Put({{"pk", S("a")}, {"sk", S("1")}, {"blob", S(std::string(401 * 1024, 'x'))}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message().rfind("ValidationException", 0), 0u) << s.ToString();
}

TEST_F(DynamoDbSimulatorTest, QueryAllFollowsLastEvaluatedKey) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  std::vector<json::object> writes;
  for (int i = 0; i < 250; ++i) {
    writes.push_back({{"PutRequest", {{"Item", {{"pk", S("p")}, {"sk", S(Pad(i))}, {"i", N(i)}}}}}});
  }
  writes.push_back({{"PutRequest", {{"Item", {{"pk", S("other")}, {"sk", S("0")}}}}}});
  ASSERT_OK(BatchWriteAll(db(), table_, writes));
  json::object query{{"TableName", table_},
                     {"KeyConditionExpression", "pk = :p"},
                     {"ExpressionAttributeValues", {{":p", S("p")}}},
                     {"Limit", 100}};
  ResetStats();
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> items, QueryAll(db(), query));
  ASSERT_EQ(items.size(), 250u);
  for (int i = 0; i < 250; ++i) EXPECT_EQ(Str(items[i].at("sk").at("S")), Pad(i)) << i;
  // 100 + 100 + 50; DynamoDB may need one more (empty) page to learn that nothing is left.
  EXPECT_GE(Calls("Query"), 3);
  EXPECT_LE(Calls("Query"), 4);

  // A cap stops early, in order.
  ResetStats();
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> first, QueryAll(db(), query, 120));
  ASSERT_EQ(first.size(), 120u);
  EXPECT_EQ(Str(first.back().at("sk").at("S")), Pad(119));
  EXPECT_EQ(Calls("Query"), 2);

  // Scan, for maintenance, pages the same way.
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> all,
                       QueryAll(db(), {{"TableName", table_}, {"Limit", 64}}, 0, "Scan"));
  EXPECT_EQ(all.size(), 251u);
}

TEST_F(DynamoDbSimulatorTest, BatchWriteAllAndBatchGetAllSplitIntoDynamoDbsBatchSizes) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  std::vector<json::object> writes;
  for (int i = 0; i < 260; ++i) {
    writes.push_back({{"PutRequest", {{"Item", {{"pk", S("b")}, {"sk", S(Pad(i))}, {"i", N(i)}}}}}});
  }
  ResetStats();
  ASSERT_OK(BatchWriteAll(db(), table_, writes));
  EXPECT_EQ(Calls("BatchWriteItem", "ok"), 11);  // 10 x 25 + 10

  std::vector<json::object> keys;
  for (int i = 0; i < 260; ++i) keys.push_back(Key("b", Pad(i)));
  keys.push_back(Key("b", "absent-1"));
  keys.push_back(Key("b", "absent-2"));
  ResetStats();
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> items, BatchGetAll(db(), table_, keys));
  EXPECT_EQ(Calls("BatchGetItem", "ok"), 3);  // 100 + 100 + 62
  ASSERT_EQ(items.size(), 260u);
  std::set<int64_t> seen;
  for (const json::object& item : items) seen.insert(std::stoll(std::string(item.at("i").at("N").as_string())));
  EXPECT_EQ(seen.size(), 260u);
  EXPECT_EQ(*seen.rbegin(), 259);

  // Deletes go through the same batches.
  std::vector<json::object> deletes;
  for (int i = 0; i < 30; ++i) deletes.push_back({{"DeleteRequest", {{"Key", Key("b", Pad(i))}}}});
  ASSERT_OK(BatchWriteAll(db(), table_, deletes));
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> left, BatchGetAll(db(), table_, keys));
  EXPECT_EQ(left.size(), 230u);

  // Nothing to do: no call.
  ResetStats();
  ASSERT_OK(BatchWriteAll(db(), table_, {}));
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> none, BatchGetAll(db(), table_, {}));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(Calls("BatchWriteItem") + Calls("BatchGetItem"), 0);
}

TEST_F(DynamoDbSimulatorTest, ThrottlingIsRetriedWithBackOff) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_OK(env_->sim().Control("POST", "/_sim/faults",
                                R"({"service":"dynamodb","operation":"PutItem","error":"throttle","count":3})"));
  ResetStats();
  ASSERT_OK(Put({{"pk", S("t")}, {"sk", S("1")}}));
  EXPECT_EQ(Calls("PutItem", "ProvisionedThroughputExceededException"), 3);
  EXPECT_EQ(Calls("PutItem", "ok"), 1);
}

// dynalite answers a BatchGetItem with at most about 1 MB of items and leaves the rest in UnprocessedKeys (real
// DynamoDB: 16 MB); BatchGetAll asks again for those.
TEST_F(DynamoDbSimulatorTest, BatchGetAllFetchesUnprocessedKeysOfLargeItems) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  std::vector<json::object> writes;
  std::vector<json::object> keys;
  for (int i = 0; i < 8; ++i) {
    writes.push_back(
        {{"PutRequest", {{"Item", {{"pk", S("big")}, {"sk", S(Pad(i))}, {"blob", S(std::string(300 * 1024, 'b'))}}}}}});
    keys.push_back(Key("big", Pad(i)));
  }
  ASSERT_OK(BatchWriteAll(db(), table_, writes));
  ResetStats();
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> items, BatchGetAll(db(), table_, keys));
  EXPECT_EQ(items.size(), 8u);
  EXPECT_GE(Calls("BatchGetItem", "ok"), 2) << "dynalite returned every large item in one answer";
}

// The hazard dynamodb.h describes: the answer to an applied conditional write is lost, the client's retry then
// fails the condition its own first attempt made false.
TEST_F(DynamoDbSimulatorTest, RetryAfterALostAnswerFailsTheConditionItsFirstAttemptSatisfied) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_OK(env_->sim().Control(
      "POST", "/_sim/faults", R"({"service":"dynamodb","operation":"PutItem","error":"5xx","after":true,"count":1})"));
  ResetStats();
  Status s = Put({{"pk", S("lost")}, {"sk", S("1")}, {"token", S("mine")}}, "attribute_not_exists(pk)");
  EXPECT_TRUE(IsConditionFailed(s)) << s.ToString();
  EXPECT_EQ(Calls("PutItem", "InternalServerError"), 1);
  EXPECT_EQ(Calls("PutItem", "ConditionalCheckFailedException"), 1);
  // Reading the item back tells the caller that the stored write is its own.
  ASSERT_OK_AND_ASSIGN(
      json::object got,
      db().Call("GetItem", {{"TableName", table_}, {"Key", Key("lost", "1")}, {"ConsistentRead", true}}));
  EXPECT_EQ(Str(got.at("Item").at("token").at("S")), "mine");
}

// MakeAwsClients gives DynamoDB at least 10 attempts, backing off from 50 ms (about 10 s in all here).
TEST_F(DynamoDbSimulatorTest, StillThrottledAfterTenAttemptsIsResourceExhausted) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_OK(env_->sim().Control("POST", "/_sim/faults",
                                R"({"service":"dynamodb","operation":"GetItem","error":"throttle"})"));
  ResetStats();
  auto r = db().Call("GetItem", {{"TableName", table_}, {"Key", Key("t", "1")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  EXPECT_EQ(r.status().message().rfind("ProvisionedThroughputExceededException", 0), 0u) << r.status().ToString();
  EXPECT_EQ(Calls("GetItem", "ProvisionedThroughputExceededException"), 10);
}

TEST_F(DynamoDbSimulatorTest, ServerErrorsAreRetried) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_OK(env_->sim().Control("POST", "/_sim/faults",
                                R"({"service":"dynamodb","operation":"PutItem","error":"5xx","count":2})"));
  ResetStats();
  ASSERT_OK(Put({{"pk", S("r")}, {"sk", S("1")}}));
  EXPECT_EQ(Calls("PutItem", "InternalServerError"), 2);
  EXPECT_EQ(Calls("PutItem", "ok"), 1);
}

TEST(DynamoDbTestEnv, PrefixesAreUnique) {
  auto env = DynamoDbTestEnv::Shared();
  ASSERT_OK(env);
  std::set<std::string> prefixes;
  for (int i = 0; i < 100; ++i) prefixes.insert((*env)->NewTablePrefix());
  EXPECT_EQ(prefixes.size(), 100u);
  for (const std::string& p : prefixes) {
    EXPECT_TRUE(std::all_of(p.begin(), p.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    })) << p;
  }
}

}  // namespace
}  // namespace ap::aws
