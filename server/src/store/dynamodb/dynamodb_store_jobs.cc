// DynamoDbStore: jobs (docs/dynamodb.md). Placeholder until implemented.
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

Status DynamoDbStore::CreateJob(const domain::Job&) {
  return Internal("DynamoDbStore::CreateJob: not implemented yet");
}
Result<domain::Job> DynamoDbStore::GetJob(const std::string&) {
  return Internal("DynamoDbStore::GetJob: not implemented yet");
}
Result<JobPage> DynamoDbStore::ListJobs(const JobFilter&) {
  return Internal("DynamoDbStore::ListJobs: not implemented yet");
}
Status DynamoDbStore::UpdateJobState(const std::string&, const JobStateChange&) {
  return Internal("DynamoDbStore::UpdateJobState: not implemented yet");
}
Status DynamoDbStore::AddJobItems(const std::string&, const std::vector<domain::JobItem>&) {
  return Internal("DynamoDbStore::AddJobItems: not implemented yet");
}
Status DynamoDbStore::FinishJobItem(const std::string&, int64_t, const JobItemResult&) {
  return Internal("DynamoDbStore::FinishJobItem: not implemented yet");
}
Result<JobItemPage> DynamoDbStore::ListJobItems(const std::string&, const JobItemFilter&) {
  return Internal("DynamoDbStore::ListJobItems: not implemented yet");
}

}  // namespace ap::store
