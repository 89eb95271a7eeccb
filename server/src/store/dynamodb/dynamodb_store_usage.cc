// DynamoDbStore: usage against quota (store/usage_store.h), on the `main` table (docs/dynamodb.md, "Usage").
//
//  - Hour records: pk "USAGEH#" + JoinKey(account_id, region, series), sk the hour (16 digits); `points` is the JSON
//    of store/usage_records.h; `expires_at` (epoch seconds) is the table's TTL attribute, so DynamoDB drops them
//    and DeleteExpiredUsageHours returns 0.
//  - Snapshots: pk "USAGE#" + account_id, sk region; the owner records of their index entries. PutUsageSnapshot
//    commits with one PutItem conditioned on the revision (and on no pending intent); its intent deletes the
//    replaced snapshot's entries that the new one does not have and puts the new ones (intent.h). A deletion
//    commits a tombstone (`deleted`) whose intent deletes the entries, then the item.
//  - Index entries: pk "USAGEIDX#F" (the fleet) or "USAGEIDX#T#" + team, sk JoinKey(HeadroomSortKey(headroom),
//    account_id, region, model_id): one Query per page, least headroom first.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/cursor.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/paging.h"
#include "store/usage_records.h"

namespace ap::store {

namespace {

using ddb::Item;

constexpr size_t kMaxSnapshotKeys = 1000;
constexpr int64_t kMaxSweep = 1000;
constexpr int kMaxCommitAttempts = 50;
constexpr char kHeadroomCursor[] = "usage_headroom";

std::string HoursPk(const std::string& account_id, const std::string& region, const std::string& series) {
  return "USAGEH#" + ddb::JoinKey({account_id, region, series});
}
Item UsageKey(const std::string& account_id, const std::string& region) {
  return ddb::MainKey("USAGE#" + account_id, region);
}
std::string IndexPk(const std::string& team) { return team.empty() ? "USAGEIDX#F" : "USAGEIDX#T#" + team; }
std::string EntrySk(const HeadroomEntry& e) {
  return ddb::JoinKey({usage_records::HeadroomSortKey(e.headroom), e.account_id, e.region, e.model_id});
}

// A double as text ("%.17g": reads back to the same double; DynamoDB numbers cannot hold every double).
boost::json::value DoubleText(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return ddb::S(buf);
}
std::optional<double> DoubleOf(const Item& item, const char* name) {
  std::optional<std::string> text = ddb::GetOptS(item, name);
  if (!text) return std::nullopt;
  return std::strtod(text->c_str(), nullptr);
}

Item EntryItem(const std::string& team, const HeadroomEntry& e) {
  Item item = ddb::MainKey(IndexPk(team), EntrySk(e));
  item["account_id"] = ddb::S(e.account_id);
  item["region"] = ddb::S(e.region);
  item["model_id"] = ddb::S(e.model_id);
  item["headroom"] = DoubleText(e.headroom == 0 ? 0.0 : e.headroom);
  if (e.headroom_tpm) item["headroom_tpm"] = DoubleText(*e.headroom_tpm);
  if (e.headroom_rpm) item["headroom_rpm"] = DoubleText(*e.headroom_rpm);
  item["polled_at_ms"] = ddb::N(e.polled_at_ms);
  return item;
}

HeadroomEntry EntryOf(const Item& item) {
  return HeadroomEntry{.account_id = ddb::GetS(item, "account_id"),
                       .region = ddb::GetS(item, "region"),
                       .model_id = ddb::GetS(item, "model_id"),
                       .headroom = DoubleOf(item, "headroom").value_or(0),
                       .headroom_tpm = DoubleOf(item, "headroom_tpm"),
                       .headroom_rpm = DoubleOf(item, "headroom_rpm"),
                       .polled_at_ms = ddb::GetN(item, "polled_at_ms")};
}

// The keys (pk, sk) of the index entries of `snapshot`, under the fleet and each of its teams.
std::map<std::pair<std::string, std::string>, Item> EntryItems(const UsageSnapshot& snapshot) {
  std::map<std::pair<std::string, std::string>, Item> items;
  std::vector<std::string> scopes{""};
  scopes.insert(scopes.end(), snapshot.teams.begin(), snapshot.teams.end());
  for (const HeadroomEntry& e : HeadroomEntriesOf(snapshot)) {
    for (const std::string& team : scopes) items.emplace(std::make_pair(IndexPk(team), EntrySk(e)), EntryItem(team, e));
  }
  return items;
}

// The intent writes that turn the entries of `before` (nullptr: none) into those of `after` (nullptr: none): the
// entries only `before` has are deleted, every entry of `after` is put.
std::vector<ddb::DerivedWrite> IndexWrites(const std::string& table, const UsageSnapshot* before,
                                           const UsageSnapshot* after) {
  std::map<std::pair<std::string, std::string>, Item> old_items;
  std::map<std::pair<std::string, std::string>, Item> new_items;
  if (before != nullptr) old_items = EntryItems(*before);
  if (after != nullptr) new_items = EntryItems(*after);
  std::vector<ddb::DerivedWrite> writes;
  for (const auto& [key, item] : old_items) {
    if (new_items.count(key) == 0)
      writes.push_back(ddb::DerivedWrite::Delete(table, ddb::MainKey(key.first, key.second)));
  }
  for (auto& [key, item] : new_items) writes.push_back(ddb::DerivedWrite::Put(table, std::move(item)));
  return writes;
}

Item SnapshotToItem(const UsageSnapshot& s, int64_t revision) {
  Item item = UsageKey(s.account_id, s.region);
  item["account_id"] = ddb::S(s.account_id);
  item["region"] = ddb::S(s.region);
  item["teams"] = ddb::Ls(s.teams);
  item["state"] = ddb::S(usage_records::UsageStateName(s.state));
  item["polled_at_ms"] = ddb::N(s.polled_at_ms);
  item["attempted_at_ms"] = ddb::N(s.attempted_at_ms);
  item["error_code"] = ddb::S(s.error_code);
  item["error_message"] = ddb::S(s.error_message);
  item["summaries"] = ddb::S(usage_records::EncodeSummaries(s));
  item["rev"] = ddb::N(revision);
  return item;
}

Result<UsageSnapshot> SnapshotFromItem(const Item& item) {
  UsageSnapshot s;
  s.account_id = ddb::GetS(item, "account_id");
  s.region = ddb::GetS(item, "region");
  s.teams = ddb::GetLs(item, "teams");
  ASSIGN_OR_RETURN(s.state, usage_records::ParseUsageState(ddb::GetS(item, "state")));
  s.polled_at_ms = ddb::GetN(item, "polled_at_ms");
  s.attempted_at_ms = ddb::GetN(item, "attempted_at_ms");
  s.error_code = ddb::GetS(item, "error_code");
  s.error_message = ddb::GetS(item, "error_message");
  RETURN_IF_ERROR(usage_records::DecodeSummaries(ddb::GetS(item, "summaries"), &s));
  s.revision = ddb::GetN(item, "rev");
  return s;
}

bool IsLive(const Item& item) { return !ddb::GetB(item, "deleted"); }

// PutItem of `item` under `condition` ("" = none). FailedPrecondition (aws::IsConditionFailed) when it failed.
Status PutIf(aws::DynamoDb& db, const std::string& table, Item item, const std::string& condition,
             boost::json::object names = {}, boost::json::object values = {}) {
  boost::json::object put = ddb::Request(table);
  put["Item"] = std::move(item);
  if (!condition.empty()) put["ConditionExpression"] = condition;
  if (!names.empty()) put["ExpressionAttributeNames"] = std::move(names);
  if (!values.empty()) put["ExpressionAttributeValues"] = std::move(values);
  return db.Call("PutItem", put).status();
}

}  // namespace

// ---- Hour records --------------------------------------------------------------------------------------

Status DynamoDbStore::PutUsageHours(const std::vector<UsageHour>& hours) {
  RETURN_IF_ERROR(usage_records::ValidateUsageHours(hours));
  // One PutItem per record (a record is replaced whole; two records of one batch may share a key, which
  // BatchWriteItem refuses).
  for (const UsageHour& h : hours) {
    Item item = ddb::MainKey(HoursPk(h.account_id, h.region, h.series), ddb::Padded(h.hour));
    item["account_id"] = ddb::S(h.account_id);
    item["region"] = ddb::S(h.region);
    item["series"] = ddb::S(h.series);
    item["hour"] = ddb::N(h.hour);
    item["points"] = ddb::S(usage_records::EncodePoints(h.points, h.hour));
    item["expires_at"] = ddb::N(h.expires_at);
    RETURN_IF_ERROR(PutIf(db_, tables_.main, std::move(item), ""));
  }
  return Status::Ok();
}

Result<std::vector<UsageHour>> DynamoDbStore::ListUsageHours(const std::string& account_id, const std::string& region,
                                                             const std::string& series, int64_t from_hour,
                                                             int64_t to_hour) {
  RETURN_IF_ERROR(usage_records::ValidateHourRange(from_hour, to_hour));
  if (!ddb::Paddable(to_hour)) return InvalidArgument("to_hour is out of range", "to_hour");
  boost::json::object query = ddb::Request(tables_.main);
  query["KeyConditionExpression"] = "pk = :p AND sk BETWEEN :from AND :to";
  query["ExpressionAttributeValues"] = {{":p", ddb::S(HoursPk(account_id, region, series))},
                                        {":from", ddb::S(ddb::Padded(from_hour))},
                                        {":to", ddb::S(ddb::Padded(to_hour))}};
  query["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, query));
  std::vector<UsageHour> hours;
  for (const Item& item : items) {
    UsageHour& h = hours.emplace_back();
    h.account_id = account_id;
    h.region = region;
    h.series = series;
    h.hour = ddb::GetN(item, "hour");
    ASSIGN_OR_RETURN(h.points, usage_records::DecodePoints(ddb::GetS(item, "points"), h.hour));
    h.expires_at = ddb::GetN(item, "expires_at");
  }
  return hours;
}

Result<int64_t> DynamoDbStore::DeleteExpiredUsageHours(int64_t /*now*/, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit, kMaxSweep));
  return 0;  // the table's TTL on expires_at removes them
}

