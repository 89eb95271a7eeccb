// DynamoDbStore: alert rules and alerts (store/alert_store.h) in the `main` table. docs/dynamodb.md ("Alerts")
// describes the records:
//  - Rule: pk "ALERTRULES", sk <rule id>; `doc` (alert_records.h JSON), `version`. ListAlertRules is one Query.
//  - Alert (the owner): pk "ALERTS#<rule id>", sk "<account>|<region>|<model>" (the key after its rule id);
//    `doc`, `rev`, `sort` (AlertSortKey), `outbox` (the sk of its outbox record while a notice waits).
//    gsi1pk "ALERTS#st#<state>" / gsi1sk sort: every alert of one state, newest first;
//    gsi2pk "ALERTS#acct#<account>#<state>" / gsi2sk sort: the alerts of one account in one state.
//  - Rule index (derived): pk "ALERTS#rule#<rule id>#<state>", sk sort; a copy of the alert's `doc` and `rev`.
//  - Outbox entry (derived): pk "ALERTOUTBOX", sk "<pending_since_ms, 16 digits>#<key>"; `key`.
// PutAlert commits the alert conditioned on its revision, with an intent (intent.h) that puts the new derived
// records and deletes the ones of the previous version that moved. Lists with any state merge the firing and the
// resolved partition of their view (both in sort order), so every list is O(page) and pages are never short.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/log.h"
#include "store/alert_records.h"
#include "store/cursor.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/main_table_internal.h"
#include "store/dynamodb/paging.h"

namespace ap::store {
namespace {

using ddb::Item;
using ddb::MainKey;
using ddb::S;

constexpr char kRulesPk[] = "ALERTRULES";
constexpr char kOutboxPk[] = "ALERTOUTBOX";
constexpr int kMaxRounds = 20;
constexpr size_t kDeletePage = 100;  // alerts of a deleted rule read per round

std::string AlertPk(std::string_view rule_id) { return "ALERTS#" + std::string(rule_id); }
std::string RuleIndexPk(std::string_view rule_id, domain::AlertState state) {
  return "ALERTS#rule#" + std::string(rule_id) + "#" + std::string(domain::AlertStateName(state));
}
std::string StatePk(domain::AlertState state) { return "ALERTS#st#" + std::string(domain::AlertStateName(state)); }
std::string AccountPk(std::string_view account_id, domain::AlertState state) {
  return "ALERTS#acct#" + std::string(account_id) + "#" + std::string(domain::AlertStateName(state));
}
std::string OutboxSk(const domain::Alert& a) { return ddb::Padded(a.pending_since_ms) + "#" + a.key; }

// The main-table key of the alert `key`; nullopt when the key has no rule id.
std::optional<Item> AlertItemKey(std::string_view key) {
  const std::string_view rule_id = AlertKeyRuleId(key);
  if (rule_id.empty()) return std::nullopt;
  return MainKey(AlertPk(rule_id), std::string(key.substr(rule_id.size() + 1)));
}

Result<domain::Alert> AlertFromItem(const Item& item) {
  ASSIGN_OR_RETURN(domain::Alert alert, AlertFromJson(ddb::GetS(item, "doc")));
  alert.revision = ddb::GetN(item, "rev");
  return alert;
}

Result<domain::AlertRule> RuleFromItem(const Item& item) { return AlertRuleFromJson(ddb::GetS(item, "doc")); }

// Deletes the alerts of rule `id`, each after its derived records (so a crash leaves the alert, found again by a
// retry).
Status DeleteAlertsOfRule(aws::DynamoDb& db, const std::string& table, const std::string& id) {
  boost::json::object query = ddb::Request(table);
  query["KeyConditionExpression"] = "pk = :p";
  query["ExpressionAttributeValues"] = {{":p", S(AlertPk(id))}};
  query["ConsistentRead"] = true;
  query["Limit"] = static_cast<int64_t>(kDeletePage);
  // A page at a time, from the start again each time: what was deleted is gone from the next page.
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<boost::json::object> alerts, aws::QueryAll(db, query, kDeletePage));
    if (alerts.empty()) break;
    for (const Item& item : alerts) {
      std::vector<Item> keys;
      if (const std::optional<std::string> outbox = ddb::GetOptS(item, "outbox"))
        keys.push_back(MainKey(kOutboxPk, *outbox));
      for (domain::AlertState state : {domain::AlertState::kFiring, domain::AlertState::kResolved})
        keys.push_back(MainKey(RuleIndexPk(id, state), ddb::GetS(item, "sort")));
      keys.push_back(MainKey(ddb::GetS(item, "pk"), ddb::GetS(item, "sk")));
      for (Item& key : keys) {
        boost::json::object del_item = ddb::Request(table);
        del_item["Key"] = std::move(key);
        RETURN_IF_ERROR(db.Call("DeleteItem", del_item).status());
      }
    }
  }
  return Status::Ok();
}

}  // namespace

