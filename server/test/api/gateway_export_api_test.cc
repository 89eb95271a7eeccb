// The LiteLLM routing export on the wire (issue 14 §4): GET /api/exports/litellm and
// POST /api/admin/exports/litellm-with-secrets — access, 422 fields, the download headers.
#include <gtest/gtest.h>

#include "api/api.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr const char* kAccount = "123456789012";

class GatewayExportApiTest : public ::testing::Test {
 protected:
  GatewayExportApiTest() : api_(ServicesOf(*env.graph), ApiOptions{}) {}

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    admin_ = Login("admin@example.com", "admin-password");
    service::NewUser u;
    u.email = "user@example.com";
    u.password = "user-password-1";
    u.teams = {"team-a"};
    ASSERT_OK(env.auth->CreateUser(env.Admin(), u));
    user_ = Login("user@example.com", "user-password-1");
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccount, {"team-a"})));
    domain::QuotaSnapshot s;
    s.account_id = kAccount;
    s.region = "us-east-1";
    for (auto [code, v] : {std::pair{"L-3ABF6ACC", 1000.0}, std::pair{"L-58424D95", 10.0}}) {
      domain::QuotaValue q;
      q.quota_code = code;
      q.value = v;
      q.state = domain::QuotaState::kOk;
      s.values.push_back(q);
    }
    ASSERT_OK(env.quota->PutSnapshot(s));
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto login = env.auth->Login({}, email, password);
    EXPECT_OK(login);
    return login.ok() ? login->token : "";
  }
  http::Response Call(const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body = "") {
    http::Request r;
    r.method = method;
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.headers.push_back({"Authorization", "Bearer " + token});
    if (!body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.body = body;
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-export";
    return api_.HandleSync(r);
  }
  // The whole body of a streamed response, as the server would send it (no blocking pool here: pieces run inline).
  static std::string Drain(const http::Response& r) {
    EXPECT_TRUE(r.stream) << r.body;
    if (!r.stream) return r.body;
    std::string out;
    for (int i = 0; i < 10000; ++i) {
      std::string chunk;
      bool done = false;
      Status s = r.stream->next(&chunk, &done);
      EXPECT_OK(s);
      out += chunk;
      if (done || !s.ok()) return out;
    }
    ADD_FAILURE() << "the stream never ended";
    return out;
  }
  static std::string FieldOf(const http::Response& r) {
    return std::string(json::parse(r.body).at("error").at("field").as_string());
  }
  static std::string HeaderOf(const http::Response& r, const std::string& name) {
    for (const auto& h : r.headers)
      if (h.name == name) return h.value;
    return "";
  }

  testing::TestEnv env;
  Api api_;
  std::string admin_, user_;
};

TEST_F(GatewayExportApiTest, AnswersTheYamlAsAnAttachment) {
  auto r = Call("GET", "/api/exports/litellm?model_id=claude-opus-4.5&safety_factor=0.5", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/yaml; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Content-Disposition"), "attachment; filename=\"litellm-config.yaml\"");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  std::string yaml = Drain(r);
  EXPECT_NE(yaml.find("tpm: 500\n      rpm: 5\n"), std::string::npos) << yaml;
  r = Call("GET", "/api/exports/litellm?model_id=claude-opus-4.5&format=env", user_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  std::string env_file = Drain(r);
  EXPECT_NE(env_file.find("AP_123456789012_ACCESS_KEY_ID=\n"), std::string::npos) << env_file;
}

TEST_F(GatewayExportApiTest, RefusesBadParametersNamingTheField) {
  auto field = [&](const std::string& query) {
    auto r = Call("GET", "/api/exports/litellm?" + query, admin_);
    EXPECT_EQ(r.status, 422) << query << " " << r.body;
    return r.status == 422 ? FieldOf(r) : "";
  };
  EXPECT_EQ(field(""), "model_id");
  EXPECT_EQ(field("model_id=claude-nope"), "model_id");
  EXPECT_EQ(field("model_id=claude-opus-4.5&safety_factor=0"), "safety_factor");
  EXPECT_EQ(field("model_id=claude-opus-4.5&safety_factor=1.01"), "safety_factor");
  EXPECT_EQ(field("model_id=claude-opus-4.5&safety_factor=nan"), "safety_factor");
  EXPECT_EQ(field("model_id=claude-opus-4.5&safety_factor=x"), "safety_factor");
  EXPECT_EQ(field("model_id=claude-opus-4.5&use_headroom=maybe"), "use_headroom");
  EXPECT_EQ(field("model_id=claude-opus-4.5&format=xml"), "format");
  EXPECT_EQ(field("model_id=claude-opus-4.5&region=mars-1"), "region");
  EXPECT_EQ(field("model_id=claude-opus-4.5&model_name.claude-opus-4.5="), "model_name.claude-opus-4.5");
  auto r = Call("POST", "/api/admin/exports/litellm-with-secrets", admin_,
                R"({"model_ids":["claude-opus-4.5"],"safety_factor":2})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FieldOf(r), "safety_factor");
  r = Call("POST", "/api/admin/exports/litellm-with-secrets", admin_, R"({"model_ids":[]})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FieldOf(r), "model_id");
}

TEST_F(GatewayExportApiTest, SecretsAreForAdminsOnly) {
  auto r = Call("POST", "/api/admin/exports/litellm-with-secrets", user_, R"({"model_ids":["claude-opus-4.5"]})");
  EXPECT_EQ(r.status, 403);
  r = Call("GET", "/api/exports/litellm?model_id=claude-opus-4.5&team=team-b", user_);
  EXPECT_EQ(r.status, 403);
  r = Call("GET", "/api/exports/litellm?model_id=claude-opus-4.5", "");
  EXPECT_EQ(r.status, 401);
  r = Call("POST", "/api/admin/exports/litellm-with-secrets", admin_, R"({"model_ids":["claude-opus-4.5"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(Drain(r).find("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), std::string::npos);
  store::AuditFilter f;
  f.action = "export.litellm_secrets";
  auto page = env.audit->List(f);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);  // the user's denial and the admin's export
}

}  // namespace
}  // namespace ap::api
