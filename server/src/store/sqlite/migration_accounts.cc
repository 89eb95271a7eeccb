// Migration 5: account list and search indexes.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration AccountIndexMigration() { return {5, "account list and search indexes", "", nullptr}; }

}  // namespace ap::store::sqlite_internal
