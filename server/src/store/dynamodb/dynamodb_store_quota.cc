// DynamoDbStore: the quota cache (one item per snapshot in `quota-cache`), the follow-up that recounts a
// snapshot after its account changed, and the quota config (docs/dynamodb.md, "Accounts, quota cache,
// aggregates").
//
// A snapshot item is the owner of its values' contribution to the aggregates: it records the scope it counts in
// (`counted`, absent when it counts nowhere) and a revision `rev`. A write reads the snapshot, then the account
// (in that order: see SnapshotWriter::Write), computes the contribution the new state should have, and commits with a
// PutItem conditioned on the revision it read, carrying the ADDs (old contribution out, new one in) as its intent.
// A conflict re-reads and retries, so each change of a scope's totals is applied by exactly one snapshot write.
// The item likewise owns its value-sorted index entries (sort_index_internal.h): it records the state they were
// written with (`sort_key`, `sort_name`, with `counted`), and a write whose entries change moves them with a `sort`
// follow-up in the same intent.
#include <algorithm>
#include <cmath>
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
#include "store/dynamodb/sort_index_internal.h"

namespace ap::store {

namespace {

using ddb::Item;

constexpr size_t kMaxSnapshotKeys = 1000;
constexpr int kMaxCommitAttempts = 50;
constexpr char kSnapshotCursor[] = "quota_snapshots";
const std::vector<domain::QuotaValue> kNoValues;

// ---- Snapshot items ----

// A value's number as text ("%.17g": reads back to the same double, infinities included; DynamoDB numbers
// cannot hold 1e300 or infinities, so values are not stored as numbers).
std::string ValueText(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

boost::json::value ValueToAttr(const domain::QuotaValue& v) {
  Item m{{"c", ddb::S(v.quota_code)},  {"st", ddb::S(domain::QuotaStateName(v.state))},
         {"d", ddb::B(v.is_default)},  {"r", ddb::S(v.reason)},
         {"ra", ddb::N(v.read_at_ms)}, {"aa", ddb::N(v.attempted_at_ms)}};
  if (v.value) m["v"] = ddb::S(ValueText(*v.value));
  if (v.aws_default) m["ad"] = ddb::S(ValueText(*v.aws_default));
  if (v.aws_default_read_at_ms != 0) m["adt"] = ddb::N(v.aws_default_read_at_ms);
  return ddb::M(m);
}

Result<domain::QuotaValue> ValueFromAttr(const boost::json::value& attr) {
  const boost::json::object* typed = attr.if_object();
  const boost::json::value* map = typed != nullptr ? typed->if_contains("M") : nullptr;
  if (map == nullptr || !map->is_object()) return Internal("unreadable quota value");
  const Item& m = map->as_object();
  domain::QuotaValue v;
  v.quota_code = ddb::GetS(m, "c");
  ASSIGN_OR_RETURN(v.state, domain::ParseQuotaState(ddb::GetS(m, "st")));
  v.is_default = ddb::GetB(m, "d");
  v.reason = ddb::GetS(m, "r");
  v.read_at_ms = ddb::GetN(m, "ra");
  v.attempted_at_ms = ddb::GetN(m, "aa");
  if (std::optional<std::string> text = ddb::GetOptS(m, "v")) v.value = std::strtod(text->c_str(), nullptr);
  if (std::optional<std::string> text = ddb::GetOptS(m, "ad")) v.aws_default = std::strtod(text->c_str(), nullptr);
  v.aws_default_read_at_ms = ddb::GetN(m, "adt");
  return v;
}

Item SnapshotToItem(const domain::QuotaSnapshot& s) {
  std::vector<domain::QuotaValue> values = s.values;
  std::sort(values.begin(), values.end(),
            [](const domain::QuotaValue& a, const domain::QuotaValue& b) { return a.quota_code < b.quota_code; });
  boost::json::array list;
  for (const domain::QuotaValue& v : values) list.push_back(ValueToAttr(v));
  Item item{{"account_id", ddb::S(s.account_id)},
            {"region", ddb::S(s.region)},
            {"updated_at_ms", ddb::N(s.updated_at_ms)},
            {"values", boost::json::object{{"L", std::move(list)}}}};
  if (const auto& l = s.last_lowered) {
    // Absent when none was seen (so it reads back absent).
    item["lowered"] = ddb::M(Item{{"at", ddb::N(l->at_ms)},
                                  {"c", ddb::S(l->quota_code)},
                                  {"p", ddb::S(ValueText(l->previous_value))},
                                  {"v", ddb::S(ValueText(l->value))}});
  }
  return item;
}

}  // namespace

Result<domain::QuotaSnapshot> ddb::SnapshotFromItem(const Item& item) {
  domain::QuotaSnapshot s;
  s.account_id = ddb::GetS(item, "account_id");
  s.region = ddb::GetS(item, "region");
  s.updated_at_ms = ddb::GetN(item, "updated_at_ms");
  if (const boost::json::value* lowered = item.if_contains("lowered"); lowered != nullptr && lowered->is_object()) {
    const boost::json::value* map = lowered->as_object().if_contains("M");
    if (map == nullptr || !map->is_object()) return Internal("unreadable quota snapshot: lowered");
    const Item& m = map->as_object();
    domain::QuotaLowered l;
    l.at_ms = ddb::GetN(m, "at");
    l.quota_code = ddb::GetS(m, "c");
    l.previous_value = std::strtod(ddb::GetS(m, "p").c_str(), nullptr);
    l.value = std::strtod(ddb::GetS(m, "v").c_str(), nullptr);
    s.last_lowered = std::move(l);
  }
  const boost::json::value* values = item.if_contains("values");
  const boost::json::value* list =
      values != nullptr && values->is_object() ? values->as_object().if_contains("L") : nullptr;
  if (list != nullptr && list->is_array()) {
    for (const boost::json::value& attr : list->as_array()) {
      ASSIGN_OR_RETURN(domain::QuotaValue v, ValueFromAttr(attr));
      s.values.push_back(std::move(v));
    }
  }
  return s;
}

namespace {

Item SnapshotKeyItem(const std::string& account_id, const std::string& region) {
  return Item{{"account_id", ddb::S(account_id)}, {"region", ddb::S(region)}};
}

Status CheckValues(const domain::QuotaSnapshot& snapshot) {
  std::set<std::string> codes;
  for (const domain::QuotaValue& v : snapshot.values) {
    if (!codes.insert(v.quota_code).second) {
      return InvalidArgument("duplicate quota_code " + v.quota_code + " in snapshot", "values");
    }
    if (v.value && std::isnan(*v.value)) return InvalidArgument("quota value of " + v.quota_code + " is NaN", "values");
  }
  return Status::Ok();
}

}  // namespace

// ---- Quota cache ---------------------------------------------------------------------------------------

Result<domain::QuotaSnapshot> DynamoDbStore::GetQuotaSnapshot(const std::string& account_id,
                                                              const std::string& region) {
  boost::json::object get = ddb::Request(tables_.quota_cache);
  get["Key"] = SnapshotKeyItem(account_id, region);
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  const Item* item = ddb::ItemOf(answer);
  if (item == nullptr) return NotFound("no cached quotas for account " + account_id + " in " + region);
  return ddb::SnapshotFromItem(*item);
}

Result<std::vector<domain::QuotaSnapshot>> DynamoDbStore::GetQuotaSnapshots(const std::vector<SnapshotKey>& keys) {
  if (keys.size() > kMaxSnapshotKeys) return InvalidArgument("at most 1000 snapshot keys per call", "keys");
  std::vector<boost::json::object> request_keys;
  std::set<std::pair<std::string, std::string>> seen;
  for (const SnapshotKey& key : keys) {
    if (seen.emplace(key.account_id, key.region).second) {
      request_keys.push_back(SnapshotKeyItem(key.account_id, key.region));
    }
  }
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                   aws::BatchGetAll(db_, tables_.quota_cache, request_keys, options_.consistent_reads));
  std::map<std::pair<std::string, std::string>, domain::QuotaSnapshot> found;
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(domain::QuotaSnapshot s, ddb::SnapshotFromItem(item));
    std::pair<std::string, std::string> key{s.account_id, s.region};
    found.emplace(std::move(key), std::move(s));
  }
  std::vector<domain::QuotaSnapshot> out;
  std::set<std::pair<std::string, std::string>> served;
  for (const SnapshotKey& key : keys) {
    auto it = found.find({key.account_id, key.region});
    if (it == found.end() || !served.insert(it->first).second) continue;
    out.push_back(it->second);
  }
  return out;
}

