// DynamoDbStore: login attempt counters (login_throttle_store.h) on the main table, one item per key
// (docs/dynamodb.md "Users, teams, sessions, throttles, leases, epochs"). Every write is conditional on the
// item's `rev` as read, so a read-decide-write is one step: a writer whose condition failed reads again.
#include <optional>
#include <string>

#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/main_table_internal.h"

namespace ap::store {

using ddb::Item;
using ddb::MainKey;
using ddb::S;

namespace {

// Rounds before CountLoginAttempt gives up (Unavailable). Each round some racing writer on the key wins, so a
// key needs as many rounds as it has concurrent callers.
constexpr int kMaxRounds = 100;

Item ThrottleKey(const std::string& key) { return MainKey("THROTTLE#" + key, "THROTTLE"); }

LoginThrottle ThrottleFromItem(const Item& item) {
  return {ddb::GetN(item, "attempts"), ddb::GetN(item, "locked_until_ms"), ddb::GetN(item, "expires_at_ms")};
}

Item ThrottleItem(const std::string& key, const LoginThrottle& state, int64_t rev) {
  Item item = ThrottleKey(key);
  item["attempts"] = ddb::N(state.attempts);
  item["locked_until_ms"] = ddb::N(state.locked_until_ms);
  item["expires_at_ms"] = ddb::N(state.expires_at_ms);
  item["rev"] = ddb::N(rev);
  item["gsi2pk"] = S("THREXP");
  item["gsi2sk"] = S(ddb::SortNumber(state.expires_at_ms) + "#" + key);
  item["expires_at"] = ddb::N(ddb::TtlSeconds(state.expires_at_ms));
  return item;
}

}  // namespace

Result<ThrottleDecision> DynamoDbStore::CountLoginAttempt(const std::string& key, int64_t now_ms,
                                                          const LoginThrottlePolicy& policy) {
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadItem(db_, tables_.main, ThrottleKey(key), true));
    std::optional<LoginThrottle> current;
    if (stored) current = ThrottleFromItem(*stored);
    ThrottleDecision d = ApplyLoginAttempt(current ? &*current : nullptr, now_ms, policy);
    if (!d.allowed) return d;  // refused: nothing written
    const int64_t rev = stored ? ddb::GetN(*stored, "rev") : 0;
    Status put = stored ? ddb::PutItemIf(db_, tables_.main, ThrottleItem(key, d.state, rev + 1), "#rev = :rev",
                                         {{"#rev", "rev"}}, {{":rev", ddb::N(rev)}})
                        : ddb::PutItemIf(db_, tables_.main, ThrottleItem(key, d.state, 1), "attribute_not_exists(pk)");
    if (put.ok()) return d;
    if (!aws::IsConditionFailed(put)) return put;
  }
  return Unavailable("login throttle key is contended; try again");
}

Status DynamoDbStore::RefundLoginAttempt(const std::string& key) {
  // Bumps rev too, so that a CountLoginAttempt that read the key before the refund writes nothing over it.
  boost::json::object update = ddb::Request(tables_.main);
  update["Key"] = ThrottleKey(key);
  update["UpdateExpression"] = "SET #a = #a - :one, #rev = #rev + :one";
  update["ConditionExpression"] = "attribute_exists(pk) AND #a > :zero";
  update["ExpressionAttributeNames"] = {{"#a", "attempts"}, {"#rev", "rev"}};
  update["ExpressionAttributeValues"] = {{":one", ddb::N(1)}, {":zero", ddb::N(0)}};
  Status refunded = db_.Call("UpdateItem", update).status();
  return aws::IsConditionFailed(refunded) ? Status::Ok() : refunded;  // absent, or already at 0
}

Status DynamoDbStore::ClearLoginFailures(const std::string& key) {
  boost::json::object del = ddb::Request(tables_.main);
  del["Key"] = ThrottleKey(key);
  return db_.Call("DeleteItem", del).status();
}

Result<LoginThrottle> DynamoDbStore::GetLoginThrottle(const std::string& key, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::optional<Item> stored,
                   ddb::ReadItem(db_, tables_.main, ThrottleKey(key), options_.consistent_reads));
  if (!stored || ddb::GetN(*stored, "expires_at_ms") <= now_ms) return NotFound("no login throttle for this key");
  return ThrottleFromItem(*stored);
}

Result<int64_t> DynamoDbStore::DeleteExpiredLoginThrottles(int64_t now_ms) {
  // gsi2 orders keys by expiry (eventually consistent); each delete re-checks the expiry on the item itself, so
  // a key counted again since its index entry was read is kept.
  ASSIGN_OR_RETURN(std::vector<Item> expired, ddb::ExpiredKeys(db_, tables_.main, "THREXP", now_ms));
  int64_t deleted = 0;
  for (const Item& key : expired) {
    boost::json::object del = ddb::Request(tables_.main);
    del["Key"] = key;
    del["ConditionExpression"] = "#e <= :now";
    del["ExpressionAttributeNames"] = {{"#e", "expires_at_ms"}};
    del["ExpressionAttributeValues"] = {{":now", ddb::N(now_ms)}};
    Status done = db_.Call("DeleteItem", del).status();
    if (done.ok()) {
      ++deleted;
    } else if (!aws::IsConditionFailed(done)) {
      return done;
    }
  }
  return deleted;
}

}  // namespace ap::store
