// DynamoDb: Amazon DynamoDB's JSON 1.0 API (`X-Amz-Target: DynamoDB_20120810.<Operation>`, `Content-Type:
// application/x-amz-json-1.0`), as one generic call plus the loops every caller needs (paging, unprocessed
// batch entries). Requests and answers are DynamoDB's own JSON documents (items in its typed form:
// {"pk":{"S":"..."},"n":{"N":"1"}}); store/dynamodb builds them. The client signs with the platform's own
// credentials (a CredentialsProvider) for one region.
//
// Errors (besides clients.h's mapping; the AWS code stays at the start of the message, the request id at its end):
//  - FailedPrecondition "ConditionalCheckFailedException: ..." when a ConditionExpression failed (nothing
//    written). IsConditionFailed() tells it apart from other FailedPreconditions.
//  - AlreadyExists "ResourceInUseException: ..." (CreateTable of a table that exists, or a table busy being
//    created or deleted).
//  - NotFound "ResourceNotFoundException: ..." for a missing table or index.
//  - InvalidArgument for ValidationException (a malformed request, or an item over 400 KB).
//  - ResourceExhausted when still throttled (ProvisionedThroughputExceededException, ThrottlingException,
//    RequestLimitExceeded) after the retries; Unavailable for 5xx / connection failures after the retries.
//
// Retries and conditional writes: a write whose answer was lost (a timeout, a reset, a 5xx after DynamoDB applied
// it) is sent again by the retries. For a conditional write, the second attempt can then fail the condition that
// the first attempt made false: ConditionalCheckFailedException although this caller's write is the one stored.
// Callers whose condition guards their own write (create-if-absent, version = v) and that must know who won
// read the item back and compare what they wrote (a token, the new version) before treating it as lost.
//
// Thread safety: safe from many threads. Calls block the calling thread.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sleeper.h"
#include "common/status.h"

namespace ap::aws {

class DynamoDb {
 public:
  virtual ~DynamoDb() = default;
  // Sends `request` as operation `operation` ("PutItem", "Query", ...) and returns the parsed answer (an empty
  // object for an empty body). Retries throttling and transient failures with back-off.
  virtual Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) = 0;
};

// True when `s` is the FailedPrecondition of a failed ConditionExpression.
bool IsConditionFailed(const Status& s);

// Query (or Scan, for maintenance only) following LastEvaluatedKey until it is absent or `max_items` items were
// collected (0 = no cap); returns the items in order. `request` is the first page's request (Limit may be set:
// it is the page size).
Result<std::vector<boost::json::object>> QueryAll(DynamoDb& db, const boost::json::object& request,
                                                  size_t max_items = 0, std::string_view operation = "Query");

// BatchWriteItem of `writes` (each {"PutRequest":{"Item":...}} or {"DeleteRequest":{"Key":...}}) into `table`,
// 25 per call, resending UnprocessedItems after a back-off (50 ms doubling to 1.6 s, through `sleeper`) until
// none remain; Unavailable after 10 rounds in a row that made no progress. Not atomic: on error some writes may
// be done. REQUIRES: no two writes for the same key within one group of 25 (DynamoDB refuses the whole call with
// ValidationException).
Status BatchWriteAll(DynamoDb& db, const std::string& table, const std::vector<boost::json::object>& writes,
                     Sleeper& sleeper = RealSleeper::Instance());

// BatchGetItem of `keys` from `table`, 100 per call, resending UnprocessedKeys (DynamoDB answers at most 16 MB per
// call) after the same back-off. Returns the items found, in no particular order; absent keys are left out.
// `consistent`: ConsistentRead. REQUIRES: no duplicate keys (ValidationException).
Result<std::vector<boost::json::object>> BatchGetAll(DynamoDb& db, const std::string& table,
                                                     const std::vector<boost::json::object>& keys,
                                                     bool consistent = true,
                                                     Sleeper& sleeper = RealSleeper::Instance());

}  // namespace ap::aws
