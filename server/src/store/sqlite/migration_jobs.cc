// Migration 7: job items as their own rows.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration JobItemsMigration() { return {7, "job items as their own rows", "", nullptr}; }

}  // namespace ap::store::sqlite_internal
