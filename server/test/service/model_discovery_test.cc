#include "service/model_discovery.h"

#include <gtest/gtest.h>

#include "fake_aws.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

class DiscoveryTest : public ::testing::Test {
 protected:
  DiscoveryTest()
      : creds(*env.accounts, env.assumer, env.clock),
        discovery(*env.accounts, creds, quotas, *env.quota_config, env.clock, testing::TestCatalogue()) {}

  void SetUp() override {
    quotas.SetNames({
        {"L-27C57EE8", "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1"},
        {"L-DB84CE56", "Global cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1"},
        {"L-4B26E44A",
         "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1 1M Context Length"},
        {"L-00000001", "Global Cross-Region model inference tokens per minute for Anthropic Claude Opus 9"},
        {"L-00000002", "global cross-region model inference requests per minute for anthropic claude opus 9"},
        {"L-00000003", "Cross-region model inference tokens per minute for Anthropic Claude Opus 9"},
        {"L-00000004", "Global cross-region model inference tokens per day for Anthropic Claude Opus 9"},
        {"L-00000005", "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4 V1"},
        {"L-00000006", "On-demand model inference requests per minute for Meta Llama 3 70B"},
    });
    quotas.Set("L-00000001", {2000000.0, 1000000.0, Status::Ok()});
  }

  const DiscoveredModel* Find(const DiscoveryResult& r, std::string_view id) {
    for (const auto& m : r.models)
      if (m.model_id == id) return &m;
    return nullptr;
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  AccountCredentials creds;
  ModelDiscovery discovery;
};

TEST_F(DiscoveryTest, GroupsTheAccountsClaudeQuotasIntoModels) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  auto r = discovery.Discover(DiscoveryQuery{});
  ASSERT_OK(r);
  EXPECT_EQ(r->source, "aws");
  EXPECT_EQ(r->account_id, "123456789012");
  EXPECT_EQ(r->quotas_seen, 9);
  ASSERT_EQ(r->models.size(), 2u);  // Sonnet 4 is older than 4.5; the TPD, cross-region and Llama codes are not models
  const DiscoveredModel* opus = Find(*r, "claude-opus-9");
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->quota_code_tpm, "L-00000001");
  EXPECT_EQ(opus->quota_code_rpm, "L-00000002");
  EXPECT_FALSE(opus->in_config);
  const DiscoveredModel* sonnet = Find(*r, "claude-sonnet-4.5-v1");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_EQ(sonnet->quota_code_tpm_1m, "L-4B26E44A");
  EXPECT_TRUE(sonnet->in_config);
  // Cached: a second call does not list again, unless asked to.
  int calls = quotas.list_calls;
  ASSERT_OK(discovery.Discover(DiscoveryQuery{}));
  EXPECT_EQ(quotas.list_calls, calls);
  DiscoveryQuery again;
  again.refresh = true;
  ASSERT_OK(discovery.Discover(again));
  EXPECT_EQ(quotas.list_calls, calls + 1);
  DiscoveryQuery all;
  all.min_version = 0;
  all.scope = "any";
  auto everything = discovery.Discover(all);
  ASSERT_OK(everything);
  EXPECT_EQ(everything->models.size(), 4u);  // + Sonnet 4 and Opus 9 cross-region
}

TEST_F(DiscoveryTest, TheCatalogueAnswersWhenAwsCannot) {
  auto none = discovery.Discover(DiscoveryQuery{});  // no account at all
  ASSERT_OK(none);
  EXPECT_EQ(none->source, "catalogue");
  EXPECT_EQ(none->fallback_reason, "no active account to ask AWS with");
  EXPECT_EQ(none->models.size(), 2u);  // the test catalogue's two models
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  quotas.FailEverything(PermissionDenied("AccessDeniedException: not allowed to list"));
  auto denied = discovery.Discover(DiscoveryQuery{});
  ASSERT_OK(denied);
  EXPECT_EQ(denied->source, "catalogue");
  EXPECT_EQ(denied->fallback_reason, "AccessDeniedException: not allowed to list");
  DiscoveryQuery bad;
  bad.scope = "sideways";
  EXPECT_EQ(discovery.Discover(bad).status().field(), "scope");
}

// Each discovered model carries the catalogue's output_token_burndown for the first of its codes that states one
// (from AWS or from the catalogue alike); a model the catalogue says nothing about gets the default, 5.
TEST_F(DiscoveryTest, ModelsCarryTheCataloguesOutputTokenBurndown) {
  std::vector<domain::CatalogueQuota> catalogue = testing::TestCatalogue();
  for (domain::CatalogueQuota& c : catalogue)
    if (c.code == "L-DB84CE56") c.output_token_burndown = 1;  // Sonnet 4.5's RPM code: its TPM code says nothing
  ModelDiscovery with_rates(*env.accounts, creds, quotas, *env.quota_config, env.clock, catalogue);

  auto fallback = with_rates.Discover(DiscoveryQuery{});  // no account: the catalogue answers
  ASSERT_OK(fallback);
  ASSERT_EQ(fallback->source, "catalogue");
  const DiscoveredModel* sonnet = Find(*fallback, "claude-sonnet-4.5-v1");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_EQ(sonnet->output_token_burndown, 1);

  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  auto aws = with_rates.Discover(DiscoveryQuery{});
  ASSERT_OK(aws);
  ASSERT_EQ(aws->source, "aws");
  sonnet = Find(*aws, "claude-sonnet-4.5-v1");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_EQ(sonnet->output_token_burndown, 1);
  const DiscoveredModel* opus = Find(*aws, "claude-opus-9");  // not in the catalogue
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->output_token_burndown, domain::kDefaultOutputTokenBurndown);
}

}  // namespace
}  // namespace ap::service
