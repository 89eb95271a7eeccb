// Migration 8: no store-assigned sequence numbers (audit log and quota history keyed by ids), one index per
// audit filter ordered by time, maintained user counters.
//
// Audit: rows keep every value, audit_id included. Ids written before this migration are "a_" + random hex and
// do not sort by time; they need not: the log is ordered by (at_ms, audit_id), and audit_id only breaks ties
// within one millisecond. seq is dropped (the table is rebuilt without it).
//
// Quota history: each row gets history_id = domain::HistoryId(at_ms, quota_code) ("h_" + 13 hex digits of at_ms +
// the code), computed here in SQL the same way; the rare rows that shared (account, region, at_ms, code) get
// "~<n>" appended (n = 2, 3, ... in their old seq order), so no row is lost. seq is dropped.
//
// Users: the counters of UserStore (users, enabled admins) are back-filled from the users table. The sessions
// table keeps its ON DELETE CASCADE to users: UserStore no longer promises it (AuthService deletes a user's
// sessions itself, first), so it only backs that up.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration TimeOrderedIdsMigration() {
  return {8, "time-ordered audit and history ids", R"sql(
CREATE TABLE audit_log_v8 (
  audit_id      TEXT PRIMARY KEY NOT NULL,
  at_ms         INTEGER NOT NULL,
  actor_id      TEXT NOT NULL,
  actor_email   TEXT NOT NULL,
  action        TEXT NOT NULL,
  target_type   TEXT NOT NULL,
  target_id     TEXT NOT NULL,
  outcome       TEXT NOT NULL,
  client_ip     TEXT NOT NULL,
  user_agent    TEXT NOT NULL,
  request_id    TEXT NOT NULL,
  detail        TEXT NOT NULL,
  event_count   INTEGER NOT NULL DEFAULT 1,
  last_at_ms    INTEGER NOT NULL DEFAULT 0,
  coalesce_key  TEXT,
  -- "account." for "account.create": what an action-prefix filter matches through its own index.
  action_prefix TEXT GENERATED ALWAYS AS (substr(action, 1, instr(action, '.'))) VIRTUAL
);
INSERT INTO audit_log_v8 (audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome,
                          client_ip, user_agent, request_id, detail, event_count, last_at_ms, coalesce_key)
  SELECT audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, client_ip, user_agent,
         request_id, detail, event_count, last_at_ms, coalesce_key
  FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_v8 RENAME TO audit_log;
-- One index per filter, each ending in the list order (at_ms, audit_id) so that a page is a range read.
CREATE INDEX audit_by_at ON audit_log(at_ms, audit_id);
CREATE INDEX audit_by_actor ON audit_log(actor_id, at_ms, audit_id);
CREATE INDEX audit_by_action ON audit_log(action, at_ms, audit_id);
CREATE INDEX audit_by_action_prefix ON audit_log(action_prefix, at_ms, audit_id);
CREATE INDEX audit_by_target ON audit_log(target_type, target_id, at_ms, audit_id);
CREATE INDEX audit_by_outcome ON audit_log(outcome, at_ms, audit_id);
CREATE INDEX audit_by_coalesce_key ON audit_log(coalesce_key, at_ms) WHERE coalesce_key IS NOT NULL;

-- The key (account_id, region, history_id) is also the list order: history_id starts with the time.
CREATE TABLE quota_history_v8 (
  account_id     TEXT NOT NULL,
  region         TEXT NOT NULL,
  history_id     TEXT NOT NULL,
  quota_code     TEXT NOT NULL,
  at_ms          INTEGER NOT NULL,
  event          TEXT NOT NULL,
  value          REAL,
  previous_value REAL,
  state          TEXT NOT NULL,
  is_default     INTEGER NOT NULL,
  reason         TEXT NOT NULL,
  PRIMARY KEY (account_id, region, history_id)
) WITHOUT ROWID;
INSERT INTO quota_history_v8 (account_id, region, history_id, quota_code, at_ms, event, value, previous_value,
                              state, is_default, reason)
  SELECT account_id, region,
         'h_' || printf('%013x', max(at_ms, 0)) || quota_code || (CASE WHEN n > 1 THEN '~' || n ELSE '' END),
         quota_code, at_ms, event, value, previous_value, state, is_default, reason
  FROM (SELECT *, row_number() OVER (PARTITION BY account_id, region, at_ms, quota_code ORDER BY seq) AS n
        FROM quota_history);
DROP TABLE quota_history;
ALTER TABLE quota_history_v8 RENAME TO quota_history;

-- UserStore's O(1) counters, written in the same transaction as every user write.
CREATE TABLE user_counters (
  name  TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO user_counters (name, value) VALUES
  ('users', (SELECT count(*) FROM users)),
  ('enabled_admins', (SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0));
)sql",
          nullptr};
}

}  // namespace ap::store::sqlite_internal
