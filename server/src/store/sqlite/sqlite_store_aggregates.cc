// The maintained quota aggregates of the SQLite store (see quota_cache_store.h).
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store::sqlite_internal {

void ApplyAccountToAggregates(Connection& /*c*/, const domain::Account* /*before*/, const domain::Account& /*after*/) {}

}  // namespace ap::store::sqlite_internal
