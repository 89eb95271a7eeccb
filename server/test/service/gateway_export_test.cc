#include "service/gateway_export.h"

#include <gtest/gtest.h>

#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

using domain::QuotaState;

constexpr char kSonnet[] = "claude-sonnet-4.5-v1";
constexpr char kOpus[] = "claude-opus-4.5";

class GatewayExportTest : public ::testing::Test {
 protected:
  void Create(const std::string& id, std::vector<std::string> teams, std::vector<std::string> regions = {"us-east-1"},
              const std::string& name = "") {
    auto req = env.AccessKeyAccount(id, std::move(teams));
    req.regions = std::move(regions);
    if (!name.empty()) req.account_name = name;
    ASSERT_OK(env.accounts->Create(env.Admin(), req));
  }
  void Put(const std::string& id, const std::string& region, std::vector<std::pair<std::string, double>> values) {
    domain::QuotaSnapshot s;
    s.account_id = id;
    s.region = region;
    for (auto& [code, v] : values) {
      domain::QuotaValue q;
      q.quota_code = code;
      q.value = v;
      q.state = QuotaState::kOk;
      q.read_at_ms = 1000;
      s.values.push_back(q);
    }
    std::sort(s.values.begin(), s.values.end(),
              [](const domain::QuotaValue& a, const domain::QuotaValue& b) { return a.quota_code < b.quota_code; });
    ASSERT_OK(env.quota->PutSnapshot(s));
  }
  void PutPeaks(const std::string& id, const std::string& region, int64_t tokens, int64_t requests) {
    store::UsageSnapshot s;
    s.account_id = id;
    s.region = region;
    s.polled_at_ms = s.attempted_at_ms = env.clock.NowUnixMillis();
    domain::ModelUsage u;
    u.output_token_burndown = 5;
    for (domain::UsageWindow w : domain::kAllUsageWindows) {
      domain::WindowUsage wu;
      wu.window = w;
      if (w == domain::UsageWindow::k24h) {
        wu.weighted_tokens.peak = tokens;
        wu.requests.peak = requests;
      }
      u.windows.push_back(wu);
    }
    s.models.push_back({kSonnet, u});
    ASSERT_OK(env.store->PutUsageSnapshot(s, 0));
  }
  Result<std::string> Export(const RequestContext& ctx, LitellmExportRequest r) {
    ASSIGN_OR_RETURN(LitellmExportPlan plan, exporter().Prepare(ctx, r));
    std::string out;
    RETURN_IF_ERROR(exporter().Write(ctx, plan, [&out](std::string_view c) {
      out.append(c);
      return Status::Ok();
    }));
    return out;
  }
  static LitellmExportRequest Req(std::vector<std::string> models) {
    LitellmExportRequest r;
    r.model_ids = std::move(models);
    return r;
  }
  GatewayExport& exporter() { return *env.graph->gateway_export; }

  testing::TestEnv env;
};

TEST_F(GatewayExportTest, OneDeploymentPerAccountRegionAndCachedModel) {
  Create("111111111111", {"ops"}, {"us-east-1", "us-west-2"}, "Alpha");
  Create("222222222222", {"other"}, {"us-east-1"}, "Beta");
  Put("111111111111", "us-east-1", {{"L-27C57EE8", 200000}, {"L-DB84CE56", 200}});
  Put("111111111111", "us-west-2", {{"L-27C57EE8", 100000}});  // RPM never read: left out
  Put("222222222222", "us-east-1", {{"L-27C57EE8", 50000}, {"L-DB84CE56", 50}, {"L-3ABF6ACC", 10000}});
  auto y = Export(env.Admin(), Req({kSonnet, kOpus}));
  ASSERT_OK(y);
  EXPECT_NE(y->find("model_list:\n"), std::string::npos);
  EXPECT_NE(y->find("id: \"ap-111111111111-us-east-1-claude-sonnet-4.5-v1\""), std::string::npos);
  EXPECT_NE(y->find("tpm: 180000\n      rpm: 180\n"), std::string::npos);
  EXPECT_NE(y->find("tpm: 45000\n      rpm: 45\n"), std::string::npos);
  EXPECT_EQ(y->find("ap-111111111111-us-west-2-claude-sonnet-4.5-v1\""), std::string::npos);
  EXPECT_NE(y->find("# left out: \"claude-sonnet-4.5-v1\" of account \"Alpha\" (111111111111), us-west-2"),
            std::string::npos);
  EXPECT_NE(y->find("model: \"bedrock/global.anthropic.claude-sonnet-4-5-20250929-v1:0\""), std::string::npos);
  EXPECT_EQ(y->find("tpm: 0"), std::string::npos);
  EXPECT_NE(y->find("# deployments: 2; left out:"), std::string::npos);
  EXPECT_NE(y->find("# end of export\n"), std::string::npos);
  EXPECT_EQ(y->find("wJalrXUtnFEMI"), std::string::npos);  // no secret in the plain export
}

