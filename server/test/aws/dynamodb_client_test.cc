// DynamoDbClient against a scripted FakeTransport (request shape, signing scope, error mapping, retries), and the
// loops of dynamodb.h (QueryAll, BatchWriteAll, BatchGetAll) against a scripted DynamoDb: paging and the
// UnprocessedItems / UnprocessedKeys that dynalite rarely or never produces. No sockets, no real sleeping.
// Against the simulator and dynalite: dynamodb_simulator_test.cc.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <deque>

#include "aws/aws_clients.h"
#include "aws/credentials_provider.h"
#include "aws/dynamodb.h"
#include "aws/dynamodb_client.h"
#include "status_matchers.h"
#include "test_harness.h"

namespace ap::aws {
namespace {

namespace json = boost::json;
using testing::CallerHarness;
using testing::FakeSleeper;
using testing::kTestCreds;

json::object Item(const std::string& pk) { return {{"pk", {{"S", pk}}}}; }

HeaderList Json10() { return {{"content-type", "application/x-amz-json-1.0"}, {"x-amzn-requestid", "RID1"}}; }

// ---------------------------------------------------------------------------------------------------------------
// DynamoDbClient

class DynamoDbClientTest : public ::testing::Test {
 protected:
  DynamoDbClientTest() : client_(h_.caller(), credentials_, "eu-west-1") {}

