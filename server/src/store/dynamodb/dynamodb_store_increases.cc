// DynamoDbStore: quota increase requests (store/quota_increase_store.h). Work in progress: not implemented yet.
#include <optional>
#include <string>

#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {
namespace {
Status Todo() { return Internal("quota increase requests are not implemented on DynamoDB yet"); }
}  // namespace

Status DynamoDbStore::InsertIncreaseRequest(const domain::QuotaIncreaseRequest&) { return Todo(); }
Result<domain::QuotaIncreaseRequest> DynamoDbStore::GetIncreaseRequest(const std::string&) { return Todo(); }
Result<domain::QuotaIncreaseRequest> DynamoDbStore::FindIncreaseRequestByAwsId(const std::string&, const std::string&) {
  return Todo();
}
Result<int64_t> DynamoDbStore::UpdateIncreaseRequest(const domain::QuotaIncreaseRequest&, int64_t) { return Todo(); }
Result<IncreaseRequestPage> DynamoDbStore::ListIncreaseRequests(const IncreaseRequestFilter&) { return Todo(); }
Result<IncreaseRequestPage> DynamoDbStore::ListOpenIncreaseRequests(const std::string&, int64_t) { return Todo(); }
Result<int64_t> DynamoDbStore::CountOpenIncreaseRequests(const std::string&) { return Todo(); }
Result<std::optional<domain::QuotaIncreaseRequest>> DynamoDbStore::FindOpenIncreaseRequest(const std::string&,
                                                                                           const std::string&,
                                                                                           const std::string&) {
  return Todo();
}

}  // namespace ap::store
