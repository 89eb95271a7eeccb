// Issue 16 §1 at the API: after a refresh that AWS refused on every call, the quota read and the dashboard say so
// (values stale with their last good figures, the reason, its kind and the attempt time; "last_refresh" failed; the
// dashboard's stale counts), and a later successful refresh clears it.
#include <gtest/gtest.h>

#include <memory>

#include "api/api.h"
#include "common/thread_pool.h"
#include "fake_aws.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr const char* kDenied =
    "AccessDeniedException: User is not authorized to perform servicequotas:GetServiceQuota";

class FailedRefreshApiTest : public ::testing::Test {
 protected:
  FailedRefreshApiTest()
      : creds_(*env.accounts, env.assumer, env.clock),
        pool_(std::make_unique<ThreadPool>(2)),
        refresher_(*env.accounts, *env.quota_config, *env.quota, creds_, quotas_, *env.audit, *env.store, env.clock,
                   *pool_, service::RefreshOptions{}),
        api_(WithRefresher(), ApiOptions{}) {}
  ~FailedRefreshApiTest() override { pool_.reset(); }

  Services WithRefresher() {
    Services s = ServicesOf(*env.graph);
    s.refresher = &refresher_;
    s.blocking_pool = pool_.get();
    return s;
  }

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    ASSERT_OK(login);
    token_ = login->token;
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
    for (const char* code : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas_.Set(code, {1000.0, 500.0, Status::Ok()});
  }

  http::Response Send(std::string method, std::string path) {
    http::Request r;
    r.method = std::move(method);
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.headers.push_back({"Authorization", "Bearer " + token_});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-failed-refresh";
    return api_.HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  json::object Get(const std::string& path) {
    auto r = Send("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.status == 200 ? Body(r) : json::object{};
  }
  // The dashboard totals of a model's dimension.
  static const json::object& Totals(const json::object& stats, std::string_view model, std::string_view dim) {
    for (const auto& m : stats.at("models").as_array())
      if (m.at("model_id").as_string() == model) return m.at(dim).as_object();
    static const json::object none;
    ADD_FAILURE() << "no model " << model;
    return none;
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas_;
  service::AccountCredentials creds_;
  std::unique_ptr<ThreadPool> pool_;
  service::QuotaRefresher refresher_;
  Api api_;
  std::string token_;
};

TEST_F(FailedRefreshApiTest, AQuotaReadAndTheDashboardShowARefreshThatReadNothing) {
  ASSERT_EQ(Send("POST", "/api/accounts/123456789012/quota/refresh").status, 200);
  auto fresh = Get("/api/accounts/123456789012/quota");
  EXPECT_EQ(fresh.at("last_refresh").at("state"), "ok");
  EXPECT_TRUE(fresh.at("last_refresh").at("reason").is_null());
  EXPECT_TRUE(fresh.at("last_refresh").at("reason_kind").is_null());
  EXPECT_EQ(Totals(Get("/api/dashboard/stats"), "claude-opus-4.5", "tpm").at("stale"), 0);

  env.clock.Advance(std::chrono::minutes(4));
  quotas_.FailEverything(PermissionDenied(kDenied));
  auto failed = Send("POST", "/api/accounts/123456789012/quota/refresh");
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_NE(failed.body.find("marked stale"), std::string::npos) << failed.body;
  EXPECT_NE(failed.body.find("AccessDeniedException"), std::string::npos) << failed.body;

  // The quota read (a new snapshot: not served from the read cache).
  auto read = Get("/api/accounts/123456789012/quota");
  const auto& last = read.at("last_refresh").as_object();
  EXPECT_EQ(last.at("state"), "failed");
  EXPECT_EQ(last.at("read"), 0);
  EXPECT_EQ(last.at("failed"), 6);
  EXPECT_EQ(last.at("reason"), kDenied);
  EXPECT_EQ(last.at("reason_kind"), "access_denied");
  EXPECT_EQ(last.at("at"), TimeOrNull(env.clock.NowUnixMillis()));
  EXPECT_NE(read.at("last_updated"), last.at("at"));  // the values were read 4 minutes earlier
  for (const auto& m : read.at("models").as_array()) {
    const auto& tpm = m.at("tpm").as_object();
    EXPECT_EQ(tpm.at("state"), "stale");
    EXPECT_EQ(tpm.at("value"), 1000);  // the last good value, never 0
    EXPECT_EQ(tpm.at("reason"), kDenied);
    EXPECT_EQ(tpm.at("reason_kind"), "access_denied");
    EXPECT_EQ(tpm.at("attempted_at"), last.at("at"));
    EXPECT_EQ(m.at("status"), "stale");
  }

  // The dashboard: the stale counts and the row.
  auto stats = Get("/api/dashboard/stats");
  const auto& opus = Totals(stats, "claude-opus-4.5", "tpm");
  EXPECT_EQ(opus.at("stale"), 1);
  EXPECT_EQ(opus.at("fresh"), 0);
  EXPECT_TRUE(opus.at("total").is_null());
  const auto& rows = stats.at("accounts").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("last_refresh").at("state"), "failed");
  EXPECT_EQ(rows[0].at("last_refresh").at("reason_kind"), "access_denied");
  const auto& cell = rows[0].at("values").at("claude-opus-4.5").at("tpm").as_object();
  EXPECT_EQ(cell.at("state"), "stale");
  EXPECT_EQ(cell.at("value"), 1000);
  EXPECT_EQ(cell.at("reason"), kDenied);
  EXPECT_EQ(cell.at("reason_kind"), "access_denied");
  EXPECT_EQ(cell.at("attempted_at"), last.at("at"));

  // A later successful refresh clears it.
  env.clock.Advance(std::chrono::minutes(1));
  quotas_.FailEverything(Status::Ok());
  ASSERT_EQ(Send("POST", "/api/accounts/123456789012/quota/refresh").status, 200);
  auto cleared = Get("/api/accounts/123456789012/quota");
  EXPECT_EQ(cleared.at("last_refresh").at("state"), "ok");
  for (const auto& m : cleared.at("models").as_array()) {
    EXPECT_EQ(m.at("tpm").at("state"), "ok");
    EXPECT_TRUE(m.at("tpm").at("reason").is_null());
    EXPECT_TRUE(m.at("tpm").at("reason_kind").is_null());
  }
  auto after = Get("/api/dashboard/stats");
  EXPECT_EQ(Totals(after, "claude-opus-4.5", "tpm").at("stale"), 0);
  EXPECT_EQ(Totals(after, "claude-opus-4.5", "tpm").at("fresh"), 1);
  EXPECT_EQ(after.at("accounts").as_array()[0].at("last_refresh").at("state"), "ok");
}

TEST_F(FailedRefreshApiTest, NeverRefreshedRowsAndReadsHaveNoLastRefresh) {
  EXPECT_TRUE(Get("/api/accounts/123456789012/quota").at("last_refresh").is_null());
  EXPECT_TRUE(Get("/api/dashboard/stats").at("accounts").as_array()[0].at("last_refresh").is_null());
}

}  // namespace
}  // namespace ap::api
