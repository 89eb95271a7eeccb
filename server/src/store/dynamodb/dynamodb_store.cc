// DynamoDbStore: construction, Ping and the maintenance entry points shared by every area.
#include "store/dynamodb/dynamodb_store.h"

#include "store/dynamodb/item.h"

namespace ap::store {

Result<std::unique_ptr<DynamoDbStore>> DynamoDbStore::Open(aws::DynamoDb& db, const Clock& clock, Random& random,
                                                           const DynamoDbStoreOptions& options) {
  RETURN_IF_ERROR(ValidateTablePrefix(options.table_prefix));
  return std::unique_ptr<DynamoDbStore>(new DynamoDbStore(db, clock, random, options));
}

DynamoDbStore::DynamoDbStore(aws::DynamoDb& db, const Clock& clock, Random& random, DynamoDbStoreOptions options)
    : db_(db),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      tables_(DynamoDbTables::WithPrefix(options_.table_prefix)),
      intents_(db, clock, [this](const std::string& instruction) { return RunFollowUp(instruction); }) {}

DynamoDbStore::~DynamoDbStore() = default;

Status DynamoDbStore::Ping() { return db_.Call("DescribeTable", ddb::Request(tables_.main)).status(); }

Result<int64_t> DynamoDbStore::SweepIntents(Duration, int64_t) {
  return Internal("DynamoDbStore::SweepIntents: not implemented yet");
}

}  // namespace ap::store