  CallerHarness h_{RetryOptions{.max_attempts = 3}};
  StaticCredentialsProvider credentials_{kTestCreds};
  DynamoDbClient client_;
};

TEST_F(DynamoDbClientTest, SendsJson10WithTheTargetSignedForDynamoDb) {
  h_.transport.PushResponse(200, R"({"Item":{"pk":{"S":"a"}}})", Json10());
  json::object request{{"TableName", "t"}, {"Key", Item("a")}, {"ConsistentRead", true}};
  ASSERT_OK_AND_ASSIGN(json::object answer, client_.Call("GetItem", request));
  EXPECT_EQ(answer, json::object({{"Item", Item("a")}}));
  ASSERT_EQ(h_.transport.requests().size(), 1u);
  HttpRequest r = h_.transport.requests()[0];  // a copy: requests() returns one
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Url(), "https://dynamodb.eu-west-1.amazonaws.com/");
  EXPECT_EQ(*r.FindHeader("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(*r.FindHeader("x-amz-target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(json::parse(r.body), request);
  const std::string& auth = *r.FindHeader("authorization");
  EXPECT_NE(auth.find("/eu-west-1/dynamodb/aws4_request"), std::string::npos) << auth;
}

TEST_F(DynamoDbClientTest, EmptyBodyIsAnEmptyObject) {
  h_.transport.PushResponse(200, "", Json10());
  ASSERT_OK_AND_ASSIGN(json::object answer, client_.Call("PutItem", {{"TableName", "t"}, {"Item", Item("a")}}));
  EXPECT_TRUE(answer.empty());
}

TEST_F(DynamoDbClientTest, AnswerThatIsNotAJsonObjectIsAnError) {
  h_.transport.PushResponse(200, "[1,2]", Json10());
  EXPECT_FALSE(client_.Call("PutItem", {{"TableName", "t"}}).ok());
}

TEST_F(DynamoDbClientTest, FailedConditionIsFailedPreconditionNotRetried) {
  h_.transport.PushResponse(
      400,
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})",
      Json10());
  auto r = client_.Call("PutItem", {{"TableName", "t"}, {"Item", Item("a")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(IsConditionFailed(r.status())) << r.status().ToString();
  EXPECT_NE(r.status().message().find("The conditional request failed"), std::string::npos);
  EXPECT_NE(r.status().message().find("RID1"), std::string::npos) << "the request id is kept";
  EXPECT_EQ(h_.transport.requests().size(), 1u);
}

TEST_F(DynamoDbClientTest, ResourceInUseIsAlreadyExists) {
  h_.transport.PushResponse(
      400,
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceInUseException","message":"Table already exists: t"})",
      Json10());
  auto r = client_.Call("CreateTable", {{"TableName", "t"}});
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists) << r.status().ToString();
  EXPECT_EQ(r.status().message().rfind("ResourceInUseException: Table already exists", 0), 0u);
  EXPECT_FALSE(IsConditionFailed(r.status()));
}

TEST_F(DynamoDbClientTest, OtherErrorsMapAsEveryAwsClient) {
  h_.transport.PushResponse(
      400,
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})",
      Json10());
  EXPECT_EQ(client_.Call("GetItem", {}).status().code(), StatusCode::kNotFound);
  h_.transport.PushResponse(
      400, R"({"__type":"com.amazon.coral.validate#ValidationException","message":"Item size too big"})", Json10());
  EXPECT_EQ(client_.Call("PutItem", {}).status().code(), StatusCode::kInvalidArgument);
  h_.transport.PushResponse(400, R"({"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"x"})",
                            Json10());
  EXPECT_EQ(client_.Call("PutItem", {}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(h_.transport.requests().size(), 3u);
}

TEST_F(DynamoDbClientTest, ThrottlingIsRetriedThenResourceExhausted) {
  const std::string throttled =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"})";
  h_.transport.PushResponse(400, throttled, Json10());
  h_.transport.PushResponse(200, "{}", Json10());
  EXPECT_OK(client_.Call("PutItem", {}));
  EXPECT_EQ(h_.transport.requests().size(), 2u);
  EXPECT_EQ(h_.sleeper.sleeps().size(), 1u);

  for (int i = 0; i < 3; ++i) h_.transport.PushResponse(400, throttled, Json10());
  auto r = client_.Call("PutItem", {});
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  EXPECT_EQ(h_.transport.requests().size(), 5u);
}

TEST_F(DynamoDbClientTest, CredentialsFailureSendsNothing) {
  StaticCredentialsProvider none{Credentials{}};
  DynamoDbClient client(h_.caller(), none, "eu-west-1");
  EXPECT_EQ(client.Call("GetItem", {}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(h_.transport.requests().empty());
}

// A BatchGetItem answer may hold 16 MB of items (plus the JSON around them); the transport must not cut it off.
TEST(DynamoDbClientOptions, ResponsesMayHoldAFullBatchGetItemAnswer) {
  EXPECT_GT(AwsClientOptions{}.max_response_bytes, size_t{17} * 1000 * 1000);
}

// ---------------------------------------------------------------------------------------------------------------
// The loops, over a scripted DynamoDb

class ScriptedDynamoDb final : public DynamoDb {
 public:
  struct Sent {
    std::string operation;
    json::object request;
  };
  Result<json::object> Call(std::string_view operation, const json::object& request) override {
    sent.push_back({std::string(operation), request});
    if (answers.empty()) return Internal("unscripted call " + std::string(operation));
    Result<json::object> next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
  std::vector<Sent> sent;
  std::deque<Result<json::object>> answers;
};

json::array Items(int from, int to) {
  json::array a;
  for (int i = from; i < to; ++i) a.push_back(Item(std::to_string(i)));
  return a;
}

TEST(QueryAll, FollowsLastEvaluatedKeyUntilItIsAbsent) {
  ScriptedDynamoDb db;
  db.answers.push_back(json::object{{"Items", Items(0, 2)}, {"LastEvaluatedKey", Item("1")}});
  db.answers.push_back(json::object{{"Items", Items(2, 3)}, {"LastEvaluatedKey", Item("2")}});
  db.answers.push_back(json::object{{"Items", json::array{}}});
  json::object query{{"TableName", "t"}, {"Limit", 2}};
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> items, QueryAll(db, query));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2], Item("2"));
  ASSERT_EQ(db.sent.size(), 3u);
  EXPECT_EQ(db.sent[0].operation, "Query");
  EXPECT_FALSE(db.sent[0].request.contains("ExclusiveStartKey"));
  EXPECT_EQ(db.sent[1].request.at("ExclusiveStartKey"), Item("1"));
  EXPECT_EQ(db.sent[2].request.at("ExclusiveStartKey"), Item("2"));
  EXPECT_EQ(db.sent[2].request.at("Limit"), 2);
}

TEST(QueryAll, EmptyLastEvaluatedKeyEndsAndTheCapStopsWithoutAnotherPage) {
  ScriptedDynamoDb db;
  db.answers.push_back(json::object{{"Items", Items(0, 3)}, {"LastEvaluatedKey", json::object{}}});
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> all, QueryAll(db, {{"TableName", "t"}}));
  EXPECT_EQ(all.size(), 3u);

  ScriptedDynamoDb capped;
  capped.answers.push_back(json::object{{"Items", Items(0, 3)}, {"LastEvaluatedKey", Item("2")}});
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> two, QueryAll(capped, {{"TableName", "t"}}, 2));
  EXPECT_EQ(two.size(), 2u);
  EXPECT_EQ(capped.sent.size(), 1u);
}

