// Migration 16: fleet jobs that also poll usage (issue 13). The header says whether its items poll usage and
// counts the items whose poll failed; each item keeps how its poll ended. Rows written before it read as a job
// that did not poll usage: include_usage 0, usage_failed 0, usage_state "" (not asked), usage_error "".
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration JobUsageMigration() {
  return {16, "fleet job usage polls", R"sql(
ALTER TABLE jobs ADD COLUMN include_usage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN usage_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE job_items ADD COLUMN usage_state TEXT NOT NULL DEFAULT '';
ALTER TABLE job_items ADD COLUMN usage_error TEXT NOT NULL DEFAULT '';
)sql"};
}

}  // namespace ap::store::sqlite_internal
