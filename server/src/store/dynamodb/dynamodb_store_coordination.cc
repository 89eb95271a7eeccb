// DynamoDbStore: coordination (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Result<Lease> DynamoDbStore::AcquireLease(const std::string&, const std::string&, int64_t, int64_t) {
  return Internal("DynamoDbStore::AcquireLease: not implemented yet");
}
Result<Lease> DynamoDbStore::RenewLease(const std::string&, const std::string&, int64_t, int64_t, int64_t) {
  return Internal("DynamoDbStore::RenewLease: not implemented yet");
}
Status DynamoDbStore::ReleaseLease(const std::string&, const std::string&, int64_t) {
  return Internal("DynamoDbStore::ReleaseLease: not implemented yet");
}
Result<Lease> DynamoDbStore::GetLease(const std::string&) {
  return Internal("DynamoDbStore::GetLease: not implemented yet");
}
Result<int64_t> DynamoDbStore::BumpEpoch(const std::string&) {
  return Internal("DynamoDbStore::BumpEpoch: not implemented yet");
}
Result<int64_t> DynamoDbStore::GetEpoch(const std::string&) {
  return Internal("DynamoDbStore::GetEpoch: not implemented yet");
}

}  // namespace ap::store
