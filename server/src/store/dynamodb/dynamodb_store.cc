// DynamoDbStore: construction, Ping and the maintenance entry points shared by every area.
#include "store/dynamodb/dynamodb_store.h"

#include <chrono>

#include "store/dynamodb/item.h"

namespace ap::store {

Result<std::unique_ptr<DynamoDbStore>> DynamoDbStore::Open(aws::DynamoDb& db, const Clock& clock, Random& random,
                                                           const DynamoDbStoreOptions& options) {
  RETURN_IF_ERROR(ValidateTablePrefix(options.table_prefix));
  return std::unique_ptr<DynamoDbStore>(new DynamoDbStore(db, clock, random, options));
}

DynamoDbStore::DynamoDbStore(aws::DynamoDb& db, const Clock& clock, Random& random, DynamoDbStoreOptions options)
    : db_(db),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      tables_(DynamoDbTables::WithPrefix(options_.table_prefix)),
      intents_(db, clock, [this](const std::string& instruction) { return RunFollowUp(instruction); }) {}

DynamoDbStore::~DynamoDbStore() = default;

Status DynamoDbStore::Ping() { return db_.Call("DescribeTable", ddb::Request(tables_.main)).status(); }

Result<int64_t> DynamoDbStore::SweepIntents(Duration older_than, int64_t limit) {
  if (limit < 1) return InvalidArgument("limit");
  const int64_t cutoff =
      clock_.NowUnixMillis() - std::chrono::duration_cast<std::chrono::milliseconds>(older_than).count();
  struct Owner {
    const std::string& table;
    std::vector<const char*> key;
  };
  const Owner owners[] = {{tables_.accounts, {"account_id"}},
                          {tables_.quota_cache, {"account_id", "region"}},
                          {tables_.main, {"pk", "sk"}}};
  int64_t finished = 0;
  for (const Owner& owner : owners) {
    if (finished >= limit) break;
    boost::json::object query = ddb::Request(owner.table);
    query["IndexName"] = "intents";
    query["KeyConditionExpression"] = "intent_shard = :i AND intent_at <= :cutoff";
    query["ExpressionAttributeValues"] = {{":i", ddb::S("I")}, {":cutoff", ddb::N(cutoff)}};
    query["Limit"] = limit - finished;
    ASSIGN_OR_RETURN(std::vector<boost::json::object> pending,
                     aws::QueryAll(db_, query, static_cast<size_t>(limit - finished)));
    for (const boost::json::object& entry : pending) {
      ddb::Item key;
      for (const char* name : owner.key) {
        if (const boost::json::value* v = entry.if_contains(name)) key[name] = *v;
      }
      boost::json::object get = ddb::Request(owner.table);
      get["Key"] = key;
      get["ConsistentRead"] = true;
      ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
      const ddb::Item* item = ddb::ItemOf(answer);
      // Skip an intent its writer still holds the claim of (it may still be working on it).
      if (item == nullptr || ddb::GetN(*item, "intent_claim_until") > clock_.NowUnixMillis()) continue;
      RETURN_IF_ERROR(intents_.ApplyPending(owner.table, key, *item));
      ++finished;
    }
  }
  return finished;
}

}  // namespace ap::store
