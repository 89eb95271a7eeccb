// Helpers of the areas whose records live in the `main` table by `pk` prefix (users, teams, sessions, login
// throttles, leases, epochs: docs/dynamodb.md "Users, teams, sessions, throttles, leases, epochs"). Private to
// store/dynamodb.
//
// Thread safety: pure functions, or calls on a DynamoDb (safe from many threads).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/dynamodb.h"
#include "common/status.h"
#include "store/dynamodb/item.h"

namespace ap::store::ddb {

// The key {pk, sk} of a record of the main table.
inline Item MainKey(const std::string& pk, const std::string& sk) { return Item{{"pk", S(pk)}, {"sk", S(sk)}}; }

// A non-negative millisecond time or count as 16 zero-padded digits, so that sort keys order like the numbers
// (negative values sort as 0).
inline std::string SortNumber(int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(n < 0 ? 0 : n));
  return buf;
}

// Epoch seconds for the DynamoDB TTL attribute `expires_at`, rounded up (TTL never removes a record early).
inline int64_t TtlSeconds(int64_t ms) { return ms <= 0 ? 0 : (ms + 999) / 1000; }

// GetItem of `key`: the item, or nullopt when absent; the DynamoDB error otherwise.
inline Result<std::optional<Item>> ReadItem(aws::DynamoDb& db, const std::string& table, const Item& key,
                                            bool consistent) {
  boost::json::object get = Request(table);
  get["Key"] = key;
  if (consistent) get["ConsistentRead"] = true;
  ASSIGN_OR_RETURN(boost::json::object answer, db.Call("GetItem", get));
  const Item* item = ItemOf(answer);
  if (item == nullptr) return std::optional<Item>();
  return std::optional<Item>(*item);
}

// PutItem of `item` under `condition` (empty: none) with its expression names and values. OK when written;
// FailedPrecondition (aws::IsConditionFailed) when the condition failed; the DynamoDB error otherwise.
inline Status PutItemIf(aws::DynamoDb& db, const std::string& table, Item item, const std::string& condition,
                        boost::json::object names = {}, boost::json::object values = {}) {
  boost::json::object put = Request(table);
  put["Item"] = std::move(item);
  if (!condition.empty()) put["ConditionExpression"] = condition;
  if (!names.empty()) put["ExpressionAttributeNames"] = std::move(names);
  if (!values.empty()) put["ExpressionAttributeValues"] = std::move(values);
  return db.Call("PutItem", put).status();
}

// The keys of the records under gsi2 partition `partition` whose gsi2sk starts with an expiry time (SortNumber)
// <= now_ms, oldest first: the sweeps of expiring records. gsi2 is eventually consistent, so a record may be
// listed after it was renewed or deleted: callers re-check on the record itself.
inline Result<std::vector<Item>> ExpiredKeys(aws::DynamoDb& db, const std::string& table, const std::string& partition,
                                             int64_t now_ms) {
  boost::json::object query = Request(table);
  query["IndexName"] = "gsi2";
  query["KeyConditionExpression"] = "gsi2pk = :p AND gsi2sk < :end";
  query["ExpressionAttributeValues"] = {{":p", S(partition)}, {":end", S(SortNumber(now_ms + 1))}};
  query["ProjectionExpression"] = "pk, sk";
  ASSIGN_OR_RETURN(std::vector<boost::json::object> entries, aws::QueryAll(db, query));
  std::vector<Item> keys;
  keys.reserve(entries.size());
  for (const Item& entry : entries) keys.push_back(MainKey(GetS(entry, "pk"), GetS(entry, "sk")));
  return keys;
}

}  // namespace ap::store::ddb
