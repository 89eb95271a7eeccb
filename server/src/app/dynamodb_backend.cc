#include "app/dynamodb_backend.h"

#include "common/log.h"

namespace ap::app {
namespace {

// ValidateTablePrefix's answer, naming the flag instead of the store's option.
Status CheckPrefix(const std::string& prefix, const std::string& flag) {
  Status s = store::ValidateTablePrefix(prefix);
  if (s.ok()) return s;
  std::string message = s.message();
  if (message.rfind("table_prefix: ", 0) == 0) message.erase(0, 14);
  return InvalidArgument(flag + ": " + message);
}

}  // namespace

Result<std::string> DynamoDbRegion(const aws::Environment& env) {
  std::string region = aws::GetEnv(env, "AWS_REGION");
  if (region.empty()) region = aws::GetEnv(env, "AWS_DEFAULT_REGION");
  if (region.empty()) return InvalidArgument("AWS_REGION: set it to the region of the DynamoDB tables");
  return region;
}

Result<DynamoDbBackend> OpenDynamoDbBackend(aws::AwsClients& aws, const aws::Environment& env,
                                            const std::string& table_prefix, const Clock& clock, Random& random) {
  RETURN_IF_ERROR(CheckPrefix(table_prefix, "--dynamodb-table-prefix"));
  ASSIGN_OR_RETURN(std::string region, DynamoDbRegion(env));
  DynamoDbBackend backend;
  backend.db = aws.dynamodb(*aws.default_credentials, region);
  store::DynamoDbStoreOptions options;
  options.table_prefix = table_prefix;
  ASSIGN_OR_RETURN(backend.store, store::DynamoDbStore::Open(*backend.db, clock, random, options));
  // Every table, not just the one Ping reads: a half-created set fails here rather than on some later request.
  for (const std::string& table : backend.store->tables().all()) {
    boost::json::object request{{"TableName", table}};
    Result<boost::json::object> described = backend.db->Call("DescribeTable", request);
    if (described.ok()) continue;
    if (described.status().code() == StatusCode::kNotFound)
      return FailedPrecondition(
          std::string("DynamoDB table ")
              .append(table)
              .append(" (region ")
              .append(region)
              .append(") does not exist; run: account-platform dynamodb create-tables --table-prefix ")
              .append(table_prefix));
    return Status(described.status().code(), "DynamoDB: " + described.status().message());
  }
  return backend;
}

Status CreateTablesCommand(const std::string& table_prefix, Duration timeout, std::ostream& out) {
  RETURN_IF_ERROR(CheckPrefix(table_prefix, "--table-prefix"));
  aws::AwsClientOptions options;
  options.env = aws::ProcessEnvironment();
  ASSIGN_OR_RETURN(std::string region, DynamoDbRegion(options.env));
  SecureRandom random;
  ASSIGN_OR_RETURN(aws::AwsClients aws, aws::MakeAwsClients(options, SystemClock::Instance(), random));
  std::unique_ptr<aws::DynamoDb> db = aws.dynamodb(*aws.default_credentials, region);
  out << "Creating the DynamoDB tables of prefix \"" << table_prefix << "\" in " << region << std::endl;
  Status s = store::CreateDynamoDbTables(*db, table_prefix, timeout,
                                         [&out](const std::string& step) { out << "  " << step << std::endl; });
  if (!s.ok()) return Status(s.code(), "DynamoDB: " + s.message());
  out << "Done: the tables of prefix \"" << table_prefix << "\" are active" << std::endl;
  return Status::Ok();
}

}  // namespace ap::app
