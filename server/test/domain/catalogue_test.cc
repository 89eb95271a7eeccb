#include "domain/catalogue.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

CatalogueQuota Q(std::string code, std::string family, std::string suffix, std::string scope, std::string metric,
                 bool one_m = false, bool confirmed = true) {
  CatalogueQuota q;
  q.code = std::move(code);
  q.model_family = std::move(family);
  q.version_suffix = std::move(suffix);
  q.scope = std::move(scope);
  q.metric = std::move(metric);
  q.long_context_1m = one_m;
  q.name_confirmed = confirmed;
  return q;
}

TEST(SuggestedModelId, FollowsTheOriginalNaming) {
  EXPECT_EQ(SuggestedModelId("Claude Sonnet 4.5", "V1"), "claude-sonnet-4.5-v1");
  EXPECT_EQ(SuggestedModelId("Claude Opus 4.5", ""), "claude-opus-4.5");
  EXPECT_EQ(*FamilyVersion("Claude 3.5 Sonnet"), 3.5);
  EXPECT_FALSE(FamilyVersion("Claude Instant").has_value());
}

TEST(BuildDefaultQuotaConfig, KeepsGlobalCrossRegionClaude45PlusWithConfirmedNames) {
  std::vector<CatalogueQuota> cat = {
      Q("L-27C57EE8", "Claude Sonnet 4.5", "V1", "global-cross-region", "tokens-per-minute"),
      Q("L-DB84CE56", "Claude Sonnet 4.5", "V1", "global-cross-region", "requests-per-minute"),
      Q("L-4B26E44A", "Claude Sonnet 4.5", "V1", "global-cross-region", "tokens-per-minute", true),
      Q("L-BC182137", "Claude Sonnet 4.5", "V1", "global-cross-region", "tokens-per-day"),
      Q("L-F4DDD3EB", "Claude Sonnet 4.5", "V1", "cross-region", "tokens-per-minute"),
      Q("L-97E41E39", "Claude Sonnet 4", "V1", "global-cross-region", "tokens-per-minute"),
      Q("L-3ABF6ACC", "Claude Opus 4.5", "", "global-cross-region", "tokens-per-minute"),
      Q("L-D06938E7", "Claude Fable 5", "", "global-cross-region", "tokens-per-minute", false, false),
  };
  QuotaConfig c = BuildDefaultQuotaConfig(cat, 1000);
  ASSERT_EQ(c.models.size(), 2u);
  EXPECT_EQ(c.models[0].model_id, "claude-opus-4.5");
  EXPECT_TRUE(c.models[0].enabled);
  EXPECT_FALSE(c.models[0].has_1m_context);
  const ModelSpec& s = c.models[1];
  EXPECT_EQ(s.model_id, "claude-sonnet-4.5-v1");
  EXPECT_EQ(s.quota_code_tpm, "L-27C57EE8");
  EXPECT_EQ(s.quota_code_rpm, "L-DB84CE56");
  EXPECT_EQ(s.quota_code_tpm_1m, "L-4B26E44A");
  EXPECT_FALSE(s.quota_code_rpm_1m.has_value());
  EXPECT_TRUE(s.has_1m_context);
  EXPECT_TRUE(s.show_in_dashboard);
  EXPECT_OK(ValidateQuotaConfig(c));
  EXPECT_EQ(c.updated_by, "system");
}

TEST(BuildDefaultQuotaConfig, TakesTheOutputTokenBurndownFromTheCatalogueElseTheDefault) {
  std::vector<CatalogueQuota> cat = {
      Q("L-27C57EE8", "Claude Sonnet 4.5", "V1", "global-cross-region", "tokens-per-minute"),
      Q("L-DB84CE56", "Claude Sonnet 4.5", "V1", "global-cross-region", "requests-per-minute"),
      Q("L-3ABF6ACC", "Claude Opus 4.5", "", "global-cross-region", "tokens-per-minute"),
  };
  cat[0].output_token_burndown = 3;  // the first entry of a model that states a rate wins
  cat[1].output_token_burndown = 7;
  QuotaConfig c = BuildDefaultQuotaConfig(cat, 1000);
  ASSERT_EQ(c.models.size(), 2u);
  EXPECT_EQ(c.models[0].model_id, "claude-opus-4.5");
  EXPECT_EQ(c.models[0].output_token_burndown, kDefaultOutputTokenBurndown);
  EXPECT_EQ(c.models[1].model_id, "claude-sonnet-4.5-v1");
  EXPECT_EQ(c.models[1].output_token_burndown, 3);
  EXPECT_OK(ValidateQuotaConfig(c));
}

}  // namespace
}  // namespace ap::domain

namespace ap::domain {
namespace {

TEST(CatalogueIndex, FindsACodeAndItsConfirmedNameOnly) {
  CatalogueQuota sonnet = Q("L-27C57EE8", "Claude Sonnet 4.5", "V1", "global-cross-region", "tokens-per-minute");
  sonnet.name = "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1";
  CatalogueQuota unconfirmed = Q("L-4C59C1F4", "Claude Opus 4.6", "V1", "global-cross-region", "tokens-per-minute",
                                 /*one_m=*/true, /*confirmed=*/false);
  unconfirmed.name = "probable name";
  CatalogueQuota twice = sonnet;
  twice.name = "a later duplicate";
  CatalogueIndex index({unconfirmed, sonnet, twice});
  ASSERT_NE(index.Find("L-27C57EE8"), nullptr);
  EXPECT_EQ(index.Find("L-27C57EE8")->scope, "global-cross-region");
  EXPECT_EQ(index.ConfirmedName("L-27C57EE8"), sonnet.name) << "the first of a code listed twice";
  EXPECT_EQ(index.ConfirmedName("L-4C59C1F4"), std::nullopt) << "unconfirmed names are not shown as AWS's";
  EXPECT_NE(index.Find("L-4C59C1F4"), nullptr);
  EXPECT_EQ(index.Find("L-00000000"), nullptr);
  EXPECT_EQ(index.ConfirmedName("L-00000000"), std::nullopt);
}

}  // namespace
}  // namespace ap::domain