TEST_F(GatewayExportTest, UsersSeeTheirTeamsOnlyAndNeverSecrets) {
  Create("111111111111", {"ops"});
  Create("222222222222", {"other"});
  Put("111111111111", "us-east-1", {{"L-27C57EE8", 1000}, {"L-DB84CE56", 10}});
  Put("222222222222", "us-east-1", {{"L-27C57EE8", 1000}, {"L-DB84CE56", 10}});
  auto y = Export(env.UserOf({"ops"}), Req({kSonnet}));
  ASSERT_OK(y);
  EXPECT_NE(y->find("111111111111"), std::string::npos);
  EXPECT_EQ(y->find("222222222222"), std::string::npos);
  LitellmExportRequest r = Req({kSonnet});
  r.team = "other";
  EXPECT_EQ(Export(env.UserOf({"ops"}), r).status().code(), StatusCode::kPermissionDenied);
  r = Req({kSonnet});
  r.with_secrets = true;
  EXPECT_EQ(Export(env.UserOf({"ops"}), r).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(GatewayExportTest, RefusesBadRequestsNamingTheField) {
  auto field = [&](LitellmExportRequest r) { return Export(env.Admin(), r).status().field(); };
  EXPECT_EQ(field(Req({})), "model_id");
  EXPECT_EQ(field(Req({"claude-nope"})), "model_id");
  LitellmExportRequest r = Req({kSonnet});
  r.safety_factor = 0;
  EXPECT_EQ(field(r), "safety_factor");
  r.safety_factor = 1.5;
  EXPECT_EQ(field(r), "safety_factor");
  r = Req({kSonnet});
  r.region = "mars-1";
  EXPECT_EQ(field(r), "region");
  r = Req({kSonnet});
  r.model_names[kOpus] = "x";
  EXPECT_EQ(field(r), "model_name.claude-opus-4.5");
  r = Req({kSonnet, kOpus});
  r.model_names[kOpus] = "claude-sonnet-4.5-v1";  // two groups of one name
  EXPECT_EQ(field(r), "model_name.claude-opus-4.5");
}

TEST_F(GatewayExportTest, HeadroomUsesTheTwentyFourHourPeak) {
  Create("111111111111", {});
  Put("111111111111", "us-east-1", {{"L-27C57EE8", 100000}, {"L-DB84CE56", 100}});
  PutPeaks("111111111111", "us-east-1", 40000, 20);
  LitellmExportRequest r = Req({kSonnet});
  r.use_headroom = true;
  r.safety_factor = 1;
  auto y = Export(env.Admin(), r);
  ASSERT_OK(y);
  EXPECT_NE(y->find("tpm: 60000\n      rpm: 80\n"), std::string::npos);
  r.use_headroom = false;
  y = Export(env.Admin(), r);
  ASSERT_OK(y);
  EXPECT_NE(y->find("tpm: 100000\n      rpm: 100\n"), std::string::npos);
}

TEST_F(GatewayExportTest, EnvTemplateListsTheKeyAccountsUsed) {
  Create("111111111111", {});
  Create("222222222222", {});
  Put("111111111111", "us-east-1", {{"L-27C57EE8", 1000}, {"L-DB84CE56", 10}});
  LitellmExportRequest r = Req({kSonnet});
  r.format = LitellmFormat::kEnv;
  auto e = Export(env.Admin(), r);
  ASSERT_OK(e);
  EXPECT_NE(e->find("AP_111111111111_ACCESS_KEY_ID=\nAP_111111111111_SECRET_ACCESS_KEY=\n"), std::string::npos);
  EXPECT_EQ(e->find("AP_222222222222"), std::string::npos);  // no deployment, no variables
  EXPECT_EQ(e->find("model_list"), std::string::npos);
}

TEST_F(GatewayExportTest, SecretsExportIsAuditedAndEmbedsTheKeys) {
  Create("111111111111", {});
  Put("111111111111", "us-east-1", {{"L-27C57EE8", 1000}, {"L-DB84CE56", 10}});
  LitellmExportRequest r = Req({kSonnet});
  r.with_secrets = true;
  auto y = Export(env.Admin(), r);
  ASSERT_OK(y);
  EXPECT_NE(y->find("# WARNING"), std::string::npos);
  EXPECT_NE(y->find("aws_secret_access_key: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\""), std::string::npos);
  EXPECT_EQ(y->find("os.environ"), std::string::npos);
  store::AuditFilter f;
  f.action = "export.litellm_secrets";
  auto page = env.audit->List(f);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].actor_id, "u_admin");
}

TEST_F(GatewayExportTest, NoDeploymentsIsAnEmptyList) {
  Create("111111111111", {});
  auto y = Export(env.Admin(), Req({kOpus}));
  ASSERT_OK(y);
  EXPECT_NE(y->find("model_list: []\n"), std::string::npos);
}

TEST_F(GatewayExportTest, PagesThroughManyAccounts) {
  for (int i = 0; i < 205; ++i) {
    std::string id = std::to_string(100000000000 + i);
    Create(id, {});
    Put(id, "us-east-1", {{"L-3ABF6ACC", 1000}, {"L-58424D95", 10}});
  }
  auto y = Export(env.Admin(), Req({kOpus}));
  ASSERT_OK(y);
  EXPECT_NE(y->find("# deployments: 205; left out: 0"), std::string::npos);
}

}  // namespace
}  // namespace ap::service
