// The DynamoDB the store tests run against, shared by the tests of one binary: a client made by
// aws::MakeAwsClients (signed, retried) and fresh tables per call.
//
// Where DynamoDB comes from: by default the AWS simulator's harness (server/test/aws/dynamodb_test_env.h: one
// simulator per binary, which verifies each request's signature with AWS's JS signer and forwards it to its
// in-process dynalite); AP_DYNAMODB_TEST_ENDPOINT=http://127.0.0.1:PORT (a dynalite started by hand) overrides
// it for quick runs without the simulator.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "aws/dynamodb.h"
#include "common/status.h"

namespace ap::store::testing {

// The shared client; the error says why there is none.
Result<aws::DynamoDb*> TestDynamoDb();

// A new table prefix, unique in this process, whose tables exist (CreateDynamoDbTables).
Result<std::string> NewTestTables();

// Forwards to a real DynamoDb; fails (Unavailable, nothing sent) the first call for which `fail_when` is true.
// For tests that make a writer stop part-way. Not thread-safe (one test thread).
class FailOnceDb final : public aws::DynamoDb {
 public:
  FailOnceDb(aws::DynamoDb& inner, std::function<bool(std::string_view, const boost::json::object&)> fail_when)
      : inner_(inner), fail_when_(std::move(fail_when)) {}
  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override {
    if (!failed_ && fail_when_(operation, request)) {
      failed_ = true;
      return Unavailable("injected failure");
    }
    return inner_.Call(operation, request);
  }

 private:
  aws::DynamoDb& inner_;
  std::function<bool(std::string_view, const boost::json::object&)> fail_when_;
  bool failed_ = false;
};

}  // namespace ap::store::testing
