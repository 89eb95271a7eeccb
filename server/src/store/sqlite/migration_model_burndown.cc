// Migration 11: the output token burndown rate of each quota-config model (domain::ModelSpec::
// output_token_burndown). Rows written before it read as the default, 5.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration ModelBurndownMigration() {
  return {11, "model output token burndown", R"sql(
ALTER TABLE quota_config_models ADD COLUMN output_token_burndown INTEGER NOT NULL DEFAULT 5;
)sql"};
}

}  // namespace ap::store::sqlite_internal
