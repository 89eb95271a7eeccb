// DynamoDbTestEnv: DynamoDB for tests. One AWS simulator (tools/aws-sim) per test binary, started on first use and
// shared by every test in the binary; its DynamoDB is an in-process dynalite (in memory) behind the simulator's
// SigV4 check, so every request the C++ client sends is signature-verified with AWS's own JS signer before
// dynalite sees it. The client is the production one (MakeAwsClients(...).dynamodb), pointed at the simulator
// with AWS_ENDPOINT_URL_DYNAMODB, signing with the platform's default credentials chain whose environment holds
// the simulator's platform identity (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, tools/aws-sim/README.md), region
// us-east-1.
//
// Tests share one dynalite: each test isolates itself by creating its own tables under a fresh prefix.
//
//   #include "dynamodb_test_env.h"   // link ap_aws_test_support
//
//   auto env = ap::aws::testing::DynamoDbTestEnv::Shared();
//   ASSERT_TRUE(env.ok()) << env.status().ToString();   // says why the simulator could not start
//   std::string prefix = (*env)->NewTablePrefix();       // e.g. "t4711-3-"
//   ASSERT_OK(ap::store::CreateDynamoDbTables((*env)->db(), prefix));
//   ... (*env)->db().Call("PutItem", ...) or a DynamoDbStore over (*env)->db() and prefix ...
//   (*env)->sim().Control("GET", "/_sim/dynamodb/stats");   // per-operation call counts
//   (*env)->sim().Control("POST", "/_sim/faults", R"({"service":"dynamodb","error":"throttle","count":2})");
//
// Fault rules are shared by the whole binary: a test that adds one removes it again (DELETE /_sim/faults/<id>,
// or DELETE /_sim/faults) and must not run concurrently with tests that would trip over it.
//
// Where the simulator lives: <repo>/tools/aws-sim/server.mjs, with <repo> from the AP_REPO_ROOT environment
// variable, else the source tree this library was built from. `node` is searched in PATH. Set AP_TEST_CHILD_LOG
// to see the simulator's stderr.
//
// Thread safety: Shared() and every method are safe from many threads. Ownership: the environment lives until
// the process exits (the simulator is stopped then, and also when the test process dies: it gets SIGTERM).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "aws/aws_clients.h"
#include "aws/dynamodb.h"
#include "aws/types.h"
#include "aws_sim_process.h"
#include "common/random.h"
#include "common/status.h"

namespace ap::aws::testing {

class DynamoDbTestEnv {
 public:
  // The platform identity the simulator accepts for DynamoDB (tools/aws-sim/services/dynamodb.mjs).
  static constexpr const char* kPlatformAccessKeyId = "AKIASIMPLATFORM00001";
  static constexpr const char* kPlatformSecretAccessKey = "simPlatformSecretAccessKey00000000000001";
  static constexpr const char* kRegion = "us-east-1";

  // Returns the binary's environment, starting the simulator on the first call (which waits until it listens,
  // up to 20 s). FailedPrecondition / DeadlineExceeded / Internal naming the cause (no simulator script, node or
  // dynalite missing, no URL printed) when it cannot start; later calls return the same error at once.
  static Result<DynamoDbTestEnv*> Shared();

  // The shared client: production DynamoDbClient, retries as MakeAwsClients configures them.
  DynamoDb& db() { return *db_; }

  // A table prefix no other call in this process returned: "t<pid>-<n>-". Table names made from it stay within
  // DynamoDB's [a-zA-Z0-9_.-] alphabet.
  std::string NewTablePrefix();

  // Another client to the same DynamoDB with its own options (e.g. max_attempts = 1 to see throttling). The env
  // of `options` is replaced by the one above (endpoint, platform key); everything else is kept. The client signs
  // with the shared chain, so it may outlive nothing but the process.
  Result<std::unique_ptr<DynamoDb>> NewClient(AwsClientOptions options = {});

  // The simulator: its URL and control API (/_sim/dynamodb/stats, /_sim/faults, ...).
  AwsSimProcess& sim() { return *sim_; }
  const std::string& url() const { return sim_->url(); }

  static Credentials PlatformCredentials() {
    return Credentials{kPlatformAccessKeyId, kPlatformSecretAccessKey, "", {}};
  }

 private:
  DynamoDbTestEnv() = default;
  static Result<std::unique_ptr<DynamoDbTestEnv>> Start();

  std::unique_ptr<AwsSimProcess> sim_;
  SecureRandom random_;
  AwsClients clients_;
  std::unique_ptr<DynamoDb> db_;
  std::atomic<int> next_prefix_{0};
};

}  // namespace ap::aws::testing
