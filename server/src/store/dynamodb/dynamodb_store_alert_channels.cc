// DynamoDbStore: alert channels (store/alert_channel_store.h) in the `main` table. docs/dynamodb.md ("Alert
// channels"): pk "ALERTCHANNELS", sk <channel id>; `doc` (alert_channel_records.h JSON, the sealed strings inside),
// `version`. ListAlertChannels is one Query of a partition of at most kMaxAlertChannels items.
#include <string>
#include <utility>
#include <vector>

#include "store/alert_channel_records.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/main_table_internal.h"

namespace ap::store {
namespace {

using ddb::Item;
using ddb::MainKey;
using ddb::S;

constexpr char kChannelsPk[] = "ALERTCHANNELS";

Result<StoredAlertChannel> ChannelFromItem(const Item& item) { return AlertChannelFromJson(ddb::GetS(item, "doc")); }

Status StaleVersion(const std::string& id, int64_t expected_version) {
  return FailedPrecondition("alert channel " + id + " is not at version " + std::to_string(expected_version));
}

}  // namespace

Result<std::vector<StoredAlertChannel>> DynamoDbStore::ListAlertChannels() {
  boost::json::object query = ddb::Request(tables_.main);
  query["KeyConditionExpression"] = "pk = :p";
  query["ExpressionAttributeValues"] = {{":p", S(kChannelsPk)}};
  query["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, query));
  std::vector<StoredAlertChannel> channels;
  channels.reserve(items.size());
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(StoredAlertChannel channel, ChannelFromItem(item));
    channels.push_back(std::move(channel));
  }
  return channels;
}

Result<StoredAlertChannel> DynamoDbStore::GetAlertChannel(const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<Item> item,
                   ddb::ReadItem(db_, tables_.main, MainKey(kChannelsPk, id), options_.consistent_reads));
  if (!item) return NotFound("alert channel " + id + " not found");
  return ChannelFromItem(*item);
}

Status DynamoDbStore::PutAlertChannel(const StoredAlertChannel& channel, int64_t expected_version) {
  RETURN_IF_ERROR(CheckAlertChannelWrite(channel, expected_version));
  Item item = MainKey(kChannelsPk, channel.id);
  item["doc"] = S(AlertChannelToJson(channel));
  item["version"] = ddb::N(channel.version);
  if (expected_version != 0) {
    Status put =
        ddb::PutItemIf(db_, tables_.main, std::move(item), "version = :v", {}, {{":v", ddb::N(expected_version)}});
    if (aws::IsConditionFailed(put)) return StaleVersion(channel.id, expected_version);
    return put;
  }
  ASSIGN_OR_RETURN(std::optional<Item> stored,
                   ddb::ReadItem(db_, tables_.main, MainKey(kChannelsPk, channel.id), true));
  if (stored) return AlreadyExists("alert channel " + channel.id + " already exists");
  // The cap: a bounded count of the channels' partition (at most kMaxAlertChannels keys), see
  // alert_channel_store.h.
  boost::json::object count = ddb::Request(tables_.main);
  count["KeyConditionExpression"] = "pk = :p";
  count["ExpressionAttributeValues"] = {{":p", S(kChannelsPk)}};
  count["ProjectionExpression"] = "sk";
  count["ConsistentRead"] = true;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> keys, aws::QueryAll(db_, count, kMaxAlertChannels));
  if (keys.size() >= kMaxAlertChannels)
    return FailedPrecondition("at most " + std::to_string(kMaxAlertChannels) + " alert channels");
  Status put = ddb::PutItemIf(db_, tables_.main, std::move(item), "attribute_not_exists(pk)");
  if (aws::IsConditionFailed(put)) return AlreadyExists("alert channel " + channel.id + " already exists");
  return put;
}

Status DynamoDbStore::DeleteAlertChannel(const std::string& id, int64_t expected_version) {
  boost::json::object del = ddb::Request(tables_.main);
  del["Key"] = MainKey(kChannelsPk, id);
  del["ConditionExpression"] = "version = :v";
  del["ExpressionAttributeValues"] = {{":v", ddb::N(expected_version)}};
  Result<boost::json::object> deleted = db_.Call("DeleteItem", del);
  if (deleted.ok()) return Status::Ok();
  if (!aws::IsConditionFailed(deleted.status())) return deleted.status();
  ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadItem(db_, tables_.main, MainKey(kChannelsPk, id), true));
  if (!stored) return NotFound("alert channel " + id + " not found");
  return StaleVersion(id, expected_version);
}

}  // namespace ap::store
