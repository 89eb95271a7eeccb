// Migration 22: the value-sorted index of the dashboard (store/value_sort_index.h; maintained in
// sqlite_store_sort_index.cc).
//
// quota_sort_rows: one row per (account, region, scope, quota code) whose cached value counts as fresh or stale,
// in the same scopes as the aggregates ("fleet", "teams:" + the team set), with the account's name key
// (CollationKey, as account_list) and name. The four sort indexes serve each (direction × region filter) as one
// index range read: ascending and descending value, each with ties by (name_key, account_id, region) ascending,
// which one index scanned backwards could not give. The primary key starts with (account_id, region) so that a
// snapshot or account write replaces its rows by key. The data step fills it from the accounts and cached values.
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store::sqlite_internal {

Migration SortIndexMigration() {
  return {22, "value-sorted dashboard index", R"sql(
CREATE TABLE quota_sort_rows (
  account_id   TEXT NOT NULL,
  region       TEXT NOT NULL,
  scope        TEXT NOT NULL,
  quota_code   TEXT NOT NULL,
  value        REAL NOT NULL,
  name_key     TEXT NOT NULL,
  account_name TEXT NOT NULL,
  PRIMARY KEY (account_id, region, scope, quota_code)
) WITHOUT ROWID;
CREATE INDEX quota_sort_asc ON quota_sort_rows(scope, quota_code, value, name_key, account_id, region);
CREATE INDEX quota_sort_desc ON quota_sort_rows(scope, quota_code, value DESC, name_key, account_id, region);
CREATE INDEX quota_sort_region_asc ON quota_sort_rows(scope, quota_code, region, value, name_key, account_id);
CREATE INDEX quota_sort_region_desc ON quota_sort_rows(scope, quota_code, region, value DESC, name_key, account_id);
)sql",
          RebuildSortIndex};
}

}  // namespace ap::store::sqlite_internal
