// Migration 8: time-ordered audit and history ids.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration TimeOrderedIdsMigration() { return {8, "time-ordered audit and history ids", "", nullptr}; }

}  // namespace ap::store::sqlite_internal
