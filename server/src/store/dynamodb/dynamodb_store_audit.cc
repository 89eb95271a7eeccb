// DynamoDbStore: the audit log (audit_store.h; docs/dynamodb.md "Audit log"). One item per entry in the `audit`
// table (key audit_id); each filter of AuditFilter has its GSI keyed by that attribute with `at_key` =
// "<at_ms 16 digits>#<audit_id>" as sort key, so every list is one Query of one index partition, newest first.
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/cursor.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/paging.h"

namespace ap::store {

using ddb::GetN;
using ddb::GetS;
using ddb::N;
using ddb::S;

namespace {

constexpr int64_t kMaxAuditDeleteBatch = 100000;
constexpr char kCursorKind[] = "audit";
// `audit_all` of every entry: the partition of the time index (by_time). See docs/dynamodb.md for why one
// partition is enough at audit write rates.
constexpr char kAllEntries[] = "audit";
// `audit_all` of the coalescing heads (AppendAuditCoalesced): another partition of by_time, which retention
// walks the same way, and which no list reads.
constexpr char kHeads[] = "coalesce-heads";
// How many times AppendAuditCoalesced starts over after losing a race for its key's head.
constexpr int kCoalesceAttempts = 8;

// Fields joined unambiguously ("<length>:<field>" each): the index key of several fields.
std::string Joined(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (std::string_view f : fields) out.append(std::to_string(f.size())).append(":").append(f);
  return out;
}

std::string AtKey(int64_t at_ms, const std::string& audit_id) { return ddb::Padded(at_ms) + "#" + audit_id; }

// The action up to and including its first '.' ("account." of "account.create"); "" without a '.'.
std::string ActionPrefix(const std::string& action) {
  const size_t dot = action.find('.');
  return dot == std::string::npos ? std::string() : action.substr(0, dot + 1);
}

std::string TargetKey(const std::string& type, const std::string& id) { return Joined({type, id}); }

std::string HeadId(const domain::AuditEntry& e) {
  return "coalesce#" + Joined({e.action, e.actor_id, e.target_type, e.target_id, e.client_ip, e.outcome});
}

ddb::Item ToItem(const domain::AuditEntry& e) {
  ddb::Item item{{"audit_id", S(e.audit_id)},
                 {"at_ms", N(e.at_ms)},
                 {"at_key", S(AtKey(e.at_ms, e.audit_id))},
                 {"audit_all", S(kAllEntries)},
                 {"actor_email", S(e.actor_email)},
                 {"target_type", S(e.target_type)},
                 {"target_id", S(e.target_id)},
                 {"client_ip", S(e.client_ip)},
                 {"user_agent", S(e.user_agent)},
                 {"request_id", S(e.request_id)},
                 {"detail", S(e.detail)},
                 {"count", N(e.count)},
                 {"last_at_ms", N(std::max(e.at_ms, e.last_at_ms))}};
  // These key an index, and an index key cannot be empty: an empty one is left out (the entry is then simply
  // not in that index, which no list of an empty value reads).
  const auto keyed = [&](const char* name, const std::string& value) {
    if (!value.empty()) item[name] = S(value);
  };
  keyed("actor_id", e.actor_id);
  keyed("action", e.action);
  keyed("action_prefix", ActionPrefix(e.action));
  keyed("outcome", e.outcome);
  if (!e.target_type.empty() || !e.target_id.empty()) item["target"] = S(TargetKey(e.target_type, e.target_id));
  return item;
}

domain::AuditEntry FromItem(const ddb::Item& item) {
  domain::AuditEntry e;
  e.audit_id = GetS(item, "audit_id");
  e.at_ms = GetN(item, "at_ms");
  e.actor_id = GetS(item, "actor_id");
  e.actor_email = GetS(item, "actor_email");
  e.action = GetS(item, "action");
  e.target_type = GetS(item, "target_type");
  e.target_id = GetS(item, "target_id");
  e.outcome = GetS(item, "outcome");
  e.client_ip = GetS(item, "client_ip");
  e.user_agent = GetS(item, "user_agent");
  e.request_id = GetS(item, "request_id");
  e.detail = GetS(item, "detail");
  e.count = GetN(item, "count", 1);
  e.last_at_ms = GetN(item, "last_at_ms", e.at_ms);
  return e;
}

// The index that serves a list (audit_store.h: AuditFilter) and its partition.
struct IndexChoice {
  const char* index;
  const char* attribute;
  std::string value;
};

IndexChoice ChooseIndex(const AuditFilter& f) {
  if (!f.target_type.empty() && !f.target_id.empty())
    return {"by_target", "target", TargetKey(f.target_type, f.target_id)};
  if (!f.actor_id.empty()) return {"by_actor", "actor_id", f.actor_id};
  if (!f.action.empty() && f.action.back() != '.') return {"by_action", "action", f.action};
  if (!f.action.empty()) return {"by_action_prefix", "action_prefix", ActionPrefix(f.action)};
  if (!f.outcome.empty()) return {"by_outcome", "outcome", f.outcome};
  return {"by_time", "audit_all", kAllEntries};
}

}  // namespace

Result<domain::AuditEntry> DynamoDbStore::AppendAudit(const domain::AuditEntry& entry, Durability) {
  if (entry.count < 1) return InvalidArgument("count must be at least 1", "count");
  if (!ddb::Paddable(entry.at_ms)) return InvalidArgument("at_ms must not be negative", "at_ms");
  boost::json::object put = ddb::Request(tables_.audit);
  put["Item"] = ToItem(entry);
  put["ConditionExpression"] = "attribute_not_exists(audit_id)";
  Result<boost::json::object> written = db_.Call("PutItem", put);
  if (!written.ok()) {
    if (aws::IsConditionFailed(written.status())) return AlreadyExists("audit entry " + entry.audit_id + " exists");
    return written.status();
  }
  domain::AuditEntry stored = entry;
  stored.last_at_ms = std::max(entry.at_ms, entry.last_at_ms);
  return stored;
}

// The newest coalesced entry of a key is named by the key's *head* item (in the audit table, audit_id
// "coalesce#<key>", partition kHeads of by_time): read consistently, so two instances never miss each other's
// entry the way a GSI read could. An increment is one conditional ADD on the entry; a new entry is put first and
// then made the head's with a conditional write (only if the head is still the one read), so of racing creators
// exactly one wins and the others delete their unannounced entry and join the winner's.
Result<domain::AuditEntry> DynamoDbStore::AppendAuditCoalesced(const domain::AuditEntry& entry,
                                                               int64_t window_start_ms) {
  if (!ddb::Paddable(entry.at_ms)) return InvalidArgument("at_ms must not be negative", "at_ms");
  const boost::json::object head_key{{"audit_id", S(HeadId(entry))}};
  for (int attempt = 0; attempt < kCoalesceAttempts; ++attempt) {
    boost::json::object get = ddb::Request(tables_.audit);
    get["Key"] = head_key;
    get["ConsistentRead"] = true;
    ASSIGN_OR_RETURN(boost::json::object got, db_.Call("GetItem", get));
    const ddb::Item* head = ddb::ItemOf(got);
    const std::string seen = head != nullptr ? GetS(*head, "entry_id") : std::string();

    if (head != nullptr && GetN(*head, "entry_at_ms") >= window_start_ms) {
      // Increment the head's entry: count + 1 and last_at_ms raised (a second try without the raise when the
      // entry's last_at_ms is already later). A failed "exists" means retention deleted it: start a new one.
      boost::json::object bump = ddb::Request(tables_.audit);
      bump["Key"] = {{"audit_id", S(seen)}};
      bump["ExpressionAttributeNames"] = {{"#c", "count"}, {"#l", "last_at_ms"}};
      bump["ExpressionAttributeValues"] = {{":one", N(1)}, {":at", N(entry.at_ms)}};
      bump["ReturnValues"] = "ALL_NEW";
      bump["UpdateExpression"] = "ADD #c :one SET #l = :at";
      bump["ConditionExpression"] = "attribute_exists(audit_id) AND #l < :at";
      Result<boost::json::object> bumped = db_.Call("UpdateItem", bump);
      if (!bumped.ok() && aws::IsConditionFailed(bumped.status())) {
        bump["UpdateExpression"] = "ADD #c :one";
        bump["ConditionExpression"] = "attribute_exists(audit_id)";
        bump["ExpressionAttributeNames"] = {{"#c", "count"}};
        bump["ExpressionAttributeValues"] = {{":one", N(1)}};
        bumped = db_.Call("UpdateItem", bump);
      }
      if (bumped.ok()) {
        const boost::json::value* attributes = bumped->if_contains("Attributes");
        if (attributes == nullptr || !attributes->is_object()) return Internal("UpdateItem returned no entry");
        return FromItem(attributes->as_object());
      }
      if (!aws::IsConditionFailed(bumped.status())) return bumped.status();
    }

    domain::AuditEntry first = entry;
    first.count = 1;
    first.last_at_ms = entry.at_ms;
    boost::json::object put = ddb::Request(tables_.audit);
    put["Item"] = ToItem(first);
    put["ConditionExpression"] = "attribute_not_exists(audit_id)";
    Result<boost::json::object> written = db_.Call("PutItem", put);
    if (!written.ok()) {
      if (aws::IsConditionFailed(written.status())) return AlreadyExists("audit entry " + entry.audit_id + " exists");
      return written.status();
    }
    boost::json::object swing = ddb::Request(tables_.audit);
    swing["Key"] = head_key;
    swing["UpdateExpression"] = "SET entry_id = :id, entry_at_ms = :at, at_key = :key, audit_all = :heads";
    boost::json::object values{{":id", S(first.audit_id)},
                               {":at", N(first.at_ms)},
                               {":key", S(AtKey(first.at_ms, first.audit_id))},
                               {":heads", S(kHeads)}};
    if (head == nullptr) {
      swing["ConditionExpression"] = "attribute_not_exists(audit_id)";
    } else {
      swing["ConditionExpression"] = "entry_id = :seen";
      values[":seen"] = S(seen);
    }
    swing["ExpressionAttributeValues"] = std::move(values);
    Result<boost::json::object> swung = db_.Call("UpdateItem", swing);
    if (swung.ok()) return first;
    // Another writer made its entry the head's first. Ours was never named by the head, so nobody counted into
    // it: delete it and join the winner's. (On an error other than the lost race ours stays, a true entry of
    // count 1, and the error is returned.)
    if (!aws::IsConditionFailed(swung.status())) return swung.status();
    boost::json::object del = ddb::Request(tables_.audit);
    del["Key"] = {{"audit_id", S(first.audit_id)}};
    RETURN_IF_ERROR(db_.Call("DeleteItem", del).status());
  }
  return Unavailable("audit entries of one key kept racing; try again");
}

Result<AuditPage> DynamoDbStore::ListAudit(const AuditFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  ASSIGN_OR_RETURN(const std::string cursor_key, ddb::CursorKey(filter.cursor, kCursorKind, true));
  AuditPage page;
  // The sort-key range: at_key >= lo (from_ms, inclusive: every key of that millisecond sorts after the bare
  // padded number) and at_key < hi (to_ms: likewise exclusive; the cursor: the key of the last entry served).
  if (filter.to_ms < 0 || filter.from_ms > ddb::kMaxPadded) return page;
  const std::string lo = filter.from_ms > 0 ? ddb::Padded(filter.from_ms) : std::string();
  std::string hi = filter.to_ms > 0 && filter.to_ms <= ddb::kMaxPadded ? ddb::Padded(filter.to_ms) : std::string();
  if (!cursor_key.empty() && (hi.empty() || cursor_key < hi)) hi = cursor_key;
  if (!lo.empty() && !hi.empty() && hi < lo) return page;

  const IndexChoice choice = ChooseIndex(filter);
  boost::json::object names{{"#k", choice.attribute}};
  boost::json::object values{{":k", S(choice.value)}};
  std::string key_condition = "#k = :k";
  // BETWEEN is inclusive: hi itself (only ever the cursor's entry) is dropped below.
  bool drop_hi = false;
  if (!lo.empty() && !hi.empty()) {
    key_condition += " AND at_key BETWEEN :lo AND :hi";
    drop_hi = true;
  } else if (!hi.empty()) {
    key_condition += " AND at_key < :hi";
  } else if (!lo.empty()) {
    key_condition += " AND at_key >= :lo";
  }
  if (!lo.empty()) values[":lo"] = S(lo);
  if (!hi.empty()) values[":hi"] = S(hi);

  // The conditions the index does not serve filter its pages (never the index's own key attributes).
  std::vector<std::string> filters;
  const auto add_filter = [&](const std::string& attribute, const std::string& value, bool prefix) {
    const std::string n = "#f" + std::to_string(filters.size());
    const std::string v = ":f" + std::to_string(filters.size());
    names[n] = attribute;
    values[v] = S(value);
    filters.push_back(prefix ? "begins_with(" + n + ", " + v + ")" : n + " = " + v);
  };
  const std::string_view index = choice.index;
  if (!filter.actor_id.empty() && index != "by_actor") add_filter("actor_id", filter.actor_id, false);
  if (!filter.action.empty()) {
    if (filter.action.back() != '.') {
      if (index != "by_action") add_filter("action", filter.action, false);
    } else if (index != "by_action_prefix" || filter.action != choice.value) {
      add_filter("action", filter.action, true);  // a deeper prefix ("quota.config.") than the index's
    }
  }
  if (index != "by_target") {
    if (!filter.target_type.empty()) add_filter("target_type", filter.target_type, false);
    if (!filter.target_id.empty()) add_filter("target_id", filter.target_id, false);
  }
  if (!filter.outcome.empty() && index != "by_outcome") add_filter("outcome", filter.outcome, false);

  boost::json::object req = ddb::Request(tables_.audit);
  req["IndexName"] = choice.index;
  req["KeyConditionExpression"] = key_condition;
  if (!filters.empty()) {
    std::string expression;
    for (const std::string& f : filters) expression += (expression.empty() ? "" : " AND ") + f;
    req["FilterExpression"] = expression;
  }
  req["ExpressionAttributeNames"] = std::move(names);
  req["ExpressionAttributeValues"] = std::move(values);
  req["ScanIndexForward"] = false;  // newest first
  const size_t want = static_cast<size_t>(filter.limit) + 1 + (drop_hi ? 1 : 0);
  // A filtered list reads pages of the index until enough entries match; larger pages mean fewer round trips.
  req["Limit"] = static_cast<int64_t>(filters.empty() ? want : std::max<size_t>(want, 200));
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, req, want));
  for (const boost::json::object& item : items) {
    if (drop_hi && GetS(item, "at_key") == hi) continue;
    if (static_cast<int64_t>(page.items.size()) == filter.limit) {
      const domain::AuditEntry& last = page.items.back();
      page.next = EncodeCursor(kCursorKind, {AtKey(last.at_ms, last.audit_id)});
      break;
    }
    page.items.push_back(FromItem(item));
  }
  return page;
}

