// Migration 13: alert rules and alerts (store/alert_store.h).
//
// Rules are one JSON document each (alert_records.h) beside their version: nothing queries a rule by its fields
// (evaluators read every rule, at most kMaxAlertRules), and a document lets rule fields grow without migrations.
// Alerts keep the fields the lists filter and order on as columns, each list served by its own index in O(page):
//  - sort_key (alert_records.h AlertSortKey: started_at_ms descending, then key, as one ascending string) orders
//    every ListAlerts; the indexes (sort_key), (state, sort_key), (account_id[, state], sort_key) and
//    (rule_id[, state], sort_key) serve each filter; a cursor is the last sort_key served.
//  - alerts_pending (partial: pending_notice <> 'none') serves ListPendingAlerts, oldest first.
// The rest of the alert is a JSON document (doc), without its revision (column).
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration AlertsMigration() {
  return {13, "alert rules and alerts", R"sql(
CREATE TABLE alert_rules (
  rule_id TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL,
  doc     TEXT NOT NULL
);

CREATE TABLE alerts (
  alert_key        TEXT PRIMARY KEY NOT NULL,
  rule_id          TEXT NOT NULL,
  account_id       TEXT NOT NULL,
  state            TEXT NOT NULL,
  started_at_ms    INTEGER NOT NULL,
  sort_key         TEXT NOT NULL,
  pending_notice   TEXT NOT NULL,
  pending_since_ms INTEGER NOT NULL,
  revision         INTEGER NOT NULL,
  doc              TEXT NOT NULL
);
CREATE INDEX alerts_by_sort ON alerts(sort_key);
CREATE INDEX alerts_by_state ON alerts(state, sort_key);
CREATE INDEX alerts_by_account ON alerts(account_id, sort_key);
CREATE INDEX alerts_by_account_state ON alerts(account_id, state, sort_key);
CREATE INDEX alerts_by_rule ON alerts(rule_id, sort_key);
CREATE INDEX alerts_by_rule_state ON alerts(rule_id, state, sort_key);
CREATE INDEX alerts_pending ON alerts(pending_since_ms, alert_key) WHERE pending_notice <> 'none';
)sql"};
}

}  // namespace ap::store::sqlite_internal
