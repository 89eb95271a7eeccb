// Migration 6: maintained quota aggregates (quota_cache_store.h; maintained in sqlite_store_aggregates.cc).
//
// Tables:
//  - quota_aggregate_scopes: one row per scope ("fleet", or "teams:" + the length-prefixed team set of
//    row_codec.h) with its active accounts and (account, region) pairs; `teams` is the set itself.
//  - quota_aggregate_codes: per scope and quota code, the sum of the fresh values and the fresh / stale counts.
//    Rows with nothing fresh or stale are deleted, so a scope holds only the codes that have values.
//  - quota_aggregate_team_scopes: from each team to the team-set scopes that contain it, so that a user's scopes
//    are found by key, without a scan. A scope left without active accounts is deleted with its rows here.
// The data step fills them from the existing accounts and cached values.
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store::sqlite_internal {

Migration QuotaAggregateMigration() {
  return {6, "maintained quota aggregates", R"sql(
CREATE TABLE quota_aggregate_scopes (
  scope           TEXT PRIMARY KEY NOT NULL,
  teams           TEXT NOT NULL,
  active_accounts INTEGER NOT NULL,
  account_regions INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE quota_aggregate_codes (
  scope      TEXT NOT NULL,
  quota_code TEXT NOT NULL,
  sum        REAL NOT NULL,
  fresh      INTEGER NOT NULL,
  stale      INTEGER NOT NULL,
  PRIMARY KEY (scope, quota_code)
) WITHOUT ROWID;
CREATE TABLE quota_aggregate_team_scopes (
  team_id TEXT NOT NULL,
  scope   TEXT NOT NULL,
  PRIMARY KEY (team_id, scope)
) WITHOUT ROWID;
)sql",
          RebuildAggregates};
}

}  // namespace ap::store::sqlite_internal
