// Migration 21: AWS's default of each cached quota value (domain::QuotaValue::aws_default, read with
// GetAWSDefaultServiceQuota beside the applied value). NULL: never read (rows written before this migration).
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration AwsDefaultMigration() {
  return {21, "quota value aws default", R"sql(
ALTER TABLE quota_values ADD COLUMN aws_default REAL;
ALTER TABLE quota_values ADD COLUMN aws_default_read_at_ms INTEGER NOT NULL DEFAULT 0;
)sql"};
}

}  // namespace ap::store::sqlite_internal
