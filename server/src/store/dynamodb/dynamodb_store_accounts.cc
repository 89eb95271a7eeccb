// DynamoDbStore: accounts (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Status DynamoDbStore::CreateAccount(const domain::Account&) {
  return Internal("DynamoDbStore::CreateAccount: not implemented yet");
}
Result<domain::Account> DynamoDbStore::GetAccount(const std::string&) {
  return Internal("DynamoDbStore::GetAccount: not implemented yet");
}
Result<AccountPage> DynamoDbStore::ListAccounts(const AccountFilter&) {
  return Internal("DynamoDbStore::ListAccounts: not implemented yet");
}
Status DynamoDbStore::UpdateAccount(const domain::Account&, int64_t) {
  return Internal("DynamoDbStore::UpdateAccount: not implemented yet");
}
Result<AccountCounts> DynamoDbStore::CountAccounts() {
  return Internal("DynamoDbStore::CountAccounts: not implemented yet");
}
Result<domain::ContactInfo> DynamoDbStore::GetContactInfo(const std::string&) {
  return Internal("DynamoDbStore::GetContactInfo: not implemented yet");
}
Status DynamoDbStore::PutContactInfo(const std::string&, const domain::ContactInfo&) {
  return Internal("DynamoDbStore::PutContactInfo: not implemented yet");
}

}  // namespace ap::store
