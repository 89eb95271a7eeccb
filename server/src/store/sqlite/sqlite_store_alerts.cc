// SqliteStore: alert rules and alerts (store/alert_store.h), the tables of migration 13 (migration_alerts.cc has
// the schema and why it is shaped so).
#include <string>
#include <utility>
#include <vector>

#include "store/alert_records.h"
#include "store/cursor.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

constexpr char kAlertColumns[] = "doc, revision";

Result<domain::Alert> AlertFromRow(SQLite::Statement& s) {
  ASSIGN_OR_RETURN(domain::Alert alert, AlertFromJson(s.getColumn(0).getString()));
  alert.revision = s.getColumn(1).getInt64();
  return alert;
}

}  // namespace

Result<std::vector<domain::AlertRule>> SqliteStore::ListAlertRules() {
  return Read("ListAlertRules", [&](Connection& c) -> Result<std::vector<domain::AlertRule>> {
    Stmt s = c.Prepare("SELECT doc FROM alert_rules ORDER BY rule_id");
    std::vector<domain::AlertRule> rules;
    while (s->executeStep()) {
      ASSIGN_OR_RETURN(domain::AlertRule rule, AlertRuleFromJson(s->getColumn(0).getString()));
      rules.push_back(std::move(rule));
    }
    return rules;
  });
}

Result<domain::AlertRule> SqliteStore::GetAlertRule(const std::string& id) {
  return Read("GetAlertRule", [&](Connection& c) -> Result<domain::AlertRule> {
    Stmt s = c.Prepare("SELECT doc FROM alert_rules WHERE rule_id = ?1");
    s->bind(1, id);
    if (!s->executeStep()) return NotFound("alert rule " + id + " not found");
    return AlertRuleFromJson(s->getColumn(0).getString());
  });
}

Status SqliteStore::PutAlertRule(const domain::AlertRule& rule, int64_t expected_version) {
  RETURN_IF_ERROR(CheckAlertRuleWrite(rule, expected_version));
  return Write("PutAlertRule", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    Stmt get = c.Prepare("SELECT version FROM alert_rules WHERE rule_id = ?1");
    get->bind(1, rule.id);
    const bool exists = get->executeStep();
    if (expected_version == 0) {
      if (exists) return AlreadyExists("alert rule " + rule.id + " already exists");
      // Bounded: the table never holds more than kMaxAlertRules rows.
      Stmt count = c.Prepare("SELECT count(*) FROM alert_rules");
      count->executeStep();
      if (count->getColumn(0).getInt64() >= static_cast<int64_t>(kMaxAlertRules))
        return FailedPrecondition("at most " + std::to_string(kMaxAlertRules) + " alert rules");
    } else if (!exists || get->getColumn(0).getInt64() != expected_version) {
      return FailedPrecondition("alert rule " + rule.id + " is not at version " + std::to_string(expected_version));
    }
    Stmt put = c.Prepare(
        "INSERT INTO alert_rules (rule_id, version, doc) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (rule_id) DO UPDATE SET version = excluded.version, doc = excluded.doc");
    put->bind(1, rule.id);
    put->bind(2, rule.version);
    put->bind(3, AlertRuleToJson(rule));
    put->exec();
    txn.Commit();
    return Status::Ok();
  });
}

Status SqliteStore::DeleteAlertRule(const std::string& id, int64_t expected_version) {
  return Write("DeleteAlertRule", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    Stmt get = c.Prepare("SELECT version FROM alert_rules WHERE rule_id = ?1");
    get->bind(1, id);
    const bool exists = get->executeStep();
    if (exists && get->getColumn(0).getInt64() != expected_version)
      return FailedPrecondition("alert rule " + id + " is not at version " + std::to_string(expected_version));
    Stmt del = c.Prepare("DELETE FROM alert_rules WHERE rule_id = ?1");
    del->bind(1, id);
    del->exec();
    Stmt del_alerts = c.Prepare("DELETE FROM alerts WHERE rule_id = ?1");
    del_alerts->bind(1, id);
    del_alerts->exec();
    txn.Commit();
    if (!exists) return NotFound("alert rule " + id + " not found");
    return Status::Ok();
  });
}