TEST(QueryAll, AnErrorOnAnyPageIsReturned) {
  ScriptedDynamoDb db;
  db.answers.push_back(json::object{{"Items", Items(0, 1)}, {"LastEvaluatedKey", Item("0")}});
  db.answers.push_back(Unavailable("down"));
  EXPECT_EQ(QueryAll(db, {{"TableName", "t"}}, 0, "Scan").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(db.sent[1].operation, "Scan");
}

json::array Puts(int from, int to) {
  json::array a;
  for (int i = from; i < to; ++i) a.push_back(json::object{{"PutRequest", {{"Item", Item(std::to_string(i))}}}});
  return a;
}

std::vector<json::object> AsVector(const json::array& a) {
  std::vector<json::object> v;
  for (const json::value& x : a) v.push_back(x.as_object());
  return v;
}

TEST(BatchWriteAll, SendsGroupsOf25AndResendsUnprocessedItemsAfterABackOff) {
  ScriptedDynamoDb db;
  FakeSleeper sleeper;
  json::array left = Puts(22, 25);
  db.answers.push_back(json::object{{"UnprocessedItems", {{"t", left}}}});
  db.answers.push_back(json::object{{"UnprocessedItems", json::object{}}});
  db.answers.push_back(json::object{});
  ASSERT_OK(BatchWriteAll(db, "t", AsVector(Puts(0, 30)), sleeper));
  ASSERT_EQ(db.sent.size(), 3u);
  EXPECT_EQ(db.sent[0].operation, "BatchWriteItem");
  EXPECT_EQ(db.sent[0].request.at("RequestItems").at("t").as_array().size(), 25u);
  EXPECT_EQ(db.sent[1].request.at("RequestItems").at("t").as_array(), left);
  EXPECT_EQ(db.sent[2].request.at("RequestItems").at("t").as_array(), Puts(25, 30));
  EXPECT_EQ(sleeper.sleeps(), std::vector<Duration>{std::chrono::milliseconds(50)});
}

TEST(BatchWriteAll, GivesUpAfterTenRoundsWithoutProgress) {
  ScriptedDynamoDb db;
  FakeSleeper sleeper;
  json::array all = Puts(0, 5);
  for (int i = 0; i < 12; ++i) db.answers.push_back(json::object{{"UnprocessedItems", {{"t", all}}}});
  Status s = BatchWriteAll(db, "t", AsVector(all), sleeper);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_EQ(db.sent.size(), 10u);
  std::vector<Duration> sleeps = sleeper.sleeps();
  ASSERT_EQ(sleeps.size(), 9u);
  EXPECT_EQ(sleeps[0], std::chrono::milliseconds(100));
  EXPECT_EQ(sleeps[8], std::chrono::milliseconds(1600));  // capped
}

TEST(BatchWriteAll, AnErrorStopsTheRest) {
  ScriptedDynamoDb db;
  FakeSleeper sleeper;
  db.answers.push_back(InvalidArgument("ValidationException: duplicates"));
  EXPECT_EQ(BatchWriteAll(db, "t", AsVector(Puts(0, 60)), sleeper).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db.sent.size(), 1u);
  EXPECT_OK(BatchWriteAll(db, "t", {}, sleeper));
  EXPECT_EQ(db.sent.size(), 1u);
}

TEST(BatchGetAll, SendsGroupsOf100AndResendsUnprocessedKeysConsistently) {
  ScriptedDynamoDb db;
  FakeSleeper sleeper;
  std::vector<json::object> keys;
  for (int i = 0; i < 150; ++i) keys.push_back(Item(std::to_string(i)));
  json::array unprocessed{Item("98"), Item("99")};
  db.answers.push_back(json::object{{"Responses", {{"t", Items(0, 98)}}},
                                    {"UnprocessedKeys", {{"t", {{"Keys", unprocessed}, {"ConsistentRead", true}}}}}});
  db.answers.push_back(json::object{{"Responses", {{"t", Items(98, 100)}}}, {"UnprocessedKeys", json::object{}}});
  db.answers.push_back(json::object{{"Responses", {{"t", Items(100, 140)}}}});  // 10 keys absent
  ASSERT_OK_AND_ASSIGN(std::vector<json::object> items, BatchGetAll(db, "t", keys, true, sleeper));
  EXPECT_EQ(items.size(), 140u);
  ASSERT_EQ(db.sent.size(), 3u);
  EXPECT_EQ(db.sent[0].operation, "BatchGetItem");
  EXPECT_EQ(db.sent[0].request.at("RequestItems").at("t").at("Keys").as_array().size(), 100u);
  EXPECT_EQ(db.sent[1].request.at("RequestItems").at("t").at("Keys").as_array(), unprocessed);
  EXPECT_EQ(db.sent[1].request.at("RequestItems").at("t").at("ConsistentRead"), true);
  EXPECT_EQ(db.sent[2].request.at("RequestItems").at("t").at("Keys").as_array().size(), 50u);
  EXPECT_EQ(sleeper.sleeps().size(), 1u);
}

TEST(BatchGetAll, EventuallyConsistentWhenAskedAndErrorsReturned) {
  ScriptedDynamoDb db;
  FakeSleeper sleeper;
  db.answers.push_back(Unavailable("down"));
  EXPECT_EQ(BatchGetAll(db, "t", {Item("a")}, false, sleeper).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(db.sent[0].request.at("RequestItems").at("t").at("ConsistentRead"), false);
}

}  // namespace
}  // namespace ap::aws
