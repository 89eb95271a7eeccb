// DynamoDbStore: the value-sorted dashboard index (contract in store/value_sort_index.h; item layout and ownership in
// sort_index_internal.h and docs/dynamodb.md, "Value-sorted index"): the entries, the follow-up that moves them, and
// ListRowsByValue. The rebuild is in dynamodb_store_sort_rebuild.cc.
//
// A page reads, per scope, one Query of the scope's partition for the query's (code, region filter, direction)
// from the cursor's sort key on (Limit = page + 1), and merges them by sort key: O(scopes × page) entries, never a
// Scan. The partitions of one direction share the sort key encoding, so a cursor (the last sort key served) is a
// position in all of them.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "store/cursor.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/sort_index_internal.h"

namespace ap::store {

namespace ddb {

namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

boost::json::object StateJson(const SortState& state, const std::vector<std::pair<std::string, double>>& values) {
  boost::json::array v;
  for (const auto& [code, value] : values) v.push_back(boost::json::array{code.c_str(), SortValueKey(value).c_str()});
  return {{"s", state.scope}, {"k", state.name_key}, {"n", state.name}, {"v", std::move(v)}};
}

bool StateFromJson(const boost::json::value& json, SortState* state,
                   std::vector<std::pair<std::string, double>>* values) {
  const boost::json::object* o = json.if_object();
  if (o == nullptr) return false;
  auto str = [&](const char* name, std::string* out) {
    const boost::json::value* f = o->if_contains(name);
    if (f == nullptr || !f->is_string()) return false;
    *out = std::string(f->as_string());
    return true;
  };
  if (!str("s", &state->scope) || !str("k", &state->name_key) || !str("n", &state->name)) return false;
  const boost::json::value* v = o->if_contains("v");
  if (v == nullptr || !v->is_array()) return false;
  for (const boost::json::value& pair : v->as_array()) {
    const boost::json::array* p = pair.if_array();
    if (p == nullptr || p->size() != 2 || !(*p)[0].is_string() || !(*p)[1].is_string()) return false;
    std::optional<double> value = SortValueOfKey(std::string((*p)[1].as_string()), false);
    if (!value) return false;
    values->emplace_back(std::string((*p)[0].as_string()), *value);
  }
  return true;
}

}  // namespace

SortState SortStateOf(const domain::Account* account, const std::string& region) {
  const std::string scope = CountingScope(account, region);
  if (scope.empty()) return {};
  return {scope, CollationKey(account->account_name), account->account_name};
}

SortState StoredSortState(const Item& snapshot_item) {
  std::optional<std::string> key = GetOptS(snapshot_item, "sort_key");
  const std::string scope = GetS(snapshot_item, "counted");
  if (!key || scope.empty()) return {};
  return {scope, *key, GetS(snapshot_item, "sort_name")};
}

void SetSortState(Item& snapshot_item, const SortState& state) {
  if (state.scope.empty()) return;
  snapshot_item["sort_key"] = S(state.name_key);
  snapshot_item["sort_name"] = S(state.name);
}

std::string SortValueKey(double value) {
  if (value == 0) value = 0;  // -0 sorts (and reads back) as 0, as SQLite compares them
  uint64_t bits = std::bit_cast<uint64_t>(value);
  bits = (bits & kSignBit) != 0 ? ~bits : bits ^ kSignBit;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
  return buf;
}

std::optional<double> SortValueOfKey(const std::string& key, bool descending) {
  if (key.size() != 16) return std::nullopt;
  uint64_t bits = 0;
  for (char c : key) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    bits = (bits << 4) | static_cast<uint64_t>(digit);
  }
  if (descending) bits = ~bits;
  bits = (bits & kSignBit) != 0 ? bits ^ kSignBit : ~bits;
  const double value = std::bit_cast<double>(bits);
  if (std::isnan(value)) return std::nullopt;
  return value;
}

std::string SortPk(const std::string& scope, const std::string& code, const std::string& region, bool descending) {
  return kSortPkPrefix + JoinKey({scope, code, region, descending ? "d" : "a"});
}

