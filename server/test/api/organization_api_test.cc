// The organizations onboarding routes on the wire (issue 14 §3): admin only (403 for users), 422 naming the field,
// 503 without the service, and the JSON shapes of the listing and of the per-account outcomes (docs/openapi.yaml).
#include <gtest/gtest.h>

#include "api/api.h"
#include "fake_organizations.h"
#include "service/account_credentials.h"
#include "service/organization_onboarding.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr const char* kMgmt = "600000000000";
std::string Member(int i) { return std::to_string(600000000100LL + i); }

class OrganizationApiTest : public ::testing::Test {
 protected:
  OrganizationApiTest()
      : creds_(*env.accounts, env.assumer, env.clock),
        onboarding_(*env.store, *env.accounts, creds_, orgs_, *env.audit, env.clock),
        api_(WithOrganizations(), ApiOptions{}),
        without_(ServicesOf(*env.graph), ApiOptions{}) {}

  Services WithOrganizations() {
    Services s = ServicesOf(*env.graph);
    s.organizations = &onboarding_;
    return s;
  }

  void SetUp() override {
    env.sts.per_role_accounts = true;
    env.sts.required_external_id = "ext-org";
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    admin_ = Login("admin@example.com", "admin-password");
    service::NewUser u;
    u.email = "user@example.com";
    u.password = "user-password-1";
    ASSERT_OK(env.auth->CreateUser(env.Admin(), u));
    user_ = Login("user@example.com", "user-password-1");
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kMgmt)));
    orgs_.tree.units = {{"r-cd34", "Root", "", "Root"}, {"ou-cd34-33333333", "Prod", "r-cd34", "Root/Prod"}};
    for (int i = 0; i < 5; ++i) {
      aws::OrganizationAccount a;
      a.id = Member(i);
      a.name = "member-" + std::to_string(i);
      a.email = "m@example.com";
      a.status = "ACTIVE";
      a.joined_method = "INVITED";
      orgs_.accounts.push_back(a);
      orgs_.tree.account_parent[a.id] = i < 2 ? "ou-cd34-33333333" : "r-cd34";
    }
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto login = env.auth->Login({}, email, password);
    EXPECT_OK(login);
    return login.ok() ? login->token : "";
  }
  http::Response Call(Api& api, const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body = "") {
    http::Request r;
    r.method = method;
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.headers.push_back({"Authorization", "Bearer " + token});
    if (method != "GET") {
      r.headers.push_back({"Content-Type", "application/json"});
      r.headers.push_back({"X-Requested-With", "fetch"});
    }
    r.body = body;
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-org";
    return api.HandleSync(r);
  }
  http::Response Get(const std::string& path, const std::string& token) { return Call(api_, "GET", path, token); }
  http::Response Post(const std::string& path, const std::string& token, const std::string& body) {
    return Call(api_, "POST", path, token, body);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string FieldOf(const http::Response& r) {
    const json::value body = json::parse(r.body);  // kept alive: `f` refers into it
    const json::value& f = body.at("error").at("field");
    return f.is_string() ? std::string(f.as_string()) : "";
  }
  std::string List(const std::string& query = "") {
    return std::string("/api/admin/organizations/") + kMgmt + "/accounts" + query;
  }
  std::string Register() { return std::string("/api/admin/organizations/") + kMgmt + "/register"; }

  testing::TestEnv env;
  testing::FakeOrganizations orgs_;
  service::AccountCredentials creds_;
  service::OrganizationOnboarding onboarding_;
  Api api_;
  Api without_;
  std::string admin_, user_;
};

