// Migration 6: maintained quota aggregates.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration QuotaAggregateMigration() { return {6, "maintained quota aggregates", "", nullptr}; }

}  // namespace ap::store::sqlite_internal
