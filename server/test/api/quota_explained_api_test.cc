// Issue 16 §2 at the API: each value of a quota read names its AWS quota and scope (from the catalogue) and carries
// AWS's default beside an applied value (null when unknown, never 0); the quota config document names its codes.
#include <gtest/gtest.h>

#include <memory>

#include "api/api.h"
#include "common/thread_pool.h"
#include "fake_aws.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr const char* kSonnetTpmName =
    "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1";

class QuotaExplainedApiTest : public ::testing::Test {
 protected:
  QuotaExplainedApiTest()
      : creds_(*env.accounts, env.assumer, env.clock),
        pool_(std::make_unique<ThreadPool>(2)),
        refresher_(*env.accounts, *env.quota_config, *env.quota, creds_, quotas_, *env.audit, *env.store, env.clock,
                   *pool_, service::RefreshOptions{}),
        api_(WithRefresher(), ApiOptions{}) {}
  ~QuotaExplainedApiTest() override { pool_.reset(); }

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
      quotas_.Set(code, {1000.0, std::nullopt, Status::Ok()});  // applied values; defaults unknown
    quotas_.Set("L-27C57EE8", {4'000'000.0, 2'000'000.0, Status::Ok()});
    quotas_.Set("L-3ABF6ACC", {std::nullopt, 800'000.0, Status::Ok()});  // Opus TPM: no applied value
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
    r.request_id = "rid-quota-explained";
    return api_.HandleSync(r);
  }
  json::object Get(const std::string& path) {
    auto r = Send("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
  }
  static const json::object& Model(const json::object& read, std::string_view id) {
    for (const auto& m : read.at("models").as_array())
      if (m.at("model_id").as_string() == id) return m.as_object();
    static const json::object none;
    ADD_FAILURE() << "no model " << id;
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

TEST_F(QuotaExplainedApiTest, NeverReadValuesAreNamedWithNullDefaults) {
  json::object read = Get("/api/accounts/123456789012/quota");
  const json::object& tpm = Model(read, "claude-sonnet-4.5-v1").at("tpm").as_object();
  EXPECT_EQ(tpm.at("quota_name"), json::value(kSonnetTpmName));
  EXPECT_EQ(tpm.at("quota_scope"), json::value("global-cross-region"));
  EXPECT_TRUE(tpm.at("aws_default").is_null());
  EXPECT_TRUE(tpm.at("aws_default_read_at").is_null());
}

TEST_F(QuotaExplainedApiTest, AppliedValuesCarryAwsDefaultBesideThemNullWhenUnknown) {
  auto r = Send("POST", "/api/accounts/123456789012/quota/refresh");
  ASSERT_EQ(r.status, 200) << r.body;
  json::object read = Get("/api/accounts/123456789012/quota");
  const json::object& sonnet = Model(read, "claude-sonnet-4.5-v1");
  const json::object& tpm = sonnet.at("tpm").as_object();
  EXPECT_EQ(tpm.at("value").to_number<double>(), 4'000'000);
  EXPECT_EQ(tpm.at("source"), json::value("applied"));
  EXPECT_EQ(tpm.at("aws_default").to_number<double>(), 2'000'000);
  EXPECT_TRUE(tpm.at("aws_default_read_at").is_string());
  const json::object& rpm = sonnet.at("rpm").as_object();
  EXPECT_EQ(rpm.at("source"), json::value("applied"));
  EXPECT_TRUE(rpm.at("aws_default").is_null()) << "AWS gave no default: null, never 0";
  EXPECT_EQ(rpm.at("quota_name"),
            json::value("Global cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1"));
  const json::object& opus_tpm = Model(read, "claude-opus-4.5").at("tpm").as_object();
  EXPECT_EQ(opus_tpm.at("source"), json::value("aws_default"));
  EXPECT_EQ(opus_tpm.at("aws_default").to_number<double>(), 800'000) << "the default is the value itself";
}

TEST_F(QuotaExplainedApiTest, TheQuotaConfigNamesItsCodes) {
  json::object config = Get("/api/admin/quota-config");
  ASSERT_TRUE(config.contains("quota_names"));
  const json::object& names = config.at("quota_names").as_object();
  ASSERT_TRUE(names.contains("L-27C57EE8"));
  EXPECT_EQ(names.at("L-27C57EE8").at("name"), json::value(kSonnetTpmName));
  EXPECT_EQ(names.at("L-27C57EE8").at("scope"), json::value("global-cross-region"));

  // Sent back with the document (as the page does), the names are ignored; the answer carries them again.
  json::object put = config;
  put.erase("updated_at");
  put.erase("updated_by");
  auto r = Send("PUT", "/api/admin/quota-config", json::serialize(put));
  ASSERT_EQ(r.status, 200) << r.body;
  json::object saved = json::parse(r.body).as_object();
  EXPECT_EQ(saved.at("quota_names").at("L-27C57EE8").at("name"), json::value(kSonnetTpmName));
}

}  // namespace
}  // namespace ap::api