Result<domain::Alert> SqliteStore::GetAlert(const std::string& key) {
  return Read("GetAlert", [&](Connection& c) -> Result<domain::Alert> {
    Stmt s = c.Prepare(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE alert_key = ?1");
    s->bind(1, key);
    if (!s->executeStep()) return NotFound("alert " + key + " not found");
    return AlertFromRow(*s);
  });
}

Result<int64_t> SqliteStore::PutAlert(const domain::Alert& alert, int64_t expected_revision) {
  RETURN_IF_ERROR(CheckAlertWrite(alert, expected_revision));
  return Write("PutAlert", [&](Connection& c) -> Result<int64_t> {
    WriteTransaction txn(c);
    Stmt get = c.Prepare("SELECT revision FROM alerts WHERE alert_key = ?1");
    get->bind(1, alert.key);
    const bool exists = get->executeStep();
    const int64_t stored = exists ? get->getColumn(0).getInt64() : 0;
    if (exists != (expected_revision != 0) || stored != expected_revision)
      return FailedPrecondition("alert " + alert.key + " is not at revision " + std::to_string(expected_revision));
    const int64_t revision = expected_revision + 1;
    Stmt put = c.Prepare(
        "INSERT OR REPLACE INTO alerts (alert_key, rule_id, account_id, state, started_at_ms, sort_key, "
        "pending_notice, pending_since_ms, revision, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    put->bind(1, alert.key);
    put->bind(2, alert.rule_id);
    put->bind(3, alert.target.account_id);
    put->bind(4, std::string(domain::AlertStateName(alert.state)));
    put->bind(5, alert.started_at_ms);
    put->bind(6, AlertSortKey(alert));
    put->bind(7, std::string(domain::AlertNoticeName(alert.pending_notice)));
    put->bind(8, alert.pending_since_ms);
    put->bind(9, revision);
    put->bind(10, AlertToJson(alert));
    put->exec();
    txn.Commit();
    return revision;
  });
}

Result<AlertPage> SqliteStore::ListAlerts(const AlertFilter& f) {
  RETURN_IF_ERROR(CheckLimit(f.limit));
  if (!f.account_id.empty() && !f.rule_id.empty())
    return InvalidArgument("filter by account or by rule, not both", "rule_id");
  sqlite_internal::WhereClause where;
  if (!f.account_id.empty()) where.Add("account_id = ?", {f.account_id});
  if (!f.rule_id.empty()) where.Add("rule_id = ?", {f.rule_id});
  if (f.state) where.Add("state = ?", {std::string(domain::AlertStateName(*f.state))});
  if (!f.cursor.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> after, DecodeCursor(f.cursor, "alerts", 1));
    if (!IsAlertSortKey(after[0])) return InvalidArgument("malformed cursor", "cursor");
    where.Add("sort_key > ?", {after[0]});
  }
  return Read("ListAlerts", [&](Connection& c) -> Result<AlertPage> {
    Stmt s = c.Prepare(std::string("SELECT ") + kAlertColumns + ", sort_key FROM alerts" + where.sql() +
                       " ORDER BY sort_key LIMIT ?");
    s->bind(where.Bind(*s), f.limit + 1);
    AlertPage page;
    std::string last;
    while (s->executeStep()) {
      if (static_cast<int64_t>(page.items.size()) == f.limit) {
        page.next = EncodeCursor("alerts", {last});
        break;
      }
      ASSIGN_OR_RETURN(domain::Alert alert, AlertFromRow(*s));
      page.items.push_back(std::move(alert));
      last = s->getColumn(2).getString();
    }
    return page;
  });
}

Result<std::vector<domain::Alert>> SqliteStore::ListPendingAlerts(int64_t before_ms, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  return Read("ListPendingAlerts", [&](Connection& c) -> Result<std::vector<domain::Alert>> {
    Stmt s = c.Prepare(std::string("SELECT ") + kAlertColumns +
                       " FROM alerts INDEXED BY alerts_pending WHERE pending_notice <> 'none' AND "
                       "pending_since_ms <= ?1 ORDER BY pending_since_ms, alert_key LIMIT ?2");
    s->bind(1, before_ms);
    s->bind(2, limit);
    std::vector<domain::Alert> alerts;
    while (s->executeStep()) {
      ASSIGN_OR_RETURN(domain::Alert alert, AlertFromRow(*s));
      alerts.push_back(std::move(alert));
    }
    return alerts;
  });
}

}  // namespace ap::store
