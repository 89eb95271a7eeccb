// DynamoDbStore: quota (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Result<domain::QuotaSnapshot> DynamoDbStore::GetQuotaSnapshot(const std::string&, const std::string&) {
  return Internal("DynamoDbStore::GetQuotaSnapshot: not implemented yet");
}
Result<std::vector<domain::QuotaSnapshot>> DynamoDbStore::GetQuotaSnapshots(const std::vector<SnapshotKey>&) {
  return Internal("DynamoDbStore::GetQuotaSnapshots: not implemented yet");
}
Status DynamoDbStore::PutQuotaSnapshot(const domain::QuotaSnapshot&) {
  return Internal("DynamoDbStore::PutQuotaSnapshot: not implemented yet");
}
Result<SnapshotPage> DynamoDbStore::ListQuotaSnapshots(const std::string&, int64_t) {
  return Internal("DynamoDbStore::ListQuotaSnapshots: not implemented yet");
}
Result<ScopeAggregate> DynamoDbStore::GetFleetAggregate() {
  return Internal("DynamoDbStore::GetFleetAggregate: not implemented yet");
}
Result<std::vector<ScopeAggregate>> DynamoDbStore::GetTeamAggregates(const std::vector<std::string>&) {
  return Internal("DynamoDbStore::GetTeamAggregates: not implemented yet");
}
Result<domain::QuotaConfig> DynamoDbStore::GetQuotaConfig() {
  return Internal("DynamoDbStore::GetQuotaConfig: not implemented yet");
}
Status DynamoDbStore::PutQuotaConfig(const domain::QuotaConfig&, int64_t) {
  return Internal("DynamoDbStore::PutQuotaConfig: not implemented yet");
}

Status DynamoDbStore::RunFollowUp(const std::string& instruction) {
  return Internal("DynamoDbStore::RunFollowUp: unknown instruction " + instruction);
}

}  // namespace ap::store