// ---- Snapshots -----------------------------------------------------------------------------------------

Result<UsageSnapshot> DynamoDbStore::GetUsageSnapshot(const std::string& account_id, const std::string& region) {
  boost::json::object get = ddb::Request(tables_.main);
  get["Key"] = UsageKey(account_id, region);
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  const Item* item = ddb::ItemOf(answer);
  if (item == nullptr || !IsLive(*item)) return NotFound("no usage stored for account " + account_id + " in " + region);
  return SnapshotFromItem(*item);
}

Result<std::vector<UsageSnapshot>> DynamoDbStore::GetUsageSnapshots(const std::vector<UsageSnapshotKey>& keys) {
  if (keys.size() > kMaxSnapshotKeys) return InvalidArgument("at most 1000 snapshot keys per call", "keys");
  std::vector<boost::json::object> request_keys;
  std::set<std::pair<std::string, std::string>> seen;
  for (const UsageSnapshotKey& key : keys) {
    if (seen.emplace(key.account_id, key.region).second) request_keys.push_back(UsageKey(key.account_id, key.region));
  }
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                   aws::BatchGetAll(db_, tables_.main, request_keys, options_.consistent_reads));
  std::map<std::pair<std::string, std::string>, UsageSnapshot> found;
  for (const Item& item : items) {
    if (!IsLive(item)) continue;
    ASSIGN_OR_RETURN(UsageSnapshot s, SnapshotFromItem(item));
    std::pair<std::string, std::string> key{s.account_id, s.region};
    found.emplace(std::move(key), std::move(s));
  }
  std::vector<UsageSnapshot> out;
  for (const UsageSnapshotKey& key : keys) {
    auto it = found.find({key.account_id, key.region});
    if (it == found.end()) continue;
    out.push_back(std::move(it->second));
    found.erase(it);  // a key given twice is served once
  }
  return out;
}

