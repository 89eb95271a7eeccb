// SqliteStore: leases and epochs (store/coordination_store.h). Placeholder until the coordination tables land.
#include "store/sqlite/sqlite_store.h"

namespace ap::store {

Result<Lease> SqliteStore::AcquireLease(const std::string&, const std::string&, int64_t, int64_t) {
  return Internal("AcquireLease: not implemented yet");
}
Result<Lease> SqliteStore::RenewLease(const std::string&, const std::string&, int64_t, int64_t, int64_t) {
  return Internal("RenewLease: not implemented yet");
}
Status SqliteStore::ReleaseLease(const std::string&, const std::string&, int64_t) {
  return Internal("ReleaseLease: not implemented yet");
}
Result<Lease> SqliteStore::GetLease(const std::string&) { return Internal("GetLease: not implemented yet"); }
Result<int64_t> SqliteStore::BumpEpoch(const std::string&) { return Internal("BumpEpoch: not implemented yet"); }
Result<int64_t> SqliteStore::GetEpoch(const std::string&) { return Internal("GetEpoch: not implemented yet"); }

}  // namespace ap::store
