// DynamoDbStore: users (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Status DynamoDbStore::CreateUser(const domain::User&) {
  return Internal("DynamoDbStore::CreateUser: not implemented yet");
}
Result<domain::User> DynamoDbStore::GetUser(const std::string&) {
  return Internal("DynamoDbStore::GetUser: not implemented yet");
}
Result<domain::User> DynamoDbStore::GetUserByEmail(const std::string&) {
  return Internal("DynamoDbStore::GetUserByEmail: not implemented yet");
}
Result<UserPage> DynamoDbStore::ListUsers(const std::string&, int64_t) {
  return Internal("DynamoDbStore::ListUsers: not implemented yet");
}
Status DynamoDbStore::UpdateUser(const domain::User&) {
  return Internal("DynamoDbStore::UpdateUser: not implemented yet");
}
Status DynamoDbStore::DeleteUser(const std::string&) {
  return Internal("DynamoDbStore::DeleteUser: not implemented yet");
}
Result<int64_t> DynamoDbStore::CountUsers() { return Internal("DynamoDbStore::CountUsers: not implemented yet"); }
Result<int64_t> DynamoDbStore::CountEnabledAdmins() {
  return Internal("DynamoDbStore::CountEnabledAdmins: not implemented yet");
}
Status DynamoDbStore::PutTeam(const domain::Team&) { return Internal("DynamoDbStore::PutTeam: not implemented yet"); }
Status DynamoDbStore::PutTeamIfAbsent(const domain::Team&) {
  return Internal("DynamoDbStore::PutTeamIfAbsent: not implemented yet");
}
Result<std::vector<domain::Team>> DynamoDbStore::ListTeams() {
  return Internal("DynamoDbStore::ListTeams: not implemented yet");
}
Status DynamoDbStore::DeleteTeam(const std::string&) {
  return Internal("DynamoDbStore::DeleteTeam: not implemented yet");
}
Status DynamoDbStore::CreateSession(const domain::Session&, int) {
  return Internal("DynamoDbStore::CreateSession: not implemented yet");
}
Result<domain::Session> DynamoDbStore::GetSession(const std::string&) {
  return Internal("DynamoDbStore::GetSession: not implemented yet");
}
Status DynamoDbStore::DeleteSession(const std::string&) {
  return Internal("DynamoDbStore::DeleteSession: not implemented yet");
}
Status DynamoDbStore::DeleteSessionsOfUser(const std::string&) {
  return Internal("DynamoDbStore::DeleteSessionsOfUser: not implemented yet");
}
Result<int64_t> DynamoDbStore::DeleteExpiredSessions(int64_t) {
  return Internal("DynamoDbStore::DeleteExpiredSessions: not implemented yet");
}

}  // namespace ap::store