// ---- Rules -----------------------------------------------------------------------------------------------

Result<std::vector<domain::AlertRule>> DynamoDbStore::ListAlertRules() {
  boost::json::object query = ddb::Request(tables_.main);
  query["KeyConditionExpression"] = "pk = :p";
  query["ExpressionAttributeValues"] = {{":p", S(kRulesPk)}};
  query["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, query));
  std::vector<domain::AlertRule> rules;
  rules.reserve(items.size());
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(domain::AlertRule rule, RuleFromItem(item));
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<domain::AlertRule> DynamoDbStore::GetAlertRule(const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<Item> item,
                   ddb::ReadItem(db_, tables_.main, MainKey(kRulesPk, id), options_.consistent_reads));
  if (!item) return NotFound("alert rule " + id + " not found");
  return RuleFromItem(*item);
}

Status DynamoDbStore::PutAlertRule(const domain::AlertRule& rule, int64_t expected_version) {
  RETURN_IF_ERROR(CheckAlertRuleWrite(rule, expected_version));
  Item item = MainKey(kRulesPk, rule.id);
  item["doc"] = S(AlertRuleToJson(rule));
  item["version"] = ddb::N(rule.version);
  if (expected_version != 0) {
    Status put =
        ddb::PutItemIf(db_, tables_.main, std::move(item), "version = :v", {}, {{":v", ddb::N(expected_version)}});
    if (aws::IsConditionFailed(put))
      return FailedPrecondition("alert rule " + rule.id + " is not at version " + std::to_string(expected_version));
    return put;
  }
  ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadItem(db_, tables_.main, MainKey(kRulesPk, rule.id), true));
  if (stored) return AlreadyExists("alert rule " + rule.id + " already exists");
  // The cap: a bounded count of the rules' partition (at most kMaxAlertRules keys), see alert_store.h.
  boost::json::object count = ddb::Request(tables_.main);
  count["KeyConditionExpression"] = "pk = :p";
  count["ExpressionAttributeValues"] = {{":p", S(kRulesPk)}};
  count["ProjectionExpression"] = "sk";
  count["ConsistentRead"] = true;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> keys, aws::QueryAll(db_, count, kMaxAlertRules));
  if (keys.size() >= kMaxAlertRules)
    return FailedPrecondition("at most " + std::to_string(kMaxAlertRules) + " alert rules");
  Status put = ddb::PutItemIf(db_, tables_.main, std::move(item), "attribute_not_exists(pk)");
  if (aws::IsConditionFailed(put)) return AlreadyExists("alert rule " + rule.id + " already exists");
  return put;
}

Status DynamoDbStore::DeleteAlertRule(const std::string& id, int64_t expected_version) {
  boost::json::object del = ddb::Request(tables_.main);
  del["Key"] = MainKey(kRulesPk, id);
  del["ConditionExpression"] = "version = :v";
  del["ExpressionAttributeValues"] = {{":v", ddb::N(expected_version)}};
  Result<boost::json::object> deleted = db_.Call("DeleteItem", del);
  if (!deleted.ok()) {
    if (!aws::IsConditionFailed(deleted.status())) return deleted.status();
    ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadItem(db_, tables_.main, MainKey(kRulesPk, id), true));
    if (!stored) {
      // A retry of a deletion that stopped after the rule: finish its alerts.
      RETURN_IF_ERROR(DeleteAlertsOfRule(db_, tables_.main, id));
      return NotFound("alert rule " + id + " not found");
    }
    return FailedPrecondition("alert rule " + id + " is not at version " + std::to_string(expected_version));
  }
  return DeleteAlertsOfRule(db_, tables_.main, id);
}

// ---- Alerts ----------------------------------------------------------------------------------------------

