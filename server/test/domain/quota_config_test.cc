#include "domain/quota_config.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

ModelSpec Sonnet() {
  ModelSpec m;
  m.model_id = "claude-sonnet-4.5-v1";
  m.display_name = "Claude Sonnet 4.5 V1";
  m.quota_code_tpm = "L-27C57EE8";
  m.quota_code_rpm = "L-DB84CE56";
  m.enabled = true;
  m.show_in_dashboard = true;
  m.has_1m_context = true;
  m.quota_code_tpm_1m = "L-4B26E44A";
  m.quota_code_rpm_1m = "L-C0D53EFB";
  return m;
}

QuotaConfig ConfigOf(std::vector<ModelSpec> models) {
  QuotaConfig c;
  c.models = std::move(models);
  return c;
}

TEST(QuotaFieldPrefix, DropsDotsAndTurnsDashesIntoUnderscores) {
  EXPECT_EQ(QuotaFieldPrefix("claude-sonnet-4.5-v1"), "claude_sonnet_45_v1");
  EXPECT_EQ(QuotaFieldPrefix("claude-opus-4.5"), "claude_opus_45");
  EXPECT_EQ(QuotaFieldPrefix("claude-opus-4.6-v1"), "claude_opus_46_v1");
  EXPECT_EQ(
      std::string(QuotaFieldPrefix("claude-sonnet-4.5-v1")) + std::string(DimensionFieldSuffix(QuotaDimension::kTpm1m)),
      "claude_sonnet_45_v1_1m_tpm");
  EXPECT_EQ(DimensionFieldSuffix(QuotaDimension::kRpm), "_rpm");
}

TEST(IsQuotaCode, AcceptsOnlyUpperHexCodes) {
  EXPECT_TRUE(IsQuotaCode("L-27C57EE8"));
  EXPECT_FALSE(IsQuotaCode("L-27c57ee8"));
  EXPECT_FALSE(IsQuotaCode("L-27C57EE"));
  EXPECT_FALSE(IsQuotaCode("X-27C57EE8"));
  EXPECT_FALSE(IsQuotaCode("L-27C57EG8"));
}

TEST(ValidateQuotaConfig, AcceptsTheWireExample) { EXPECT_OK(ValidateQuotaConfig(ConfigOf({Sonnet()}))); }