std::vector<std::pair<std::string, double>> SortedValues(const std::vector<domain::QuotaValue>& values) {
  std::vector<std::pair<std::string, double>> out;
  for (const domain::QuotaValue& v : values) {
    if (!v.value || std::isnan(*v.value)) continue;
    if (v.state != domain::QuotaState::kOk && v.state != domain::QuotaState::kStale) continue;
    out.emplace_back(v.quota_code, *v.value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::pair<std::string, std::string>, Item> SortEntries(
    const SortState& state, const std::string& account_id, const std::string& region,
    const std::vector<std::pair<std::string, double>>& values) {
  std::map<std::pair<std::string, std::string>, Item> out;
  if (state.scope.empty()) return out;
  for (const auto& [code, value] : values) {
    const std::string asc = SortValueKey(value);
    std::string desc = asc;
    for (char& c : desc) {
      const int digit = c <= '9' ? c - '0' : c - 'a' + 10;
      c = "0123456789abcdef"[15 - digit];
    }
    for (const std::string& scope : {std::string(kFleetPk), state.scope}) {
      for (const std::string& filter : {std::string(), region}) {
        for (bool descending : {false, true}) {
          std::string pk = SortPk(scope, code, filter, descending);
          std::string sk = JoinKey({descending ? desc : asc, state.name_key, account_id, region});
          Item item{{"pk", S(pk)}, {"sk", S(sk)}, {"n", S(state.name)}};
          out.emplace(std::make_pair(std::move(pk), std::move(sk)), std::move(item));
        }
      }
    }
  }
  return out;
}

std::optional<std::string> SortFollowUp(const std::string& account_id, const std::string& region,
                                        const SortState& old_state, const std::vector<domain::QuotaValue>& old_values,
                                        const SortState& new_state, const std::vector<domain::QuotaValue>& new_values) {
  std::vector<std::pair<std::string, double>> was = SortedValues(old_values);
  std::vector<std::pair<std::string, double>> now = SortedValues(new_values);
  if (old_state.scope.empty()) was.clear();
  if (new_state.scope.empty()) now.clear();
  if (was.empty() && now.empty()) return std::nullopt;
  if (old_state == new_state && was == now) return std::nullopt;
  boost::json::object doc{
      {"a", account_id}, {"r", region}, {"o", StateJson(old_state, was)}, {"w", StateJson(new_state, now)}};
  return kSortFollowUp + boost::json::serialize(doc);
}

Status ApplySortFollowUp(aws::DynamoDb& db, const std::string& main_table, const std::string& instruction) {
  boost::system::error_code ec;
  const std::string_view body = std::string_view(instruction).substr(sizeof(kSortFollowUp) - 1);
  boost::json::value doc = boost::json::parse(body, ec);
  const boost::json::object* o = ec ? nullptr : doc.if_object();
  SortState old_state, new_state;
  std::vector<std::pair<std::string, double>> was, now;
  if (o == nullptr || !o->contains("a") || !o->at("a").is_string() || !o->contains("r") || !o->at("r").is_string() ||
      !o->contains("o") || !o->contains("w") || !StateFromJson(o->at("o"), &old_state, &was) ||
      !StateFromJson(o->at("w"), &new_state, &now)) {
    return Internal("unreadable sort follow-up");
  }
  const std::string account_id(o->at("a").as_string());
  const std::string region(o->at("r").as_string());
  const auto old_entries = SortEntries(old_state, account_id, region, was);
  const auto new_entries = SortEntries(new_state, account_id, region, now);
  // Deletes and puts are of distinct keys (an entry kept with another name is a put only), as BatchWriteItem needs.
  std::vector<boost::json::object> writes;
  for (const auto& [key, item] : old_entries) {
    if (!new_entries.contains(key)) {
      writes.push_back({{"DeleteRequest", {{"Key", MainKey(key.first, key.second)}}}});
    }
  }
  for (const auto& [key, item] : new_entries) {
    auto before = old_entries.find(key);
    if (before == old_entries.end() || before->second != item) writes.push_back({{"PutRequest", {{"Item", item}}}});
  }
  return aws::BatchWriteAll(db, main_table, writes);
}

}  // namespace ddb

// ---- Reads ---------------------------------------------------------------------------------------------

namespace {

using ddb::Item;

constexpr char kValueSortCursor[] = "value_sort.ddb";

}  // namespace

Result<ValueSortPage> DynamoDbStore::ListRowsByValue(const ValueSortQuery& q) {
  RETURN_IF_ERROR(CheckLimit(q.limit, 200));
  if (q.quota_code.empty()) return InvalidArgument("a quota code is required", "sort");
  const std::string direction = q.descending ? "desc" : "asc";
  std::string after;  // the sort key of the last row served ("" = from the start)
  if (!q.cursor.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> f, DecodeCursor(q.cursor, kValueSortCursor, 3));
    if (f[0] != q.quota_code || f[1] != direction)
      return InvalidArgument("the cursor belongs to another sort", "cursor");
    Result<std::vector<std::string>> fields = ddb::SplitKey(f[2]);
    if (!fields.ok() || fields->size() != 4 || !ddb::SortValueOfKey((*fields)[0], q.descending)) {
      return InvalidArgument("malformed cursor", "cursor");
    }
    after = std::move(f[2]);
  }

  std::set<std::string> scopes;
  if (q.fleet) {
    scopes.insert(ddb::kFleetPk);
  } else {
    for (const std::string& team : std::set<std::string>(q.teams.begin(), q.teams.end())) {
      boost::json::object query = ddb::Request(tables_.main);
      query["KeyConditionExpression"] = "pk = :pk";
      query["ExpressionAttributeValues"] = {{":pk", ddb::S(ddb::TeamLookupPk(team))}};
      query["ConsistentRead"] = options_.consistent_reads;
      ASSIGN_OR_RETURN(std::vector<boost::json::object> lookups, aws::QueryAll(db_, query));
      for (const Item& lookup : lookups) scopes.insert(ddb::GetS(lookup, "sk"));
    }
  }

  // limit + 1 per scope: the merged first limit + 1 tell the page and whether another row follows. An account is
  // in one team-set scope, so the scopes' entries are distinct.
  std::vector<Item> entries;
  for (const std::string& scope : scopes) {
    boost::json::object query = ddb::Request(tables_.main);
    query["ConsistentRead"] = options_.consistent_reads;
    query["Limit"] = q.limit + 1;
    boost::json::object values{{":pk", ddb::S(ddb::SortPk(scope, q.quota_code, q.region, q.descending))}};
    if (after.empty()) {
      query["KeyConditionExpression"] = "pk = :pk";
    } else {
      query["KeyConditionExpression"] = "pk = :pk AND sk > :after";
      values[":after"] = ddb::S(after);
    }
    query["ExpressionAttributeValues"] = std::move(values);
    ASSIGN_OR_RETURN(std::vector<boost::json::object> got, aws::QueryAll(db_, query, static_cast<size_t>(q.limit) + 1));
    entries.insert(entries.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
  }
  std::sort(entries.begin(), entries.end(),
            [](const Item& a, const Item& b) { return ddb::GetS(a, "sk") < ddb::GetS(b, "sk"); });

  ValueSortPage page;
  const bool more = entries.size() > static_cast<size_t>(q.limit);
  if (more) entries.resize(static_cast<size_t>(q.limit));
  for (const Item& entry : entries) {
    ASSIGN_OR_RETURN(std::vector<std::string> fields, ddb::SplitKey(ddb::GetS(entry, "sk")));
    std::optional<double> value = fields.size() == 4 ? ddb::SortValueOfKey(fields[0], q.descending) : std::nullopt;
    if (!value) return Internal("unreadable value-sort entry");
    page.rows.push_back(ValueSortRow{fields[2], ddb::GetS(entry, "n"), fields[3], *value});
  }
  if (more && !entries.empty()) {
    page.next = EncodeCursor(kValueSortCursor, {q.quota_code, direction, ddb::GetS(entries.back(), "sk")});
  }
  return page;
}

}  // namespace ap::store
