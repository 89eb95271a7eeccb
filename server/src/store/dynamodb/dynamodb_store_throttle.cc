// DynamoDbStore: throttle (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Result<ThrottleDecision> DynamoDbStore::CountLoginAttempt(const std::string&, int64_t, const LoginThrottlePolicy&) {
  return Internal("DynamoDbStore::CountLoginAttempt: not implemented yet");
}
Status DynamoDbStore::RefundLoginAttempt(const std::string&) {
  return Internal("DynamoDbStore::RefundLoginAttempt: not implemented yet");
}
Status DynamoDbStore::ClearLoginFailures(const std::string&) {
  return Internal("DynamoDbStore::ClearLoginFailures: not implemented yet");
}
Result<LoginThrottle> DynamoDbStore::GetLoginThrottle(const std::string&, int64_t) {
  return Internal("DynamoDbStore::GetLoginThrottle: not implemented yet");
}
Result<int64_t> DynamoDbStore::DeleteExpiredLoginThrottles(int64_t) {
  return Internal("DynamoDbStore::DeleteExpiredLoginThrottles: not implemented yet");
}

}  // namespace ap::store
