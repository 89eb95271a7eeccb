// The fleet job routes with usage polls (issue 13): POST /api/admin/quota/refresh-all's include_usage (its default,
// its 422) and the usage fields of GET /api/jobs/{id} and /api/jobs/{id}/items (docs/openapi.yaml Job, JobItem).
#include <gtest/gtest.h>

#include <memory>

#include "api/api.h"
#include "fake_aws.h"
#include "status_matchers.h"
#include "test_env.h"
#include "usage_fakes.h"

namespace ap::api {
namespace {

class FleetApiTest : public ::testing::Test {
 protected:
  FleetApiTest()
      : creds_(*env.accounts, env.assumer, env.clock),
        pool_(std::make_unique<ThreadPool>(2)),
        refresher_(*env.accounts, *env.quota_config, *env.quota, creds_, quotas_, *env.audit, *env.store, env.clock,
                   *pool_, service::RefreshOptions{}),
        poller_(*env.accounts, *env.quota_config, *env.quota, creds_, cloudwatch_, *env.store, *env.store, env.clock,
                *pool_, service::UsagePollOptions{}) {}
  ~FleetApiTest() override {
    api_.reset();
    fleet_.reset();
    pool_.reset();  // drains the queue while everything its tasks use is alive
  }

  // Builds the fleet (with the usage poller or without) and the API over it.
  void Build(bool polls_usage) {
    fleet_ = std::make_unique<service::FleetRefresher>(*env.accounts, refresher_, *env.store, *env.store, *env.audit,
                                                       env.clock, env.random, service::FleetOptions{2},
                                                       polls_usage ? &poller_ : nullptr);
    Services s = ServicesOf(*env.graph);
    s.refresher = &refresher_;
    s.blocking_pool = pool_.get();
    s.fleet = fleet_.get();
    api_ = std::make_unique<Api>(s, ApiOptions{});
  }

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    ASSERT_OK(login);
    token_ = login->token;
    for (const char* code : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas_.Set(code, {1000.0, 500.0, Status::Ok()});
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789013")));
    cloudwatch_.SetModelIds({"global.anthropic.claude-sonnet-4-5-20250929-v1:0"});
  }

  http::Response Send(std::string method, std::string path, std::string body = "") {
    http::Request r;
    r.method = std::move(method);
    r.path = r.target = std::move(path);
    r.body = std::move(body);
    r.headers.push_back({"Authorization", "Bearer " + token_});
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-fleet";
    return api_->HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }

  // Starts a job with `body`, waits for it and returns its header.
  json::object RunJob(const std::string& body) {
    auto started = Send("POST", "/api/admin/quota/refresh-all", body);
    EXPECT_EQ(started.status, 202) << started.body;
    if (started.status != 202) return {};
    fleet_->WaitIdle();
    job_id_ = std::string(Body(started).at("job_id").as_string());
    auto got = Send("GET", "/api/jobs/" + job_id_);
    EXPECT_EQ(got.status, 200) << got.body;
    return Body(got);
  }
  json::array JobItems() { return Body(Send("GET", "/api/jobs/" + job_id_ + "/items")).at("items").as_array(); }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas_;
  testing::FakeCloudWatch cloudwatch_;
  service::AccountCredentials creds_;
  std::unique_ptr<ThreadPool> pool_;
  service::QuotaRefresher refresher_;
  service::UsagePoller poller_;
  std::unique_ptr<service::FleetRefresher> fleet_;
  std::unique_ptr<Api> api_;
  std::string token_;
  std::string job_id_;
};

TEST_F(FleetApiTest, UsageIsPolledByDefaultWhenTheServerPollsIt) {
  Build(true);
  json::object job = RunJob("");
  EXPECT_EQ(job.at("include_usage"), true);
  EXPECT_EQ(job.at("usage_failed"), 0);
  EXPECT_EQ(job.at("ok"), 2);
  json::array items = JobItems();
  ASSERT_EQ(items.size(), 2u);
  for (const json::value& i : items) {
    EXPECT_EQ(i.at("usage_state"), "ok");
    EXPECT_TRUE(i.at("usage_error").is_null());
  }
  EXPECT_EQ(cloudwatch_.list_calls(), 2);
}

TEST_F(FleetApiTest, AFailedPollIsStaleWithItsMessage) {
  Build(true);
  cloudwatch_.FailListMetrics(Unavailable("InternalServiceFault"));
  json::object job = RunJob(R"({"include_usage":true})");
  EXPECT_EQ(job.at("state"), "succeeded");
  EXPECT_EQ(job.at("usage_failed"), 2);
  for (const json::value& i : JobItems()) {
    EXPECT_EQ(i.at("outcome"), "ok");
    EXPECT_EQ(i.at("usage_state"), "stale");
    EXPECT_EQ(i.at("usage_error"), json::value(service::UsageErrorMessage("unavailable")));
  }
}

TEST_F(FleetApiTest, UsageCanBeLeftOut) {
  Build(true);
  json::object job = RunJob(R"({"include_usage":false})");
  EXPECT_EQ(job.at("include_usage"), false);
  for (const json::value& i : JobItems()) EXPECT_TRUE(i.at("usage_state").is_null());
  EXPECT_EQ(cloudwatch_.list_calls(), 0);
}

TEST_F(FleetApiTest, UsageIsRefusedWith422WhenTheServerDoesNotPollIt) {
  Build(false);
  auto refused = Send("POST", "/api/admin/quota/refresh-all", R"({"include_usage":true})");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Body(refused).at("error").at("field"), "include_usage");
  auto wrong_type = Send("POST", "/api/admin/quota/refresh-all", R"({"include_usage":"yes"})");
  EXPECT_EQ(wrong_type.status, 422) << wrong_type.body;
  // The default is then off.
  json::object job = RunJob("");
  EXPECT_EQ(job.at("include_usage"), false);
  EXPECT_EQ(job.at("usage_failed"), 0);
}

}  // namespace
}  // namespace ap::api
