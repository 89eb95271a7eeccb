// DynamoDbStore: quota history (quota_history_store.h; docs/dynamodb.md "Quota history"). One item per entry on
// `main`: pk "HIST#<account_id>#<region>", sk "<at_ms 16 digits>#<history_id>", so a page is one Query of one
// partition, newest first.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "store/cursor.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/paging.h"

namespace ap::store {

using ddb::GetN;
using ddb::GetOptNd;
using ddb::GetS;
using ddb::N;
using ddb::Nd;
using ddb::S;

namespace {

constexpr size_t kMaxHistoryCodes = 8;
constexpr char kCursorKind[] = "quota_history";

std::string HistoryPk(const std::string& account_id, const std::string& region) {
  return "HIST#" + account_id + "#" + region;
}

std::string HistorySk(const domain::QuotaHistoryEntry& e) { return ddb::Padded(e.at_ms) + "#" + e.history_id; }

bool Finite(const std::optional<double>& v) { return !v || std::isfinite(*v); }

ddb::Item ToItem(const domain::QuotaHistoryEntry& e) {
  ddb::Item item{{"pk", S(HistoryPk(e.account_id, e.region))},
                 {"sk", S(HistorySk(e))},
                 {"history_id", S(e.history_id)},
                 {"account_id", S(e.account_id)},
                 {"region", S(e.region)},
                 {"quota_code", S(e.quota_code)},
                 {"at_ms", N(e.at_ms)},
                 {"event", S(domain::QuotaEventName(e.event))},
                 {"state", S(domain::QuotaStateName(e.state))},
                 {"is_default", ddb::B(e.is_default)},
                 {"reason", S(e.reason)}};
  // Absent stays absent (never 0): the attribute is left out.
  if (e.value) item["value"] = Nd(*e.value);
  if (e.previous_value) item["previous_value"] = Nd(*e.previous_value);
  return item;
}

Result<domain::QuotaHistoryEntry> FromItem(const ddb::Item& item) {
  domain::QuotaHistoryEntry e;
  e.history_id = GetS(item, "history_id");
  e.account_id = GetS(item, "account_id");
  e.region = GetS(item, "region");
  e.quota_code = GetS(item, "quota_code");
  e.at_ms = GetN(item, "at_ms");
  Result<domain::QuotaEvent> event = domain::ParseQuotaEvent(GetS(item, "event"));
  Result<domain::QuotaState> state = domain::ParseQuotaState(GetS(item, "state"));
  if (!event.ok() || !state.ok()) return Internal("unreadable quota history entry " + e.history_id);
  e.event = *event;
  e.state = *state;
  e.value = GetOptNd(item, "value");
  e.previous_value = GetOptNd(item, "previous_value");
  e.is_default = ddb::GetB(item, "is_default");
  e.reason = GetS(item, "reason");
  return e;
}

}  // namespace

Status DynamoDbStore::AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  for (const auto& e : entries) {
    // DynamoDB has no NaN or infinities; SQLite refuses NaN, so both refuse it the same way (see the contract).
    if (!Finite(e.value) || !Finite(e.previous_value))
      return InvalidArgument("history value of " + e.quota_code + " is NaN or infinite", "entries");
    if (e.history_id.empty()) return InvalidArgument("history entry of " + e.quota_code + " has no id", "entries");
    if (!ddb::Paddable(e.at_ms))
      return InvalidArgument("history entry of " + e.quota_code + " has a negative time", "entries");
  }
  // One put per key: a batch may not name a key twice (the later entry wins, as it would written one by one).
  std::map<std::pair<std::string, std::string>, const domain::QuotaHistoryEntry*> by_key;
  for (const auto& e : entries) by_key[{HistoryPk(e.account_id, e.region), HistorySk(e)}] = &e;
  std::vector<boost::json::object> writes;
  writes.reserve(by_key.size());
  for (const auto& [key, e] : by_key) writes.push_back({{"PutRequest", {{"Item", ToItem(*e)}}}});
  // Unconditional puts: the same id is the same event (a retried append replaces it). history_id fixes at_ms
  // (domain::HistoryId), so the same id always lands on the same sort key.
  return aws::BatchWriteAll(db_, tables_.main, writes);
}

Result<QuotaHistoryPage> DynamoDbStore::ListQuotaHistory(const QuotaHistoryFilter& f) {
  RETURN_IF_ERROR(CheckLimit(f.limit, 10000));
  if (f.account_id.empty() || f.region.empty()) return InvalidArgument("account_id and region are required");
  if (f.quota_codes.size() > kMaxHistoryCodes)
    return InvalidArgument("at most 8 quota codes can be filtered on", "quota_codes");
  ASSIGN_OR_RETURN(const std::string before, ddb::CursorKey(f.cursor, kCursorKind, true));
  boost::json::object req = ddb::Request(tables_.main);
  boost::json::object values{{":pk", S(HistoryPk(f.account_id, f.region))}};
  std::string key_condition = "pk = :pk";
  if (!before.empty()) {
    key_condition += " AND sk < :before";
    values[":before"] = S(before);
  }
  if (!f.quota_codes.empty()) {
    // The codes filter the pages of the partition (each page reads `Limit` entries, returns the matching ones).
    std::string in;
    for (size_t i = 0; i < f.quota_codes.size(); ++i) {
      const std::string name = ":c" + std::to_string(i);
      in += (i ? ", " : "") + name;
      values[name] = S(f.quota_codes[i]);
    }
    req["FilterExpression"] = "quota_code IN (" + in + ")";
  }
  req["KeyConditionExpression"] = key_condition;
  req["ExpressionAttributeValues"] = std::move(values);
  req["ScanIndexForward"] = false;  // newest first
  req["ConsistentRead"] = options_.consistent_reads;
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, ddb::QueryPage(db_, std::move(req), f.limit, &more));
  QuotaHistoryPage page;
  for (const boost::json::object& item : items) {
    ASSIGN_OR_RETURN(domain::QuotaHistoryEntry e, FromItem(item));
    page.items.push_back(std::move(e));
  }
  if (more) page.next = EncodeCursor(kCursorKind, {GetS(items.back(), "sk")});
  std::reverse(page.items.begin(), page.items.end());
  return page;
}

}  // namespace ap::store
