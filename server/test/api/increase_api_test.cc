// The quota increase routes (docs/openapi.yaml, tag increases): codes, fields, 403 for users without
// --users-may-request, and the bulk job through /api/jobs.
#include <gtest/gtest.h>

#include <memory>

#include "api/api.h"
#include "increase_fixture.h"
#include "service/increase_job_runner.h"
#include "status_matchers.h"

namespace ap::api {
namespace {

class IncreaseApiTest : public testing::IncreaseFixture {
 protected:
  void SetUp() override {
    IncreaseFixture::SetUp();
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    ASSERT_OK_AND_ASSIGN(auto admin, env.auth->Login({}, "admin@example.com", "admin-password"));
    admin_ = admin.token;
    service::NewUser u;
    u.email = "user@example.com";
    u.password = "user-password";
    u.teams = {"ops"};
    ASSERT_OK(env.auth->CreateUser(env.Admin(), u).status());
    ASSERT_OK_AND_ASSIGN(auto user, env.auth->Login({}, "user@example.com", "user-password"));
    user_ = user.token;
    service::IncreaseJobOptions jo;
    runner_ = std::make_unique<service::IncreaseJobRunner>(*svc, *env.store, *env.store, *env.audit, env.clock,
                                                           env.random, jo);
    Services s = ServicesOf(*env.graph);
    s.increases = svc.get();
    s.increase_jobs = runner_.get();
    api_ = std::make_unique<Api>(s, ApiOptions{});
  }
  void TearDown() override {
    api_.reset();
    runner_.reset();
  }
  http::Response Call(std::string method, std::string path, std::string body = {}, bool as_user = false) {
    http::Request r;
    r.method = std::move(method);
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.body = std::move(body);
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.headers.push_back({"Authorization", "Bearer " + (as_user ? user_ : admin_)});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-1";
    return api_->HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string Field(const http::Response& r) {
    const json::value* f = Body(r).at("error").as_object().if_contains("field");
    return f ? std::string(f->as_string()) : "";
  }
  std::string admin_, user_;
  std::unique_ptr<service::IncreaseJobRunner> runner_;
  std::unique_ptr<Api> api_;
};

constexpr const char* kSend = R"({"region":"us-east-1","model_id":"claude-sonnet-4.5-v1","dimension":"tpm",)"
                              R"("desired_value":2000,"reason":"launch"})";

TEST_F(IncreaseApiTest, PreviewAnswersWhatWouldBeSentPerTarget) {
  auto r = Call("POST", "/api/quota-increases/preview",
                R"({"targets":[{"account_id":"123456789012","region":"us-east-1"},)"
                R"({"account_id":"123456789012","region":"eu-west-1"}],)"
                R"("model_id":"claude-sonnet-4.5-v1","dimension":"tpm","desired_value":2000})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = Body(r).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("will_send"), true);
  EXPECT_TRUE(items[0].at("problem").is_null());
  EXPECT_EQ(items[0].at("current_value"), 1000);
  EXPECT_EQ(items[0].at("request").at("QuotaCode"), "L-27C57EE8");
  EXPECT_EQ(items[0].at("request").at("ServiceCode"), "bedrock");
  EXPECT_EQ(items[0].at("request").at("DesiredValue"), 2000);
  EXPECT_EQ(items[1].at("will_send"), false);
  EXPECT_EQ(items[1].at("problem").at("code"), "region_not_enabled");
  auto bad = Call("POST", "/api/quota-increases/preview",
                  R"({"targets":[{"account_id":"12","region":"us-east-1"}],"model_id":"claude-sonnet-4.5-v1",)"
                  R"("dimension":"tpm","desired_value":2000})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Field(bad), "targets[0].account_id");
  auto no_value = Call("POST", "/api/quota-increases/preview",
                       R"({"targets":[{"account_id":"123456789012","region":"us-east-1"}],)"
                       R"("model_id":"claude-sonnet-4.5-v1","dimension":"tpm"})");
  EXPECT_EQ(Field(no_value), "desired_value");
}

TEST_F(IncreaseApiTest, RequestIs201ThenConflictAndUsersAreForbiddenWithoutTheOption) {
  auto made = Call("POST", "/api/accounts/123456789012/quota-increases", kSend);
  ASSERT_EQ(made.status, 201) << made.body;
  auto req = Body(made);
  EXPECT_EQ(req.at("status"), "PENDING");
  EXPECT_EQ(req.at("open"), true);
  EXPECT_EQ(req.at("source"), "platform");
  EXPECT_EQ(req.at("value_at_request"), 1000);
  EXPECT_EQ(req.at("reason"), "launch");
  EXPECT_TRUE(req.at("case_id").is_null());
  EXPECT_EQ(req.at("quota_name"),
            "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1");
  const std::string id(req.at("request_id").as_string());
  std::string location;
  for (const auto& h : made.headers)
    if (h.name == "Location") location = h.value;
  EXPECT_EQ(location, "/api/quota-increases/" + id);

  auto again = Call("POST", "/api/accounts/123456789012/quota-increases", kSend);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Field(again), "quota_code");
  auto low = Call("POST", "/api/accounts/123456789012/quota-increases",
                  R"({"region":"us-east-1","model_id":"claude-sonnet-4.5-v1","dimension":"rpm","desired_value":5})");
  EXPECT_EQ(low.status, 422);
  EXPECT_EQ(Field(low), "desired_value");  // current unknown
  auto model = Call("POST", "/api/accounts/123456789012/quota-increases",
                    R"({"region":"us-east-1","model_id":"nope","dimension":"tpm","desired_value":5})");
  EXPECT_EQ(Field(model), "model_id");
  EXPECT_EQ(Call("POST", "/api/accounts/123456789012/quota-increases", kSend, true).status, 403);
  EXPECT_EQ(Call("POST", "/api/quota-increases/" + id + "/check", "", true).status, 403);

  quotas.request_error = Unauthenticated("InvalidClientTokenId: bad key");
  SetCached("us-east-1", kSonnetRpm, 100);
  auto upstream =
      Call("POST", "/api/accounts/123456789012/quota-increases",
           R"({"region":"us-east-1","model_id":"claude-sonnet-4.5-v1","dimension":"rpm","desired_value":200})");
  EXPECT_EQ(upstream.status, 502) << upstream.body;
  EXPECT_EQ(Body(upstream).at("error").at("code"), "aws_error");
}

TEST_F(IncreaseApiTest, ListGetCheckAndSync) {
  auto made = Call("POST", "/api/accounts/123456789012/quota-increases", kSend);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id(Body(made).at("request_id").as_string());
  auto list = Call("GET", "/api/quota-increases?open=true");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list).at("items").as_array().size(), 1u);
  EXPECT_TRUE(Body(list).at("next").is_null());
  EXPECT_EQ(Field(Call("GET", "/api/quota-increases", "", true)), "account_id");
  auto mine = Call("GET", "/api/accounts/123456789012/quota-increases", "", true);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(Body(mine).at("may_request"), false);
  EXPECT_EQ(Body(Call("GET", "/api/accounts/123456789012/quota-increases")).at("may_request"), true);
  EXPECT_EQ(Field(Call("GET", "/api/quota-increases?status=LOST")), "status");
  EXPECT_EQ(Field(Call("GET", "/api/quota-increases?open=maybe")), "open");
  EXPECT_EQ(Call("GET", "/api/quota-increases/" + id, "", true).status, 200);
  EXPECT_EQ(Call("GET", "/api/quota-increases/qr_nope").status, 404);

