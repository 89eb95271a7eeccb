// DynamoDbStore: leases and epochs (coordination_store.h) on the main table (docs/dynamodb.md "Users, teams,
// sessions, throttles, leases, epochs").
//
// A lease write reads the record, decides with the shared rules (AcquiredLease, RenewedLease, ReleaseFrees) and
// writes conditionally on the record being exactly what it read (holder, token and expiry; absent for a first
// take): so the read, the decision and the write are one step, and of racing writers one wins while the others
// read again and decide anew. Lease records carry no `expires_at` attribute: DynamoDB TTL must never delete them
// (their token has to survive).
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

// Rounds of read-decide-write before a lease write gives up (Unavailable). A round is lost only to another
// writer's successful write, after which the decision usually changes (held by another: FailedPrecondition).
constexpr int kMaxRounds = 20;

Item LeaseKey(const std::string& name) { return MainKey("LEASE#" + name, "LEASE"); }
Item EpochKey(const std::string& name) { return MainKey("EPOCH#" + name, "EPOCH"); }

Lease LeaseFromItem(const std::string& name, const Item& item) {
  return Lease{.name = name,
               .holder = ddb::GetS(item, "holder"),
               .token = ddb::GetN(item, "token"),
               .expires_at_ms = ddb::GetN(item, "expires_at_ms")};
}

// Writes `next` if the record is still `stored` (nullptr: still absent). OK, FailedPrecondition
// (aws::IsConditionFailed) when another writer came first, or the DynamoDB error.
Status WriteLeaseIf(aws::DynamoDb& db, const std::string& table, const Lease* stored, const Lease& next) {
  Item item = LeaseKey(next.name);
  item["holder"] = S(next.holder);
  item["token"] = ddb::N(next.token);
  item["expires_at_ms"] = ddb::N(next.expires_at_ms);
  if (stored == nullptr) return ddb::PutItemIf(db, table, std::move(item), "attribute_not_exists(pk)");
  return ddb::PutItemIf(
      db, table, std::move(item), "#h = :h AND #t = :t AND #e = :e",
      {{"#h", "holder"}, {"#t", "token"}, {"#e", "expires_at_ms"}},
      {{":h", S(stored->holder)}, {":t", ddb::N(stored->token)}, {":e", ddb::N(stored->expires_at_ms)}});
}

Result<std::optional<Lease>> ReadLease(aws::DynamoDb& db, const std::string& table, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<Item> item, ddb::ReadItem(db, table, LeaseKey(name), /*consistent=*/true));
  if (!item) return std::optional<Lease>();
  return std::optional<Lease>(LeaseFromItem(name, *item));
}

}  // namespace

Result<Lease> DynamoDbStore::AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                                          int64_t ttl_ms) {
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, ttl_ms));
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Lease> stored, ReadLease(db_, tables_.main, name));
    const Lease* read = stored ? &*stored : nullptr;
    ASSIGN_OR_RETURN(Lease next, AcquiredLease(read, name, holder, now_ms, ttl_ms));
    Status written = WriteLeaseIf(db_, tables_.main, read, next);
    if (written.ok()) return next;
    if (!aws::IsConditionFailed(written)) return written;
  }
  return Unavailable("lease " + name + " is contended; try again");
}

Result<Lease> DynamoDbStore::RenewLease(const std::string& name, const std::string& holder, int64_t token,
                                        int64_t now_ms, int64_t ttl_ms) {
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, ttl_ms));
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Lease> stored, ReadLease(db_, tables_.main, name));
    if (!stored) return NotFound("lease " + name + " not found");
    ASSIGN_OR_RETURN(Lease next, RenewedLease(*stored, holder, token, now_ms, ttl_ms));
    Status written = WriteLeaseIf(db_, tables_.main, &*stored, next);
    if (written.ok()) return next;
    if (!aws::IsConditionFailed(written)) return written;
  }
  return Unavailable("lease " + name + " is contended; try again");
}

Status DynamoDbStore::ReleaseLease(const std::string& name, const std::string& holder, int64_t token) {
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, std::nullopt));
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Lease> stored, ReadLease(db_, tables_.main, name));
    if (!stored || !ReleaseFrees(*stored, holder, token)) return Status::Ok();
    Lease next = *stored;
    next.expires_at_ms = 0;
    Status written = WriteLeaseIf(db_, tables_.main, &*stored, next);
    if (written.ok() || !aws::IsConditionFailed(written)) return written;
  }
  return Unavailable("lease " + name + " is contended; try again");
}

Result<Lease> DynamoDbStore::GetLease(const std::string& name) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  ASSIGN_OR_RETURN(std::optional<Lease> stored, ReadLease(db_, tables_.main, name));
  if (!stored) return NotFound("lease " + name + " not found");
  return *std::move(stored);
}

Result<int64_t> DynamoDbStore::BumpEpoch(const std::string& name) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  // One ADD: atomic on the item, and it answers with the value it wrote.
  boost::json::object update = ddb::Request(tables_.main);
  update["Key"] = EpochKey(name);
  update["UpdateExpression"] = "ADD #v :one";
  update["ExpressionAttributeNames"] = {{"#v", "value"}};
  update["ExpressionAttributeValues"] = {{":one", ddb::N(1)}};
  update["ReturnValues"] = "UPDATED_NEW";
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("UpdateItem", update));
  const boost::json::value* attributes = answer.if_contains("Attributes");
  if (attributes == nullptr || !attributes->is_object() || !ddb::GetOptNd(attributes->as_object(), "value"))
    return Internal("BumpEpoch: no value returned");
  return ddb::GetN(attributes->as_object(), "value");
}

Result<int64_t> DynamoDbStore::GetEpoch(const std::string& name) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  ASSIGN_OR_RETURN(std::optional<Item> item, ddb::ReadItem(db_, tables_.main, EpochKey(name), true));
  return item ? ddb::GetN(*item, "value") : int64_t{0};
}

}  // namespace ap::store
