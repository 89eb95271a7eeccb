// DynamoDbStore: audit (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Result<domain::AuditEntry> DynamoDbStore::AppendAudit(const domain::AuditEntry&, Durability) {
  return Internal("DynamoDbStore::AppendAudit: not implemented yet");
}
Result<domain::AuditEntry> DynamoDbStore::AppendAuditCoalesced(const domain::AuditEntry&, int64_t) {
  return Internal("DynamoDbStore::AppendAuditCoalesced: not implemented yet");
}
Result<AuditPage> DynamoDbStore::ListAudit(const AuditFilter&) {
  return Internal("DynamoDbStore::ListAudit: not implemented yet");
}
Result<int64_t> DynamoDbStore::DeleteAuditBefore(int64_t, int64_t) {
  return Internal("DynamoDbStore::DeleteAuditBefore: not implemented yet");
}

}  // namespace ap::store