namespace {

// Writes the snapshot of (account_id, region): `replacement` when given, else the stored values unchanged (a
// recount after the account changed; nothing happens when there is no snapshot or its contribution is already
// right). The snapshot is read before the account: an account write that this write's account read missed
// commits after the snapshot read, so its recount follow-up either finds this write's revision (and corrects
// it) or makes this write's revision condition fail (and the retry reads the new account).
//
// (A struct of the store's members rather than a member function: areas do not add members to dynamodb_store.h.)
struct SnapshotWriter {
  aws::DynamoDb& db_;
  ddb::IntentRunner& intents_;
  const DynamoDbTables& tables_;
  const Clock& clock_;
  Random& random_;

  Status Write(const std::string& account_id, const std::string& region, const domain::QuotaSnapshot* replacement);
};

Status SnapshotWriter::Write(const std::string& account_id, const std::string& region,
                             const domain::QuotaSnapshot* replacement) {
  const Item key = SnapshotKeyItem(account_id, region);
  for (int attempt = 0; attempt < kMaxCommitAttempts; ++attempt) {
    ASSIGN_OR_RETURN(std::optional<Item> settled, ddb::ReadSettledOwner(db_, intents_, tables_.quota_cache, key));
    const Item* stored = settled ? &*settled : nullptr;
    if (stored == nullptr && replacement == nullptr) return Status::Ok();
    std::optional<domain::QuotaSnapshot> old;
    if (stored != nullptr) {
      ASSIGN_OR_RETURN(old, ddb::SnapshotFromItem(*stored));
    }

    boost::json::object get_account = ddb::Request(tables_.accounts);
    get_account["Key"] = Item{{"account_id", ddb::S(account_id)}};
    get_account["ConsistentRead"] = true;
    ASSIGN_OR_RETURN(boost::json::object account_answer, db_.Call("GetItem", get_account));
    std::optional<domain::Account> account;
    if (const Item* a = ddb::ItemOf(account_answer)) {
      ASSIGN_OR_RETURN(account, ddb::AccountFromItem(*a));
    }

    const std::string old_scope = stored != nullptr ? ddb::GetS(*stored, "counted") : std::string();
    const std::string new_scope = ddb::CountingScope(account ? &*account : nullptr, region);
    // The value-sorted entries the item owns (sort_index_internal.h): as recorded, and as the account gives now.
    const ddb::SortState old_sort = stored != nullptr ? ddb::StoredSortState(*stored) : ddb::SortState{};
    const ddb::SortState new_sort = ddb::SortStateOf(account ? &*account : nullptr, region);
    if (replacement == nullptr && old_scope == new_scope && old_sort == new_sort) return Status::Ok();
    const domain::QuotaSnapshot& next = replacement != nullptr ? *replacement : *old;

    ddb::CounterDelta delta;
    if (old) delta.AddValues(old_scope, old->values, -1);
    delta.AddValues(new_scope, next.values, +1);
    ddb::Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    intent.writes = delta.Writes(tables_.main);
    if (std::optional<std::string> move =
            ddb::SortFollowUp(account_id, region, old_sort, old ? old->values : kNoValues, new_sort, next.values)) {
      intent.writes.push_back(ddb::DerivedWrite::FollowUp(std::move(*move)));
    }

    const int64_t rev = stored != nullptr ? ddb::GetN(*stored, "rev") : 0;
    Item item = SnapshotToItem(next);
    item["rev"] = ddb::N(rev + 1);
    if (!new_scope.empty()) item["counted"] = ddb::S(new_scope);
    ddb::SetSortState(item, new_sort);
    if (!intent.writes.empty()) ddb::AddIntent(item, intent, clock_.NowUnixMillis());
    boost::json::object put = ddb::Request(tables_.quota_cache);
    put["Item"] = std::move(item);
    if (stored == nullptr) {
      put["ConditionExpression"] = "attribute_not_exists(account_id)";
    } else {
      put["ConditionExpression"] = std::string("rev = :rev AND ") + ddb::kNoPendingIntent;
      put["ExpressionAttributeValues"] = {{":rev", ddb::N(rev)}};
    }
    Result<boost::json::object> done = db_.Call("PutItem", put);
    if (!done.ok()) {
      if (aws::IsConditionFailed(done.status())) continue;  // another write came first: start again from it
      return done.status();
    }
    if (intent.writes.empty()) return Status::Ok();
    return intents_.Apply(tables_.quota_cache, key, intent);
  }
  return Unavailable("the quota snapshot of " + account_id + " in " + region + " keeps changing; try again");
}

}  // namespace