Result<domain::Alert> DynamoDbStore::GetAlert(const std::string& key) {
  std::optional<Item> item_key = AlertItemKey(key);
  if (!item_key) return NotFound("alert " + key + " not found");
  ASSIGN_OR_RETURN(std::optional<Item> item, ddb::ReadItem(db_, tables_.main, *item_key, options_.consistent_reads));
  if (!item) return NotFound("alert " + key + " not found");
  return AlertFromItem(*item);
}

Result<int64_t> DynamoDbStore::PutAlert(const domain::Alert& alert, int64_t expected_revision) {
  RETURN_IF_ERROR(CheckAlertWrite(alert, expected_revision));
  const Item key = *AlertItemKey(alert.key);
  const std::string sort = AlertSortKey(alert);
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadItem(db_, tables_.main, key, true));
    // A revision other than the expected one decides at once (a loser never waits for the winner's intent).
    const int64_t stored_rev = stored ? ddb::GetN(*stored, "rev") : 0;
    if (stored_rev != expected_revision || (expected_revision == 0 && stored))
      return FailedPrecondition("alert " + alert.key + " is not at revision " + std::to_string(expected_revision));
    if (stored && stored->contains("intent_op")) {
      // The previous write's derived records first, so that they follow the alert in commit order.
      RETURN_IF_ERROR(intents_.ApplyPending(tables_.main, key, *stored));
      continue;
    }
    const int64_t revision = expected_revision + 1;
    const std::string doc = AlertToJson(alert);

    ddb::Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    Item index = MainKey(RuleIndexPk(alert.rule_id, alert.state), sort);
    index["doc"] = S(doc);
    index["rev"] = ddb::N(revision);
    intent.writes.push_back(ddb::DerivedWrite::Put(tables_.main, std::move(index)));
    const std::string outbox = alert.pending_notice != domain::AlertNotice::kNone ? OutboxSk(alert) : "";
    if (!outbox.empty()) {
      Item entry = MainKey(kOutboxPk, outbox);
      entry["key"] = S(alert.key);
      intent.writes.push_back(ddb::DerivedWrite::Put(tables_.main, std::move(entry)));
    }
    if (stored) {
      ASSIGN_OR_RETURN(domain::Alert before, AlertFromItem(*stored));
      const std::string before_sort = ddb::GetS(*stored, "sort");
      if (before.state != alert.state || before_sort != sort)
        intent.writes.push_back(
            ddb::DerivedWrite::Delete(tables_.main, MainKey(RuleIndexPk(before.rule_id, before.state), before_sort)));
      const std::string before_outbox = ddb::GetS(*stored, "outbox");
      if (!before_outbox.empty() && before_outbox != outbox)
        intent.writes.push_back(ddb::DerivedWrite::Delete(tables_.main, MainKey(kOutboxPk, before_outbox)));
    }

    Item item = key;
    item["doc"] = S(doc);
    item["rev"] = ddb::N(revision);
    item["sort"] = S(sort);
    if (!outbox.empty()) item["outbox"] = S(outbox);
    item["gsi1pk"] = S(StatePk(alert.state));
    item["gsi1sk"] = S(sort);
    item["gsi2pk"] = S(AccountPk(alert.target.account_id, alert.state));
    item["gsi2sk"] = S(sort);
    ddb::AddIntent(item, intent, clock_.NowUnixMillis());
    Status put = expected_revision == 0 ? ddb::PutItemIf(db_, tables_.main, std::move(item), "attribute_not_exists(pk)")
                                        : ddb::PutItemIf(db_, tables_.main, std::move(item),
                                                         std::string("rev = :rev AND ") + ddb::kNoPendingIntent, {},
                                                         {{":rev", ddb::N(expected_revision)}});
    if (aws::IsConditionFailed(put))
      return FailedPrecondition("alert " + alert.key + " is not at revision " + std::to_string(expected_revision));
    RETURN_IF_ERROR(put);
    // The commit is the operation: derived records not written now are written by the next writer or the sweep.
    if (Status applied = intents_.Apply(tables_.main, key, intent); !applied.ok())
      log::Warn("dynamodb_alert_intent_pending", {{"alert", alert.key}, {"error", applied.ToString()}});
    return revision;
  }
  return Unavailable("alert " + alert.key + " is contended; try again");
}

