// DynamoDbStore: history (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Status DynamoDbStore::AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>&) {
  return Internal("DynamoDbStore::AppendQuotaHistory: not implemented yet");
}
Result<QuotaHistoryPage> DynamoDbStore::ListQuotaHistory(const QuotaHistoryFilter&) {
  return Internal("DynamoDbStore::ListQuotaHistory: not implemented yet");
}

}  // namespace ap::store