Status DynamoDbStore::PutQuotaSnapshot(const domain::QuotaSnapshot& snapshot) {
  RETURN_IF_ERROR(CheckValues(snapshot));
  return SnapshotWriter{db_, intents_, tables_, clock_, random_}.Write(snapshot.account_id, snapshot.region, &snapshot);
}

Result<SnapshotPage> DynamoDbStore::ListQuotaSnapshots(const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<std::string> after;
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(after, DecodeCursor(cursor, kSnapshotCursor, 2));
  }
  // A Scan, in the table's own order (stable across pages): this list is the full walk of a background reader,
  // never a request path (quota_cache_store.h). The cursor is the key of the last snapshot served; snapshots are
  // never deleted, so it stays a valid ExclusiveStartKey.
  boost::json::object scan = ddb::Request(tables_.quota_cache);
  scan["ConsistentRead"] = options_.consistent_reads;
  scan["Limit"] = limit + 1;
  if (!after.empty()) scan["ExclusiveStartKey"] = SnapshotKeyItem(after[0], after[1]);
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                   aws::QueryAll(db_, scan, static_cast<size_t>(limit) + 1, "Scan"));
  SnapshotPage page;
  for (const Item& item : items) {
    if (page.items.size() == static_cast<size_t>(limit)) {
      page.next = EncodeCursor(kSnapshotCursor, {page.items.back().account_id, page.items.back().region});
      break;
    }
    ASSIGN_OR_RETURN(domain::QuotaSnapshot s, ddb::SnapshotFromItem(item));
    page.items.push_back(std::move(s));
  }
  return page;
}