Result<int64_t> DynamoDbStore::DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit, kMaxAuditDeleteBatch));
  if (cutoff_ms <= 0) return int64_t{0};
  const std::string hi = ddb::Padded(std::min(cutoff_ms, ddb::kMaxPadded));
  // The oldest entries (and coalescing heads) of by_time below the cutoff, `limit` at most: index pages of
  // keys, then batched deletes. by_time is a GSI, so an entry deleted a moment ago may be listed (and deleted,
  // harmlessly, again).
  const auto oldest = [&](const char* partition, const char* below,
                          const std::string& bound) -> Result<std::vector<boost::json::object>> {
    boost::json::object req = ddb::Request(tables_.audit);
    req["IndexName"] = "by_time";
    req["KeyConditionExpression"] = std::string("audit_all = :p AND at_key ") + below + " :hi";
    req["ExpressionAttributeValues"] = {{":p", S(partition)}, {":hi", S(bound)}};
    req["ProjectionExpression"] = "audit_id, at_key";
    req["ScanIndexForward"] = true;
    req["Limit"] = std::min<int64_t>(limit, 1000);
    return aws::QueryAll(db_, req, static_cast<size_t>(limit));
  };
  ASSIGN_OR_RETURN(std::vector<boost::json::object> entries, oldest(kAllEntries, "<", hi));
  std::vector<boost::json::object> deletes;
  deletes.reserve(entries.size());
  for (const boost::json::object& e : entries)
    deletes.push_back({{"DeleteRequest", {{"Key", {{"audit_id", S(GetS(e, "audit_id"))}}}}}});
  RETURN_IF_ERROR(aws::BatchWriteAll(db_, tables_.audit, deletes));
  // Heads whose entry was deleted name nothing any more (a head's at_key is its entry's): all those below the
  // cutoff once every old entry is gone, else those up to the last entry deleted. Each is deleted only if it
  // still names the same entry (a coalesced append may have moved it on meanwhile).
  const bool all_gone = static_cast<int64_t>(entries.size()) < limit;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> heads,
                   all_gone ? oldest(kHeads, "<", hi) : oldest(kHeads, "<=", GetS(entries.back(), "at_key")));
  for (const boost::json::object& h : heads) {
    boost::json::object del = ddb::Request(tables_.audit);
    del["Key"] = {{"audit_id", S(GetS(h, "audit_id"))}};
    del["ConditionExpression"] = "at_key = :seen";
    del["ExpressionAttributeValues"] = {{":seen", S(GetS(h, "at_key"))}};
    Result<boost::json::object> deleted = db_.Call("DeleteItem", del);
    if (!deleted.ok() && !aws::IsConditionFailed(deleted.status())) return deleted.status();
  }
  return static_cast<int64_t>(deletes.size());
}

}  // namespace ap::store
