// The users area's maintenance entry point for the rest of store/dynamodb (dynamodb_store_users.cc). Private to
// store/dynamodb.
#pragma once

#include <cstdint>
#include <string>

#include "aws/dynamodb.h"
#include "common/status.h"
#include "store/dynamodb/intent.h"

namespace ap::store::ddb {

// Recomputes the user counters (`COUNTER`/`users`: users, enabled_admins) from the user records of `main_table`
// and rewrites them when they differ; returns how many of the two were corrected (0: no drift). For
// DynamoDbStore::RebuildAggregates (maintenance, never a request path): a consistent Scan of the main table
// (O(table)). Intents found on user records are finished first (through `intents`, waiting out live claims), and
// the rewrite is conditional on the counter values read before the walk, so a user write that lands meanwhile
// makes it walk again (Unavailable after a few rounds under constant writes).
Result<int64_t> RecountUserCounters(aws::DynamoDb& db, IntentRunner& intents, const std::string& main_table);

}  // namespace ap::store::ddb