Status DynamoDbStore::RunFollowUp(const std::string& instruction) {
  // "sort <json>" (a snapshot write's): moves the snapshot's value-sorted entries (sort_index_internal.h).
  if (instruction.rfind(ddb::kSortFollowUp, 0) == 0) return ddb::ApplySortFollowUp(db_, tables_.main, instruction);
  // "recount <account_id> <region>" (dynamodb_store_accounts.cc): the snapshot's contribution follows its account.
  constexpr std::string_view kRecount = "recount ";
  if (instruction.rfind(kRecount, 0) == 0) {
    const std::string rest = instruction.substr(kRecount.size());
    const size_t space = rest.find(' ');
    if (space != std::string::npos && space != 0 && space + 1 < rest.size()) {
      return SnapshotWriter{db_, intents_, tables_, clock_, random_}.Write(rest.substr(0, space),
                                                                           rest.substr(space + 1), nullptr);
    }
  }
  return Internal("DynamoDbStore::RunFollowUp: unknown instruction " + instruction);
}

// ---- Quota config --------------------------------------------------------------------------------------

namespace {

boost::json::value OptionalCode(const std::optional<std::string>& code) {
  if (!code) return boost::json::object{{"NULL", true}};
  return ddb::S(*code);
}

std::optional<std::string> OptionalCodeOf(const Item& m, const char* name) { return ddb::GetOptS(m, name); }

Item ModelToMap(const domain::ModelSpec& m) {
  return Item{{"model_id", ddb::S(m.model_id)},
              {"display_name", ddb::S(m.display_name)},
              {"quota_code_tpm", OptionalCode(m.quota_code_tpm)},
              {"quota_code_rpm", OptionalCode(m.quota_code_rpm)},
              {"enabled", ddb::B(m.enabled)},
              {"show_in_dashboard", ddb::B(m.show_in_dashboard)},
              {"has_1m_context", ddb::B(m.has_1m_context)},
              {"quota_code_tpm_1m", OptionalCode(m.quota_code_tpm_1m)},
              {"quota_code_rpm_1m", OptionalCode(m.quota_code_rpm_1m)},
              {"output_token_burndown", ddb::N(m.output_token_burndown)}};
}

// Internal when a stored output_token_burndown is outside 1..100; absent (written before it existed) reads as
// domain::kDefaultOutputTokenBurndown.
Result<domain::ModelSpec> ModelFromMap(const Item& m) {
  domain::ModelSpec spec;
  spec.model_id = ddb::GetS(m, "model_id");
  spec.display_name = ddb::GetS(m, "display_name");
  spec.quota_code_tpm = OptionalCodeOf(m, "quota_code_tpm");
  spec.quota_code_rpm = OptionalCodeOf(m, "quota_code_rpm");
  spec.enabled = ddb::GetB(m, "enabled");
  spec.show_in_dashboard = ddb::GetB(m, "show_in_dashboard");
  spec.has_1m_context = ddb::GetB(m, "has_1m_context");
  spec.quota_code_tpm_1m = OptionalCodeOf(m, "quota_code_tpm_1m");
  spec.quota_code_rpm_1m = OptionalCodeOf(m, "quota_code_rpm_1m");
  const int64_t burndown = ddb::GetN(m, "output_token_burndown", domain::kDefaultOutputTokenBurndown);
  if (burndown < domain::kMinOutputTokenBurndown || burndown > domain::kMaxOutputTokenBurndown)
    return Internal("quota config: model " + spec.model_id + " has output_token_burndown " + std::to_string(burndown) +
                    ", outside 1..100");
  spec.output_token_burndown = static_cast<int>(burndown);
  return spec;
}

}  // namespace