Result<int64_t> DynamoDbStore::PutUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision) {
  RETURN_IF_ERROR(usage_records::ValidateUsageSnapshot(snapshot, expected_revision));
  const Item key = UsageKey(snapshot.account_id, snapshot.region);
  // Settled first: the replaced snapshot's entries are in place (or a deletion is finished) before this one's
  // intent is computed from them.
  ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadSettledOwner(db_, intents_, tables_.main, key));
  std::optional<UsageSnapshot> before;
  if (stored && IsLive(*stored)) {
    ASSIGN_OR_RETURN(before, SnapshotFromItem(*stored));
  }
  const int64_t revision = before ? before->revision : 0;
  const auto conflict = [&] {
    return FailedPrecondition("the usage of " + snapshot.account_id + " in " + snapshot.region +
                              " is not at revision " + std::to_string(expected_revision) + "; re-read and retry");
  };
  if (revision != expected_revision) return conflict();

  ddb::Intent intent;
  intent.op_id = ddb::NewOpId(random_);
  intent.writes = IndexWrites(tables_.main, before ? &*before : nullptr, &snapshot);
  Item item = SnapshotToItem(snapshot, expected_revision + 1);
  if (!intent.writes.empty()) ddb::AddIntent(item, intent, clock_.NowUnixMillis());
  const std::string condition =
      stored ? std::string("rev = :rev AND ") + ddb::kNoPendingIntent : std::string("attribute_not_exists(pk)");
  boost::json::object values;
  if (stored) values[":rev"] = ddb::N(ddb::GetN(*stored, "rev"));
  Status committed = PutIf(db_, tables_.main, std::move(item), condition, {}, std::move(values));
  if (aws::IsConditionFailed(committed)) return conflict();  // another write came first
  RETURN_IF_ERROR(committed);
  if (!intent.writes.empty()) RETURN_IF_ERROR(intents_.Apply(tables_.main, key, intent));
  return expected_revision + 1;
}

