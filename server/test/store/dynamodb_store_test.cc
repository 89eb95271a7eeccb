// The Store conformance suite on DynamoDbStore, against dynalite. Each test gets tables of its own (a fresh
// prefix), created by CreateDynamoDbTables.
//
// Where DynamoDB comes from: AP_DYNAMODB_TEST_ENDPOINT (an http://127.0.0.1:PORT of a dynalite or the AWS
// simulator) when set; otherwise the test harness starts the AWS simulator, which verifies every request's
// signature and forwards it to its in-process dynalite (wired in by helper H1's harness).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "aws/aws_clients.h"
#include "aws/credentials_provider.h"
#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store_conformance.h"

namespace ap::store {
namespace {

using testing::StoreConformance;
using testing::StoreFactory;

// One client for the whole test binary.
struct DynamoDbEnv {
  SystemClock clock;
  SecureRandom random;
  aws::Environment env;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  aws::AwsClients clients;
  std::unique_ptr<aws::DynamoDb> db;
  std::string error;

  static DynamoDbEnv& Get() {
    static DynamoDbEnv* env = [] {
      auto* e = new DynamoDbEnv();
      const char* endpoint = std::getenv("AP_DYNAMODB_TEST_ENDPOINT");
      if (endpoint == nullptr || *endpoint == '\0') {
        e->error = "AP_DYNAMODB_TEST_ENDPOINT is not set";
        return e;
      }
      e->env = {{"AWS_ENDPOINT_URL_DYNAMODB", endpoint},
                {"AWS_ACCESS_KEY_ID", "AKIASIMPLATFORM00001"},
                {"AWS_SECRET_ACCESS_KEY", "platform-secret"}};
      e->credentials = std::make_unique<aws::EnvironmentCredentialsProvider>(e->env);
      aws::AwsClientOptions options;
      options.env = e->env;
      options.rate_limits = false;
      Result<aws::AwsClients> clients = aws::MakeAwsClients(options, e->clock, e->random);
      if (!clients.ok()) {
        e->error = clients.status().ToString();
        return e;
      }
      e->clients = std::move(clients).value();
      e->db = e->clients.dynamodb(*e->credentials, "us-east-1");
      return e;
    }();
    return *env;
  }
};

}  // namespace

namespace testing {

aws::DynamoDb* TestDynamoDb() {
  DynamoDbEnv& env = DynamoDbEnv::Get();
  if (env.db == nullptr) ADD_FAILURE() << "no DynamoDB for the tests: " << env.error;
  return env.db.get();
}

std::unique_ptr<DynamoDbStore> NewTestDynamoDbStore() {
  if (TestDynamoDb() == nullptr) return nullptr;
  DynamoDbEnv& env = DynamoDbEnv::Get();
  static std::atomic<int> counter{0};
  const std::string prefix = "t" + std::to_string(getpid()) + "-" + std::to_string(++counter) + "-";
  Status created = CreateDynamoDbTables(*env.db, prefix, std::chrono::seconds(30));
  if (!created.ok()) {
    ADD_FAILURE() << "CreateDynamoDbTables: " << created.ToString();
    return nullptr;
  }
  Result<std::unique_ptr<DynamoDbStore>> store =
      DynamoDbStore::Open(*env.db, env.clock, env.random, {.table_prefix = prefix});
  if (!store.ok()) {
    ADD_FAILURE() << "DynamoDbStore::Open: " << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

}  // namespace testing

namespace {

INSTANTIATE_TEST_SUITE_P(DynamoDb, StoreConformance, ::testing::Values(StoreFactory([]() -> std::unique_ptr<Store> {
                           return testing::NewTestDynamoDbStore();
                         })));

}  // namespace
}  // namespace ap::store