TEST_F(OrganizationApiTest, ListShowsOuStatusAndRegistrationWithNulls) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Member(0))));
  auto r = Get(List("?page_size=2"), admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body.at("management_account_id"), kMgmt);
  EXPECT_EQ(body.at("organization_accounts"), 5);
  EXPECT_EQ(body.at("page_size"), 2);
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("account_id"), json::value(Member(0)));
  EXPECT_EQ(items[0].at("ou_path"), "Root/Prod");
  EXPECT_EQ(items[0].at("ou_id"), "ou-cd34-33333333");
  EXPECT_EQ(items[0].at("registered"), true);
  EXPECT_EQ(items[0].at("platform_status"), "active");
  EXPECT_EQ(items[1].at("registered"), false);
  EXPECT_TRUE(items[1].at("platform_status").is_null());
  EXPECT_TRUE(items[1].at("joined_at").is_null());  // AWS sent none: null, never 0
  EXPECT_EQ(items[1].at("joined_method"), "INVITED");
  ASSERT_TRUE(body.at("next").is_string());

  auto unregistered = Get(List("?registered=false&page_size=200"), admin_);
  ASSERT_EQ(unregistered.status, 200) << unregistered.body;
  EXPECT_EQ(Body(unregistered).at("items").as_array().size(), 4u);
  EXPECT_TRUE(Body(unregistered).at("next").is_null());
}

TEST_F(OrganizationApiTest, RegisterAnswersOneOutcomePerAccount) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Member(1))));
  env.sts.denied_roles.insert("arn:aws:iam::" + Member(2) + ":role/OrganizationAccountAccessRole");
  auto r = Post(Register(), admin_,
                R"({"account_ids":[")" + Member(0) + R"(",")" + Member(1) + R"(",")" + Member(2) +
                    R"("],"external_id":"ext-org"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body.at("registered"), 1);
  EXPECT_EQ(body.at("already_registered"), 1);
  EXPECT_EQ(body.at("failed"), 1);
  const auto& results = body.at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].at("result"), "registered");
  EXPECT_EQ(results[0].at("account").at("account_id"), json::value(Member(0)));
  EXPECT_TRUE(results[0].at("error").is_null());
  EXPECT_EQ(results[1].at("result"), "already_registered");
  EXPECT_TRUE(results[1].at("account").is_null());
  EXPECT_EQ(results[2].at("result"), "failed");
  EXPECT_EQ(results[2].at("error").at("code"), "validation_failed");
  EXPECT_EQ(results[2].at("error").at("field"), "credentials");
}

TEST_F(OrganizationApiTest, UsersAreForbidden) {
  EXPECT_EQ(Get(List(), user_).status, 403);
  EXPECT_EQ(Post(Register(), user_, R"({"account_ids":[")" + Member(0) + R"("]})").status, 403);
  EXPECT_EQ(Get(List(), "").status, 401);
}

TEST_F(OrganizationApiTest, BadInputIs422NamingTheField) {
  auto field = [&](const http::Response& r) {
    EXPECT_EQ(r.status, 422) << r.body;
    return FieldOf(r);
  };
  EXPECT_EQ(field(Get(List("?registered=maybe"), admin_)), "registered");
  EXPECT_EQ(field(Get(List("?page_size=0"), admin_)), "page_size");
  EXPECT_EQ(field(Get(List("?cursor=zzz"), admin_)), "cursor");
  EXPECT_EQ(field(Post(Register(), admin_, R"({})")), "account_ids");
  EXPECT_EQ(field(Post(Register(), admin_, R"({"account_ids":[]})")), "account_ids");
  EXPECT_EQ(field(Post(Register(), admin_, R"({"account_ids":["x"]})")), "account_ids");
  EXPECT_EQ(field(Post(Register(), admin_, R"({"account_ids":[")" + Member(0) + R"("],"role_name":"a b"})")),
            "role_name");
  EXPECT_EQ(field(Post(Register(), admin_, R"({"account_ids":[")" + Member(0) + R"("],"external_id":5})")),
            "external_id");
  EXPECT_EQ(Post(Register(), admin_, "not json").status, 400);
  EXPECT_EQ(Get("/api/admin/organizations/599999999999/accounts", admin_).status, 404);
}

TEST_F(OrganizationApiTest, AwsRefusalIsAConflictAndNoServiceIs503) {
  orgs_.fail = PermissionDenied("AccessDeniedException: not the management account");
  auto r = Get(List(), admin_);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("AccessDeniedException"), std::string::npos);
  EXPECT_EQ(Call(without_, "GET", List(), admin_).status, 503);
}

}  // namespace
}  // namespace ap::api