Status DynamoDbStore::DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) {
  for (const std::string& region : regions) {
    const Item key = UsageKey(account_id, region);
    for (int attempt = 0;; ++attempt) {
      if (attempt == kMaxCommitAttempts) {
        std::string message = "the usage of " + account_id;
        message.append(" in ").append(region).append(" keeps changing; try again");
        return Unavailable(message);
      }
      ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadSettledOwner(db_, intents_, tables_.main, key));
      if (!stored) break;
      ASSIGN_OR_RETURN(UsageSnapshot before, SnapshotFromItem(*stored));
      // The hour records first, while the snapshot still names their series: a failure here leaves the snapshot,
      // and a retry finds them again. (Records written after this by a poll still running expire by TTL.)
      for (const SeriesUsage& series : before.series) {
        boost::json::object query = ddb::Request(tables_.main);
        query["KeyConditionExpression"] = "pk = :p";
        query["ExpressionAttributeValues"] = {{":p", ddb::S(HoursPk(account_id, region, series.series))}};
        query["ProjectionExpression"] = "pk, sk";
        query["ConsistentRead"] = true;
        ASSIGN_OR_RETURN(std::vector<boost::json::object> hours, aws::QueryAll(db_, query));
        std::vector<boost::json::object> deletes;
        deletes.reserve(hours.size());
        for (const Item& hour : hours) {
          deletes.push_back({{"DeleteRequest", {{"Key", ddb::MainKey(ddb::GetS(hour, "pk"), ddb::GetS(hour, "sk"))}}}});
        }
        if (!deletes.empty()) RETURN_IF_ERROR(aws::BatchWriteAll(db_, tables_.main, deletes));
      }
      // A tombstone whose intent deletes the index entries, then the snapshot item.
      Item tombstone = key;
      tombstone["account_id"] = ddb::S(account_id);
      tombstone["region"] = ddb::S(region);
      tombstone["deleted"] = ddb::B(true);
      tombstone["rev"] = ddb::N(before.revision + 1);
      ddb::Intent intent;
      intent.op_id = ddb::NewOpId(random_);
      intent.delete_owner = true;
      intent.writes = IndexWrites(tables_.main, &before, nullptr);
      ddb::AddIntent(tombstone, intent, clock_.NowUnixMillis());
      Status committed =
          PutIf(db_, tables_.main, std::move(tombstone), std::string("rev = :rev AND ") + ddb::kNoPendingIntent, {},
                {{":rev", ddb::N(before.revision)}});
      if (aws::IsConditionFailed(committed)) continue;  // rewritten meanwhile: start again from the new one
      RETURN_IF_ERROR(committed);
      RETURN_IF_ERROR(intents_.Apply(tables_.main, key, intent));
      break;
    }
  }
  return Status::Ok();
}

// ---- Headroom index ------------------------------------------------------------------------------------

Result<HeadroomPage> DynamoDbStore::ListHeadroom(const std::string& team, const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::string after;
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> fields, DecodeCursor(cursor, kHeadroomCursor, 4));
    RETURN_IF_ERROR(usage_records::HeadroomFromSortKey(fields[0]).status());
    after = ddb::JoinKey(fields);
  }
  boost::json::object query = ddb::Request(tables_.main);
  query["KeyConditionExpression"] = after.empty() ? "pk = :p" : "pk = :p AND sk > :after";
  query["ExpressionAttributeValues"] = {{":p", ddb::S(IndexPk(team))}};
  if (!after.empty()) query["ExpressionAttributeValues"].as_object()[":after"] = ddb::S(after);
  query["ConsistentRead"] = options_.consistent_reads;
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, ddb::QueryPage(db_, query, limit, &more));
  HeadroomPage page;
  for (const Item& item : items) page.items.push_back(EntryOf(item));
  if (more && !page.items.empty()) {
    const HeadroomEntry& last = page.items.back();
    page.next = EncodeCursor(
        kHeadroomCursor, {usage_records::HeadroomSortKey(last.headroom), last.account_id, last.region, last.model_id});
  }
  return page;
}

}  // namespace ap::store
