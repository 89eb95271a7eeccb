// Migration 15: the last decrease of a cached quota value per snapshot (domain::QuotaSnapshot::last_lowered, read by
// the quota_lowered alert). NULL columns: none seen (rows written before this migration read as none).
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration QuotaLoweredMigration() {
  return {15, "quota snapshot last lowered", R"sql(
ALTER TABLE quota_snapshots ADD COLUMN lowered_at_ms INTEGER;
ALTER TABLE quota_snapshots ADD COLUMN lowered_code TEXT;
ALTER TABLE quota_snapshots ADD COLUMN lowered_previous REAL;
ALTER TABLE quota_snapshots ADD COLUMN lowered_value REAL;
)sql"};
}

}  // namespace ap::store::sqlite_internal
