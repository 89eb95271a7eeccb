// Migration 12: usage against quota (store/usage_store.h; read and written in sqlite_store_usage.cc).
//
// Tables:
//  - usage_hours: one row per hour record (account_id, region, series, hour); `points` is the JSON of
//    store/usage_records.h (absent metrics stay null). usage_hours_expiry serves the sweep
//    (DeleteExpiredUsageHours) by expires_at.
//  - usage_snapshots: one row per (account_id, region); `teams` as row_codec.h's list, `summaries` the JSON of
//    store/usage_records.h (models and series), `revision` the compare-and-set counter of PutUsageSnapshot.
//  - usage_headroom: the headroom index, one row per (scope, account_id, region, model_id) where scope is "fleet"
//    or "team:" + the team id. usage_headroom_order serves ListHeadroom (least headroom first, keyset paging);
//    the primary key serves the replacement of one snapshot's entries (by scope, account_id, region).
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration UsageMigration() {
  return {12, "usage against quota", R"sql(
CREATE TABLE usage_hours (
  account_id TEXT NOT NULL,
  region     TEXT NOT NULL,
  series     TEXT NOT NULL,
  hour       INTEGER NOT NULL,
  points     TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, series, hour)
) WITHOUT ROWID;
CREATE INDEX usage_hours_expiry ON usage_hours (expires_at);
CREATE TABLE usage_snapshots (
  account_id      TEXT NOT NULL,
  region          TEXT NOT NULL,
  teams           TEXT NOT NULL,
  state           TEXT NOT NULL,
  polled_at_ms    INTEGER NOT NULL,
  attempted_at_ms INTEGER NOT NULL,
  error_code      TEXT NOT NULL,
  error_message   TEXT NOT NULL,
  summaries       TEXT NOT NULL,
  revision        INTEGER NOT NULL,
  PRIMARY KEY (account_id, region)
) WITHOUT ROWID;
CREATE TABLE usage_headroom (
  scope        TEXT NOT NULL,
  account_id   TEXT NOT NULL,
  region       TEXT NOT NULL,
  model_id     TEXT NOT NULL,
  headroom     REAL NOT NULL,
  headroom_tpm REAL,
  headroom_rpm REAL,
  polled_at_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, account_id, region, model_id)
) WITHOUT ROWID;
CREATE INDEX usage_headroom_order ON usage_headroom (scope, headroom, account_id, region, model_id);
)sql"};
}

}  // namespace ap::store::sqlite_internal