  quotas.SetChangeStatus("req-1", "CASE_OPENED", "case-9");
  auto checked = Call("POST", "/api/quota-increases/" + id + "/check");
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_EQ(Body(checked).at("status"), "CASE_OPENED");
  EXPECT_EQ(Body(checked).at("case_id"), "case-9");

  quotas.AddExternalChange("us-east-1", kSonnetRpm, 900, "PENDING");
  auto synced = Call("POST", "/api/accounts/123456789012/quota-increases/sync");
  ASSERT_EQ(synced.status, 200) << synced.body;
  EXPECT_EQ(Body(synced).at("found"), 1);
  EXPECT_EQ(Body(synced).at("failed").as_array().size(), 0u);
  auto external = Call("GET", "/api/quota-increases?account_id=123456789012&limit=1");
  ASSERT_EQ(external.status, 200);
  EXPECT_EQ(Body(external).at("items").as_array()[0].at("source"), "external");
  EXPECT_FALSE(Body(external).at("next").is_null());
}

TEST_F(IncreaseApiTest, BulkStartsAJobOfKindQuotaIncrease) {
  auto started = Call("POST", "/api/quota-increases/bulk",
                      R"({"targets":[{"account_id":"123456789012","region":"us-east-1"}],)"
                      R"("model_id":"claude-sonnet-4.5-v1","dimension":"tpm","desired_value":2000})");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(Body(started).at("total"), 1);
  runner_->WaitIdle();
  const std::string job_id(Body(started).at("job_id").as_string());
  ASSERT_OK_AND_ASSIGN(auto items, env.store->ListJobItems(job_id, {}));
  ASSERT_EQ(items.items.size(), 1u);
  EXPECT_EQ(items.items[0].outcome, domain::JobItemOutcome::kOk);
  EXPECT_NE(items.items[0].ref, "");
  EXPECT_EQ(Call("POST", "/api/quota-increases/bulk", R"({"targets":[]})", true).status, 403);
}

}  // namespace
}  // namespace ap::api