TEST(ValidateQuotaConfig, NamesTheBadField) {
  struct Case {
    std::function<void(QuotaConfig&)> mutate;
    std::string field;
  };
  std::vector<Case> cases = {
      {[](QuotaConfig& c) { c.config_id = "other"; }, "config_id"},
      {[](QuotaConfig& c) { c.models[0].model_id = "Claude"; }, "models[0].model_id"},
      {[](QuotaConfig& c) { c.models[0].model_id = "-claude"; }, "models[0].model_id"},
      {[](QuotaConfig& c) { c.models[0].model_id = ""; }, "models[0].model_id"},
      {[](QuotaConfig& c) { c.models[0].display_name = ""; }, "models[0].display_name"},
      {[](QuotaConfig& c) { c.models[0].quota_code_tpm = "L-1234"; }, "models[0].quota_code_tpm"},
      {[](QuotaConfig& c) { c.models[0].quota_code_rpm_1m = "l-27c57ee8"; }, "models[0].quota_code_rpm_1m"},
      {[](QuotaConfig& c) {
         c.models[0].quota_code_tpm_1m.reset();
         c.models[0].quota_code_rpm_1m.reset();
       },
       "models[0].has_1m_context"},
      {[](QuotaConfig& c) {
         c.models[0].has_1m_context = false;
         c.models[0].quota_code_tpm.reset();
         c.models[0].quota_code_rpm.reset();
       },
       "models[0].enabled"},
      {[](QuotaConfig& c) { c.models.push_back(c.models[0]); }, "models[1].model_id"},
      {[](QuotaConfig& c) { c.models[0].enabled = false; }, "models[0].show_in_dashboard"},  // shown, never read
      {[](QuotaConfig& c) { c.models[0].output_token_burndown = 0; }, "models[0].output_token_burndown"},
      {[](QuotaConfig& c) { c.models[0].output_token_burndown = 101; }, "models[0].output_token_burndown"},
      {[](QuotaConfig& c) { c.models[0].output_token_burndown = -5; }, "models[0].output_token_burndown"},
  };
  for (const Case& k : cases) {
    QuotaConfig c = ConfigOf({Sonnet()});
    k.mutate(c);
    Status s = ValidateQuotaConfig(c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << k.field;
    EXPECT_EQ(s.field(), k.field);
  }
}

TEST(ValidateQuotaConfig, OutputTokenBurndownDefaultsToFiveAndAcceptsOneToHundred) {
  EXPECT_EQ(ModelSpec{}.output_token_burndown, 5);
  for (int rate : {1, 5, 100}) {
    QuotaConfig c = ConfigOf({Sonnet()});
    c.models[0].output_token_burndown = rate;
    EXPECT_OK(ValidateQuotaConfig(c)) << rate;
  }
}

TEST(ValidateQuotaConfig, RejectsModelIdsWhoseFieldNamesCollide) {
  ModelSpec a = Sonnet(), b = Sonnet();
  a.model_id = "claude-opus-5.5";
  b.model_id = "claude-opus-55";
  Status s = ValidateQuotaConfig(ConfigOf({a, b}));
  EXPECT_EQ(s.field(), "models[1].model_id");
}

TEST(ValidateQuotaConfig, DisabledModelMayHaveNoCodes) {
  ModelSpec m;
  m.model_id = "claude-future-9";
  m.display_name = "Claude Future 9";
  EXPECT_OK(ValidateQuotaConfig(ConfigOf({m})));
}

TEST(CodeFor, HidesOneMillionCodesWithoutLongContext) {
  ModelSpec m = Sonnet();
  EXPECT_EQ(CodeFor(m, QuotaDimension::kTpm1m), "L-4B26E44A");
  m.has_1m_context = false;
  EXPECT_FALSE(CodeFor(m, QuotaDimension::kTpm1m).has_value());
  EXPECT_EQ(CodeFor(m, QuotaDimension::kRpm), "L-DB84CE56");
}

TEST(FindQuotaCode, NamesTheModelAndDimensionOfAConfiguredCode) {
  ModelSpec opus;
  opus.model_id = "claude-opus-4.5";
  opus.display_name = "Claude Opus 4.5";
  opus.quota_code_tpm = "L-3ABF6ACC";
  QuotaConfig config = ConfigOf({Sonnet(), opus});
  auto rpm = FindQuotaCode(config, "L-DB84CE56");
  ASSERT_TRUE(rpm.has_value());
  EXPECT_EQ(rpm->model, &config.models[0]);
  EXPECT_EQ(rpm->dimension, QuotaDimension::kRpm);
  auto tpm_1m = FindQuotaCode(config, "L-4B26E44A");
  ASSERT_TRUE(tpm_1m.has_value());
  EXPECT_EQ(tpm_1m->dimension, QuotaDimension::kTpm1m);
  auto other = FindQuotaCode(config, "L-3ABF6ACC");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->model->model_id, "claude-opus-4.5");
  EXPECT_FALSE(FindQuotaCode(config, "L-00000000").has_value());
}

TEST(FindQuotaCode, IgnoresOneMillionCodesWithoutLongContext) {
  ModelSpec m = Sonnet();
  m.has_1m_context = false;
  EXPECT_FALSE(FindQuotaCode(ConfigOf({m}), "L-4B26E44A").has_value());
}

TEST(FindQuotaCode, TheLastModelConfiguringACodeWins) {
  ModelSpec copy = Sonnet();
  copy.model_id = "claude-sonnet-copy";
  QuotaConfig config = ConfigOf({Sonnet(), copy});
  auto found = FindQuotaCode(config, "L-27C57EE8");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->model->model_id, "claude-sonnet-copy");
}

}  // namespace
}  // namespace ap::domain
