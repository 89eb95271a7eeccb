#include "dynamodb_test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "aws/aws_clients.h"
#include "aws/credentials_provider.h"
#include "common/clock.h"
#include "common/random.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store::testing {
namespace {

struct Env {
  SystemClock clock;
  SecureRandom random;
  aws::Environment env;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  aws::AwsClients clients;
  std::unique_ptr<aws::DynamoDb> db;
  Status error = Status::Ok();
};

Env& Shared() {
  static Env* env = [] {
    auto* e = new Env();
    const char* endpoint = std::getenv("AP_DYNAMODB_TEST_ENDPOINT");
    if (endpoint == nullptr || *endpoint == '\0') {
      e->error = FailedPrecondition("AP_DYNAMODB_TEST_ENDPOINT is not set");
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
      e->error = clients.status();
      return e;
    }
    e->clients = std::move(clients).value();
    e->db = e->clients.dynamodb(*e->credentials, "us-east-1");
    return e;
  }();
  return *env;
}

}  // namespace

Result<aws::DynamoDb*> TestDynamoDb() {
  Env& env = Shared();
  if (env.db == nullptr) return env.error;
  return env.db.get();
}

Result<std::string> NewTestTables() {
  ASSIGN_OR_RETURN(aws::DynamoDb * db, TestDynamoDb());
  static std::atomic<int> counter{0};
  std::string prefix = "t" + std::to_string(getpid()) + "-" + std::to_string(++counter) + "-";
  RETURN_IF_ERROR(CreateDynamoDbTables(*db, prefix, std::chrono::seconds(30)));
  return prefix;
}

}  // namespace ap::store::testing