Result<domain::QuotaConfig> DynamoDbStore::GetQuotaConfig() {
  boost::json::object get = ddb::Request(tables_.quota_config);
  get["Key"] = Item{{"config_id", ddb::S(domain::kQuotaConfigId)}};
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  const Item* item = ddb::ItemOf(answer);
  if (item == nullptr) return NotFound("quota config has never been stored");
  domain::QuotaConfig config;
  config.config_id = ddb::GetS(*item, "config_id");
  config.updated_at_ms = ddb::GetN(*item, "updated_at_ms");
  config.updated_by = ddb::GetS(*item, "updated_by");
  config.version = ddb::GetN(*item, "version");
  const boost::json::value* models = item->if_contains("models");
  const boost::json::value* list =
      models != nullptr && models->is_object() ? models->as_object().if_contains("L") : nullptr;
  if (list != nullptr && list->is_array()) {
    for (const boost::json::value& attr : list->as_array()) {
      const boost::json::value* map = attr.is_object() ? attr.as_object().if_contains("M") : nullptr;
      if (map == nullptr || !map->is_object()) return Internal("quota config: unreadable model");
      ASSIGN_OR_RETURN(domain::ModelSpec spec, ModelFromMap(map->as_object()));
      config.models.push_back(std::move(spec));
    }
  }
  return config;
}

Status DynamoDbStore::PutQuotaConfig(const domain::QuotaConfig& config, int64_t expected_version) {
  if (config.version != expected_version + 1) {
    return InvalidArgument("config.version must be expected_version + 1 (" + std::to_string(expected_version + 1) +
                               "), got " + std::to_string(config.version),
                           "version");
  }
  boost::json::array models;
  for (const domain::ModelSpec& m : config.models) models.push_back(ddb::M(ModelToMap(m)));
  // The item's key is the fixed id (there is one document); config.config_id is validated by the service.
  Item item{{"config_id", ddb::S(domain::kQuotaConfigId)},
            {"updated_at_ms", ddb::N(config.updated_at_ms)},
            {"updated_by", ddb::S(config.updated_by)},
            {"version", ddb::N(config.version)},
            {"models", boost::json::object{{"L", std::move(models)}}}};
  boost::json::object put = ddb::Request(tables_.quota_config);
  put["Item"] = std::move(item);
  if (expected_version == 0) {
    put["ConditionExpression"] = "attribute_not_exists(config_id)";
  } else {
    put["ConditionExpression"] = "version = :v";
    put["ExpressionAttributeValues"] = {{":v", ddb::N(expected_version)}};
  }
  Result<boost::json::object> done = db_.Call("PutItem", put);
  if (!done.ok() && aws::IsConditionFailed(done.status())) {
    return FailedPrecondition("quota config is not at version " + std::to_string(expected_version) +
                              "; reload and retry");
  }
  return done.status();
}

}  // namespace ap::store