Result<AlertPage> DynamoDbStore::ListAlerts(const AlertFilter& f) {
  RETURN_IF_ERROR(CheckLimit(f.limit));
  if (!f.account_id.empty() && !f.rule_id.empty())
    return InvalidArgument("filter by account or by rule, not both", "rule_id");
  std::string after;
  if (!f.cursor.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> fields, DecodeCursor(f.cursor, "alerts", 1));
    if (!IsAlertSortKey(fields[0])) return InvalidArgument("malformed cursor", "cursor");
    after = std::move(fields[0]);
  }
  // The view: the base table's rule index, gsi2 (account) or gsi1 (state); one partition per state asked for.
  std::string index;
  std::string pk_attr = "pk";
  std::string sk_attr = "sk";
  std::vector<std::string> partitions;
  std::vector<domain::AlertState> states{domain::AlertState::kFiring, domain::AlertState::kResolved};
  if (f.state) states = {*f.state};
  for (domain::AlertState state : states) {
    if (!f.rule_id.empty()) {
      partitions.push_back(RuleIndexPk(f.rule_id, state));
    } else if (!f.account_id.empty()) {
      partitions.push_back(AccountPk(f.account_id, state));
    } else {
      partitions.push_back(StatePk(state));
    }
  }
  if (f.rule_id.empty()) {
    index = f.account_id.empty() ? "gsi1" : "gsi2";
    pk_attr = index + "pk";
    sk_attr = index + "sk";
  }
  // Each partition's next limit + 1 items after the cursor, merged by sort key.
  std::vector<std::pair<std::string, Item>> merged;
  for (const std::string& partition : partitions) {
    boost::json::object query = ddb::Request(tables_.main);
    if (!index.empty()) {
      query["IndexName"] = index;
    } else {
      query["ConsistentRead"] = options_.consistent_reads;
    }
    query["KeyConditionExpression"] = after.empty() ? "#pk = :p" : "#pk = :p AND #sk > :after";
    query["ExpressionAttributeNames"] =
        after.empty() ? boost::json::object{{"#pk", pk_attr}} : boost::json::object{{"#pk", pk_attr}, {"#sk", sk_attr}};
    query["ExpressionAttributeValues"] = {{":p", S(partition)}};
    if (!after.empty()) query["ExpressionAttributeValues"].as_object()[":after"] = S(after);
    query["Limit"] = f.limit + 1;
    ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                     aws::QueryAll(db_, query, static_cast<size_t>(f.limit) + 1));
    for (Item& item : items) {
      std::string sort = ddb::GetS(item, sk_attr);
      merged.emplace_back(std::move(sort), std::move(item));
    }
  }
  std::sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  AlertPage page;
  for (const auto& [sort, item] : merged) {
    if (static_cast<int64_t>(page.items.size()) == f.limit) {
      page.next = EncodeCursor("alerts", {AlertSortKey(page.items.back())});
      break;
    }
    ASSIGN_OR_RETURN(domain::Alert alert, AlertFromItem(item));
    page.items.push_back(std::move(alert));
  }
  return page;
}

Result<std::vector<domain::Alert>> DynamoDbStore::ListPendingAlerts(int64_t before_ms, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<domain::Alert> alerts;
  if (before_ms < 0) return alerts;
  boost::json::object query = ddb::Request(tables_.main);
  query["KeyConditionExpression"] = "pk = :p AND sk < :end";
  query["ExpressionAttributeValues"] = {{":p", S(kOutboxPk)},
                                        {":end", S(ddb::Padded(std::min(before_ms, ddb::kMaxPadded - 1) + 1))}};
  query["ConsistentRead"] = true;
  query["Limit"] = limit;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> entries, aws::QueryAll(db_, query, static_cast<size_t>(limit)));
  for (const Item& entry : entries) {
    const std::string key = ddb::GetS(entry, "key");
    Result<domain::Alert> alert = GetAlert(key);
    if (alert.status().code() == StatusCode::kNotFound) {
      // Left by a rule deletion racing a write of its alert: nothing to deliver.
      boost::json::object del = ddb::Request(tables_.main);
      del["Key"] = MainKey(kOutboxPk, ddb::GetS(entry, "sk"));
      RETURN_IF_ERROR(db_.Call("DeleteItem", del).status());
      continue;
    }
    RETURN_IF_ERROR(alert.status());
    // An entry of an earlier notice whose deletion is still in its intent: the alert is the truth.
    if (alert->pending_notice == domain::AlertNotice::kNone || OutboxSk(*alert) != ddb::GetS(entry, "sk")) continue;
    alerts.push_back(*std::move(alert));
  }
  return alerts;
}

}  // namespace ap::store
