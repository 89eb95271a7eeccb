#include "dynamodb_test_env.h"

#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "common/clock.h"

#ifndef AP_REPO_ROOT
#error "AP_REPO_ROOT must be defined (the repository root, for tools/aws-sim)"
#endif

namespace ap::aws::testing {

namespace {

std::string RepoRoot() {
  const char* env = std::getenv("AP_REPO_ROOT");
  return env != nullptr && *env != '\0' ? env : AP_REPO_ROOT;
}

Environment ClientEnvironment(const std::string& url) {
  return {{"AWS_ENDPOINT_URL_DYNAMODB", url},
          {"AWS_ACCESS_KEY_ID", DynamoDbTestEnv::kPlatformAccessKeyId},
          {"AWS_SECRET_ACCESS_KEY", DynamoDbTestEnv::kPlatformSecretAccessKey},
          {"AWS_EC2_METADATA_DISABLED", "true"}};
}

}  // namespace

Result<DynamoDbTestEnv*> DynamoDbTestEnv::Shared() {
  // Built once; a failed start is remembered so that a binary of many tests fails each at once, not after 20 s.
  static std::mutex mu;
  static std::unique_ptr<DynamoDbTestEnv> env;
  static Status failure;
  std::lock_guard<std::mutex> lock(mu);
  if (env != nullptr) return env.get();
  if (!failure.ok()) return failure;
  Result<std::unique_ptr<DynamoDbTestEnv>> started = Start();
  if (!started.ok()) {
    failure =
        Status(started.status().code(),
               "DynamoDB test environment (AWS simulator with dynalite) did not start: " + started.status().message() +
                   " (AP_TEST_CHILD_LOG=1 shows the simulator's stderr)");
    return failure;
  }
  env = std::move(started).value();
  return env.get();
}

Result<std::unique_ptr<DynamoDbTestEnv>> DynamoDbTestEnv::Start() {
  std::unique_ptr<DynamoDbTestEnv> env(new DynamoDbTestEnv());
  ASSIGN_OR_RETURN(env->sim_, AwsSimProcess::Start(RepoRoot(), {}));
  // The simulator prints its URL only after dynalite listens (or exits when dynalite cannot start).
  ASSIGN_OR_RETURN(boost::json::value info, env->sim_->Control("GET", "/_sim/dynamodb"));
  if (!info.is_object() || !info.as_object().contains("enabled") || !info.at("enabled").as_bool()) {
    return FailedPrecondition("the simulator at " + env->url() + " serves no DynamoDB");
  }
  AwsClientOptions options;
  options.env = ClientEnvironment(env->url());
  ASSIGN_OR_RETURN(env->clients_, MakeAwsClients(options, SystemClock::Instance(), env->random_));
  env->db_ = env->clients_.dynamodb(*env->clients_.default_credentials, kRegion);
  // One cheap signed call proves endpoint, signature and credentials before any test depends on them.
  ASSIGN_OR_RETURN(boost::json::object tables, env->db_->Call("ListTables", {}));
  (void)tables;
  return env;
}

std::string DynamoDbTestEnv::NewTablePrefix() {
  std::string prefix("t");
  return prefix.append(std::to_string(::getpid()))
      .append("-")
      .append(std::to_string(next_prefix_.fetch_add(1)))
      .append("-");
}

Result<std::unique_ptr<DynamoDb>> DynamoDbTestEnv::NewClient(AwsClientOptions options) {
  options.env = ClientEnvironment(url());
  ASSIGN_OR_RETURN(AwsClients clients, MakeAwsClients(options, SystemClock::Instance(), random_));
  return clients.dynamodb(*clients_.default_credentials, kRegion);
}

}  // namespace ap::aws::testing
