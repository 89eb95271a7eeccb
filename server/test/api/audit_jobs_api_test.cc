// Issue 16 §3 and §5 at the API: the quota config PUT names the models that start being read and refuses a shown
// but disabled model (422 naming models[i].show_in_dashboard); refresh-all limited to model_ids; jobs name who
// started them and their items the accounts; the audit log filters by actor email and names targets.
#include <gtest/gtest.h>

#include <memory>

#include "api/api.h"
#include "common/thread_pool.h"
#include "fake_aws.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

class AuditJobsApiTest : public ::testing::Test {
 protected:
  AuditJobsApiTest()
      : creds_(*env.accounts, env.assumer, env.clock),
        pool_(std::make_unique<ThreadPool>(2)),
        refresher_(*env.accounts, *env.quota_config, *env.quota, creds_, quotas_, *env.audit, *env.store, env.clock,
                   *pool_, service::RefreshOptions{}),
        fleet_(*env.accounts, refresher_, *env.store, *env.store, *env.audit, env.clock, env.random,
               service::FleetOptions{2}),
        api_(WithFleet(), ApiOptions{}) {}
  ~AuditJobsApiTest() override {
    fleet_.Shutdown();
    pool_.reset();
  }

  Services WithFleet() {
    Services s = ServicesOf(*env.graph);
    s.refresher = &refresher_;
    s.fleet = &fleet_;
    s.blocking_pool = pool_.get();
    return s;
  }

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    ASSERT_OK(login);
    token_ = login->token;
    admin_id_ = login->user.user_id;
    for (const char* code : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas_.Set(code, {1000.0, 500.0, Status::Ok()});
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  }

  http::Response Send(std::string method, std::string path, std::string body = "") {
    http::Request r;
    r.method = std::move(method);
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.body = std::move(body);
    r.headers.push_back({"Authorization", "Bearer " + token_});
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-audit-jobs";
    return api_.HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  json::object Get(const std::string& path) {
    auto r = Send("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.status == 200 ? Body(r) : json::object{};
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas_;
  service::AccountCredentials creds_;
  std::unique_ptr<ThreadPool> pool_;
  service::QuotaRefresher refresher_;
  service::FleetRefresher fleet_;
  Api api_;
  std::string token_;
  std::string admin_id_;
};

TEST_F(AuditJobsApiTest, TheConfigPutNamesNewlyReadModelsAndRefusesAShownDisabledModel) {
  json::object config = Get("/api/admin/quota-config");
  json::array& models = config.at("models").as_array();
  size_t shown = 0;
  while (shown < models.size() && !models[shown].as_object().at("show_in_dashboard").as_bool()) ++shown;
  ASSERT_LT(shown, models.size());
  json::object bad = config;
  bad.at("models").as_array()[shown].as_object()["enabled"] = false;
  auto refused = Send("PUT", "/api/admin/quota-config", json::serialize(bad));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Body(refused).at("error").as_object().at("field").as_string(),
            "models[" + std::to_string(shown) + "].show_in_dashboard");

  json::object added = config;
  added.at("models").as_array().push_back(json::object{{"model_id", "claude-haiku-4.5"},
                                                       {"display_name", "Claude Haiku 4.5"},
                                                       {"quota_code_tpm", "L-11111111"},
                                                       {"quota_code_rpm", nullptr},
                                                       {"enabled", true},
                                                       {"show_in_dashboard", true}});
  auto saved = Send("PUT", "/api/admin/quota-config", json::serialize(added));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(json::serialize(Body(saved).at("newly_read_models")), R"(["claude-haiku-4.5"])");

  // Refresh the new model across the fleet: only its code is read.
  quotas_.Set("L-11111111", {42.0, 10.0, Status::Ok()});
  const int before = quotas_.get_calls();
  auto started = Send("POST", "/api/admin/quota/refresh-all", R"({"model_ids":["claude-haiku-4.5"]})");
  ASSERT_EQ(started.status, 202) << started.body;
  fleet_.WaitIdle();
  EXPECT_EQ(quotas_.get_calls() - before, 1);
  std::string job_id(Body(started).at("job_id").as_string());
  json::object job = Get("/api/jobs/" + job_id);
  EXPECT_EQ(json::serialize(job.at("model_ids")), R"(["claude-haiku-4.5"])");
  EXPECT_EQ(json::serialize(job.at("quota_codes")), R"(["L-11111111"])");
  EXPECT_EQ(job.at("created_by_email").as_string(), "admin@example.com");
  json::array items = Get("/api/jobs/" + job_id + "/items").at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object().at("account_name").as_string(), "Account 123456789012");

  // An id that is not an enabled model: 422 naming model_ids.
  auto unknown = Send("POST", "/api/admin/quota/refresh-all", R"({"model_ids":["nope"]})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(Body(unknown).at("error").as_object().at("field").as_string(), "model_ids");
}

TEST_F(AuditJobsApiTest, TheAuditLogFiltersByActorEmailAndNamesTargets) {
  json::object page = Get("/api/admin/audit-log?actor_email=ADMIN%40example.com&action=account.create");
  // The account of SetUp was created by env.Admin() (u_admin), not by the bootstrapped admin: none.
  EXPECT_EQ(page.at("items").as_array().size(), 0u);
  // A registration by the bootstrapped admin through the API, refused as a duplicate.
  auto dup = Send(
      "POST", "/api/accounts",
      R"({"account_name":"Dup","account_id":"123456789012","credentials":{"type":"access_key",)"
      R"("access_key_id":"AKIATEST123456789012","secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}})");
  EXPECT_EQ(dup.status, 409) << dup.body;
  page = Get("/api/admin/audit-log?actor_email=admin%40example.com&action=account.create");
  json::array items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const json::object& e = items[0].as_object();
  EXPECT_EQ(e.at("actor_id").as_string(), admin_id_);
  EXPECT_EQ(e.at("outcome").as_string(), "denied");
  EXPECT_EQ(e.at("target_name").as_string(), "Dup");
  // The account of SetUp: its creation entry names it; an entry without a name has null.
  json::object all = Get("/api/admin/audit-log?action=account.create&outcome=success");
  ASSERT_EQ(all.at("items").as_array().size(), 1u);
  EXPECT_EQ(all.at("items").as_array()[0].as_object().at("target_name").as_string(), "Account 123456789012");
  json::object logins = Get("/api/admin/audit-log?action=auth.login");
  ASSERT_FALSE(logins.at("items").as_array().empty());
  EXPECT_TRUE(logins.at("items").as_array()[0].as_object().at("target_name").is_null());
  // Nobody with that email: an empty page; not an email: 422.
  EXPECT_TRUE(Get("/api/admin/audit-log?actor_email=nobody%40example.com").at("items").as_array().empty());
  auto bad = Send("GET", "/api/admin/audit-log?actor_email=not-an-email");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Body(bad).at("error").as_object().at("field").as_string(), "actor_email");
}

}  // namespace
}  // namespace ap::api
