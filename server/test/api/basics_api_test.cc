// Issue 16 §4 and §6 at the API: the onboarding data for an assume-role account (the platform's principal, the
// member role's documents with it filled in), a forced password reset (403 password_change_required until the
// session sets a new password), one's own password change, and 204 for an account without contact information.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "api/api.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

class BasicsApiTest : public ::testing::Test {
 protected:
  BasicsApiTest() : api_(ServicesOf(*env.graph), Options()) {}

  static ApiOptions Options() {
    ApiOptions o;
    // A stand-in for app/iam_policy.h: the route's job is to pass the principal in and split the parts out.
    o.member_role_policies = [](const std::map<std::string, std::string>& values) -> json::value {
      auto it = values.find("PlatformRoleArn");
      std::string principal = it == values.end() ? "${PlatformRoleArn}" : it->second;
      return json::object{{"trust_policy", json::object{{"Principal", principal}, {"ExternalId", "${ExternalId}"}}},
                          {"read_policy", json::object{{"Action", "servicequotas:GetServiceQuota"}}},
                          {"increase_requests_policy", json::object{}}};
    };
    return o;
  }

  void SetUp() override {
    auto admin = env.auth->BootstrapAdmin("admin@example.com", "admin-password");
    ASSERT_OK(admin);
    admin_id_ = (*admin)->user.user_id;
    admin_token_ = Login("admin@example.com", "admin-password");
  }

  std::string Login(const std::string& email, const std::string& password) {
    auto login = env.auth->Login({}, email, password);
    EXPECT_OK(login);
    return login.ok() ? login->token : "";
  }

  http::Response Send(const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body = "") {
    http::Request r;
    r.method = method;
    r.path = path;
    r.target = path;
    if (!token.empty()) r.headers.push_back({"Authorization", "Bearer " + token});
    if (!body.empty()) {
      r.headers.push_back({"Content-Type", "application/json"});
      r.body = body;
    }
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-basics";
    return api_.HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string Code(const http::Response& r) {
    return std::string(Body(r).at("error").as_object().at("code").as_string());
  }

  testing::TestEnv env;
  Api api_;
  std::string admin_id_, admin_token_;
};

TEST_F(BasicsApiTest, OnboardingNamesThePlatformPrincipalInTheTrustPolicy) {
  http::Response r = Send("GET", "/api/admin/onboarding/assume-role", admin_token_);
  ASSERT_EQ(r.status, 200) << r.body;
  json::object b = Body(r);
  const json::object& principal = b.at("platform_principal").as_object();
  EXPECT_EQ(principal.at("account").as_string(), "123456789012");  // FakeSts: the platform's own key's account
  const std::string arn(principal.at("principal_arn").as_string());
  EXPECT_EQ(b.at("trust_policy").as_object().at("Principal").as_string(), arn);
  EXPECT_EQ(b.at("trust_policy").as_object().at("ExternalId").as_string(), "${ExternalId}");
  EXPECT_EQ(b.at("permissions_policy").as_object().at("Action").as_string(), "servicequotas:GetServiceQuota");
  EXPECT_TRUE(b.at("principal_error").is_null());
  EXPECT_EQ(b.at("role_name").as_string(), "AccountPlatformQuotaReader");
}

TEST_F(BasicsApiTest, OnboardingSaysWhyThePrincipalIsUnknown) {
  env.sts.reject = PermissionDenied("AccessDenied: not allowed to call GetCallerIdentity");
  http::Response r = Send("GET", "/api/admin/onboarding/assume-role", admin_token_);
  ASSERT_EQ(r.status, 200) << r.body;
  json::object b = Body(r);
  EXPECT_TRUE(b.at("platform_principal").is_null());
  EXPECT_EQ(b.at("principal_error").as_object().at("code").as_string(), "AccessDenied");
  EXPECT_EQ(b.at("trust_policy").as_object().at("Principal").as_string(), "${PlatformRoleArn}");
}

TEST_F(BasicsApiTest, ForcedResetAllowsOnlyThePasswordChangeUntilItIsDone) {
  service::NewUser nu;
  nu.email = "user@example.com";
  nu.password = "user-password";
  auto created = env.auth->CreateUser(env.Admin(), nu);
  ASSERT_OK(created);
  const std::string id = created->user.user_id;
  http::Response forced = Send("PATCH", "/api/admin/users/" + id, admin_token_, R"({"must_change_password":true})");
  ASSERT_EQ(forced.status, 200) << forced.body;
  EXPECT_TRUE(Body(forced).at("must_change_password").as_bool());

  std::string token = Login("user@example.com", "user-password");
  http::Response denied = Send("GET", "/api/accounts", token);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(Code(denied), "password_change_required");
  EXPECT_EQ(Send("GET", "/api/auth/session", token).status, 200);
  http::Response wrong = Send("POST", "/api/auth/password", token,
                              R"({"current_password":"nope-nope","new_password":"brand-new-password"})");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(Body(wrong).at("error").as_object().at("field").as_string(), "current_password");
  http::Response changed = Send("POST", "/api/auth/password", token,
                                R"({"current_password":"user-password","new_password":"brand-new-password"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(Body(changed).at("must_change_password").as_bool());
  EXPECT_EQ(Send("GET", "/api/accounts", token).status, 200);
}

TEST_F(BasicsApiTest, NoContactInformationIs204AndAMissingAccount404) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  http::Response none = Send("GET", "/api/accounts/123456789012/billing", admin_token_);
  EXPECT_EQ(none.status, 204);
  EXPECT_TRUE(none.body.empty());
  EXPECT_EQ(Send("GET", "/api/accounts/999999999999/billing", admin_token_).status, 404);
}

}  // namespace
}  // namespace ap::api
