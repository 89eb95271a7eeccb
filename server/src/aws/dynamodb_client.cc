#include "aws/dynamodb_client.h"

#include <algorithm>
#include <chrono>

#include "aws/wire.h"

namespace ap::aws {

bool IsConditionFailed(const Status& s) {
  return s.code() == StatusCode::kFailedPrecondition && s.message().rfind("ConditionalCheckFailedException", 0) == 0;
}

DynamoDbClient::DynamoDbClient(AwsCaller caller, CredentialsProvider& credentials, std::string region,
                               std::shared_ptr<void> keep_alive)
    : caller_(std::move(caller)),
      credentials_(credentials),
      region_(std::move(region)),
      keep_alive_(std::move(keep_alive)) {}

Result<boost::json::object> DynamoDbClient::Call(std::string_view operation, const boost::json::object& request) {
  ASSIGN_OR_RETURN(Credentials creds, credentials_.Get());
  const CallSpec spec = JsonProtocolCall(AwsService::kDynamoDb, "application/x-amz-json-1.0", "DynamoDB_20120810.",
                                         std::string(operation), boost::json::serialize(request));
  AwsError last;
  Result<HttpResponse> answer = caller_.Call(creds, region_, spec, &last);
  if (!answer.ok()) {
    // ToStatus knows no DynamoDB-specific codes (both are 400s it calls InvalidArgument): a failed condition is a
    // precondition, a table in use already exists. The message (code first, request id last) is kept.
    if (last.code == "ConditionalCheckFailedException") {
      return Status(StatusCode::kFailedPrecondition, answer.status().message());
    }
    if (last.code == "ResourceInUseException") return Status(StatusCode::kAlreadyExists, answer.status().message());
    return answer.status();
  }
  if (answer->body.empty()) return boost::json::object{};
  return ParseJsonObject(answer->body, "dynamodb " + std::string(operation));
}

namespace {

void BackOff(Sleeper& sleeper, int round) {
  // Unprocessed entries mean the table is throttling: wait 50 ms, 100 ms, ... up to 1.6 s.
  sleeper.SleepFor(std::chrono::milliseconds(50) * (1 << std::min(round, 5)));
}

}  // namespace

Result<std::vector<boost::json::object>> QueryAll(DynamoDb& db, const boost::json::object& request, size_t max_items,
                                                  std::string_view operation) {
  std::vector<boost::json::object> items;
  boost::json::object page = request;
  for (;;) {
    ASSIGN_OR_RETURN(boost::json::object answer, db.Call(operation, page));
    if (const boost::json::array* got = JsonArr(answer, "Items")) {
      for (const boost::json::value& v : *got) {
        if (v.is_object()) items.push_back(v.as_object());
        if (max_items != 0 && items.size() >= max_items) return items;
      }
    }
    const boost::json::object* last = JsonObj(answer, "LastEvaluatedKey");
    if (last == nullptr || last->empty()) return items;
    page["ExclusiveStartKey"] = *last;
  }
}

Status BatchWriteAll(DynamoDb& db, const std::string& table, const std::vector<boost::json::object>& writes,
                     Sleeper& sleeper) {
  constexpr size_t kBatch = 25;
  for (size_t start = 0; start < writes.size(); start += kBatch) {
    boost::json::array chunk;
    for (size_t i = start; i < writes.size() && i < start + kBatch; ++i) chunk.push_back(writes[i]);
    int idle_rounds = 0;
    while (!chunk.empty()) {
      boost::json::object request;
      request["RequestItems"] = boost::json::object{{table, chunk}};
      ASSIGN_OR_RETURN(boost::json::object answer, db.Call("BatchWriteItem", request));
      boost::json::array left;
      if (const boost::json::object* unprocessed = JsonObj(answer, "UnprocessedItems")) {
        if (const boost::json::array* rest = JsonArr(*unprocessed, table)) left = *rest;
      }
      if (left.empty()) break;
      idle_rounds = left.size() < chunk.size() ? 0 : idle_rounds + 1;
      if (idle_rounds >= 10) return Unavailable("dynamodb BatchWriteItem: unprocessed items after 10 retries");
      BackOff(sleeper, idle_rounds);
      chunk = std::move(left);
    }
  }
  return Status::Ok();
}

Result<std::vector<boost::json::object>> BatchGetAll(DynamoDb& db, const std::string& table,
                                                     const std::vector<boost::json::object>& keys, bool consistent,
                                                     Sleeper& sleeper) {
  constexpr size_t kBatch = 100;
  std::vector<boost::json::object> items;
  for (size_t start = 0; start < keys.size(); start += kBatch) {
    boost::json::array chunk;
    for (size_t i = start; i < keys.size() && i < start + kBatch; ++i) chunk.push_back(keys[i]);
    int idle_rounds = 0;
    while (!chunk.empty()) {
      boost::json::object request;
      request["RequestItems"] = boost::json::object{{table, {{"Keys", chunk}, {"ConsistentRead", consistent}}}};
      ASSIGN_OR_RETURN(boost::json::object answer, db.Call("BatchGetItem", request));
      size_t got_now = 0;
      if (const boost::json::object* responses = JsonObj(answer, "Responses")) {
        if (const boost::json::array* got = JsonArr(*responses, table)) {
          for (const boost::json::value& v : *got) {
            if (v.is_object()) items.push_back(v.as_object());
          }
          got_now = got->size();
        }
      }
      boost::json::array left;
      if (const boost::json::object* unprocessed = JsonObj(answer, "UnprocessedKeys")) {
        if (const boost::json::object* rest = JsonObj(*unprocessed, table)) {
          if (const boost::json::array* k = JsonArr(*rest, "Keys")) left = *k;
        }
      }
      if (left.empty()) break;
      idle_rounds = got_now > 0 ? 0 : idle_rounds + 1;
      if (idle_rounds >= 10) return Unavailable("dynamodb BatchGetItem: unprocessed keys after 10 retries");
      BackOff(sleeper, idle_rounds);
      chunk = std::move(left);
    }
  }
  return items;
}

}  // namespace ap::aws
