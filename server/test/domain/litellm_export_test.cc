#include "domain/litellm_export.h"

#include <gtest/gtest.h>

#include "domain/catalogue.h"
#include "status_matchers.h"

namespace ap::domain {
namespace {

ModelSpec Sonnet() {
  ModelSpec m;
  m.model_id = "claude-sonnet-4.5-v1";
  m.display_name = "Claude Sonnet 4.5 V1";
  m.quota_code_tpm = "L-27C57EE8";
  m.quota_code_rpm = "L-DB84CE56";
  m.has_1m_context = true;
  m.quota_code_tpm_1m = "L-4B26E44A";
  m.quota_code_rpm_1m = "L-C0D53EFB";
  m.enabled = true;
  return m;
}

QuotaValue V(std::string code, std::optional<double> v, QuotaState s = QuotaState::kOk, bool is_default = false) {
  QuotaValue q;
  q.quota_code = std::move(code);
  q.value = v;
  q.state = s;
  q.is_default = is_default;
  return q;
}

QuotaSnapshot Snap(std::vector<QuotaValue> values) {
  QuotaSnapshot s;
  s.account_id = "123456789012";
  s.region = "us-east-1";
  s.values = std::move(values);
  std::sort(s.values.begin(), s.values.end(),
            [](const QuotaValue& a, const QuotaValue& b) { return a.quota_code < b.quota_code; });
  return s;
}

TEST(YamlQuote, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(YamlQuote("plain"), "\"plain\"");
  EXPECT_EQ(YamlQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(YamlQuote("line\nbreak\ttab"), "\"line\\u000Abreak\\u0009tab\"");
  EXPECT_EQ(YamlQuote("x: [y] # z & *w !t"), "\"x: [y] # z & *w !t\"");  // indicators are harmless inside quotes
  EXPECT_EQ(YamlQuote("\xC2\x85"), "\"\\u0085\"");                       // NEL (C1)
  EXPECT_EQ(YamlQuote("\xE2\x80\xA8"), "\"\\u2028\"");
  EXPECT_EQ(YamlQuote("\xEF\xBB\xBF"), "\"\\uFEFF\"");
  EXPECT_EQ(YamlQuote("Zürich 東京"), "\"Zürich 東京\"");  // printable non-ASCII stays as is
  EXPECT_EQ(YamlQuote("\xFF"), "\"\xEF\xBF\xBD\"");        // ill-formed byte -> U+FFFD
}

TEST(ValidateGroupName, RefusesEmptyLongAndControlCharacters) {
  EXPECT_OK(ValidateGroupName("sonnet-prod", "model_name.x"));
  EXPECT_EQ(ValidateGroupName("", "model_name.x").field(), "model_name.x");
  EXPECT_FALSE(ValidateGroupName(std::string(129, 'a'), "f").ok());
  EXPECT_FALSE(ValidateGroupName("a\nb", "f").ok());
  EXPECT_FALSE(ValidateGroupName("\xFF", "f").ok());
}

TEST(BedrockFoundationId, FollowsTheModelsCodesIntoTheCatalogue) {
  CatalogueQuota q;
  q.code = "L-DB84CE56";
  q.bedrock_model_id = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  EXPECT_EQ(BedrockFoundationId(Sonnet(), {q}), "anthropic.claude-sonnet-4-5-20250929-v1:0");
  ModelSpec other = Sonnet();
  other.quota_code_tpm = other.quota_code_rpm = other.quota_code_tpm_1m = other.quota_code_rpm_1m = "L-00000000";
  EXPECT_FALSE(BedrockFoundationId(other, {q}).has_value());
}

TEST(GroupsOf, AddsAOneMillionGroupForLongContextModels) {
  auto groups = GroupsOf(Sonnet(), "anthropic.claude-sonnet-4-5-20250929-v1:0", "");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].group_name, "claude-sonnet-4.5-v1");
  EXPECT_EQ(groups[0].litellm_model, "bedrock/global.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_FALSE(groups[0].long_context);
  EXPECT_EQ(groups[1].group_name, "claude-sonnet-4.5-v1-1m");
  EXPECT_TRUE(groups[1].long_context);
  EXPECT_EQ(GroupsOf(Sonnet(), "x", "sonnet")[1].group_name, "sonnet-1m");
  EXPECT_EQ(DeploymentId("123456789012", "us-east-1", groups[1]), "ap-123456789012-us-east-1-claude-sonnet-4.5-v1-1m");
}

TEST(ComputeLimits, ScalesTheCachedValuesAndFloors) {
  auto g = GroupsOf(Sonnet(), "x", "")[0];
  QuotaSnapshot s = Snap({V("L-27C57EE8", 200001), V("L-DB84CE56", 201, QuotaState::kStale, true)});
  DeploymentLimits l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 0.9);
  EXPECT_EQ(l.left_out_reason, "");
  EXPECT_EQ(l.tpm.limit, 180000);  // floor(180000.9)
  EXPECT_EQ(l.rpm.limit, 180);     // floor(180.9): stale values are the last good ones
  EXPECT_NE(l.rpm.note.find("default"), std::string::npos);
  EXPECT_NE(l.rpm.note.find("stale"), std::string::npos);
  l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 1.0);
  EXPECT_EQ(l.tpm.limit, 200001);
}

TEST(ComputeLimits, UsesHeadroomOnlyWhenAskedAndKnown) {
  auto groups = GroupsOf(Sonnet(), "x", "");
  QuotaSnapshot s = Snap({V("L-27C57EE8", 100000), V("L-DB84CE56", 100), V("L-4B26E44A", 50000), V("L-C0D53EFB", 10)});
  DeploymentLimits l = ComputeLimits(groups[0], &s, true, 40000, 30, 0.5);
  EXPECT_EQ(l.tpm.limit, 30000);  // (100000 - 40000) * 0.5
  EXPECT_EQ(l.rpm.limit, 35);     // (100 - 30) * 0.5
  l = ComputeLimits(groups[0], &s, true, std::nullopt, std::nullopt, 0.5);
  EXPECT_EQ(l.tpm.limit, 50000);  // no usage data: the quota
  l = ComputeLimits(groups[0], &s, false, 40000, 30, 0.5);
  EXPECT_EQ(l.tpm.limit, 50000);  // not asked
  l = ComputeLimits(groups[1], &s, true, 40000, 30, 1.0);
  EXPECT_EQ(l.tpm.limit, 50000);  // 1M group: never headroom
  EXPECT_EQ(l.rpm.limit, 10);
}

TEST(ComputeLimits, LeavesOutNeverReadAndExhaustedValuesNeverZero) {
  auto g = GroupsOf(Sonnet(), "x", "")[0];
  QuotaSnapshot s = Snap({V("L-27C57EE8", 100000), V("L-DB84CE56", std::nullopt, QuotaState::kNever)});
  DeploymentLimits l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 0.9);
  EXPECT_NE(l.left_out_reason.find("rpm"), std::string::npos);
  EXPECT_NE(l.left_out_reason.find("never read"), std::string::npos);
  l = ComputeLimits(g, nullptr, false, std::nullopt, std::nullopt, 0.9);
  EXPECT_NE(l.left_out_reason.find("tpm"), std::string::npos);
  s = Snap({V("L-27C57EE8", 100000), V("L-DB84CE56", 100)});
  l = ComputeLimits(g, &s, true, 100000, 10, 0.9);  // peak at the quota: nothing left
  EXPECT_NE(l.left_out_reason.find("no capacity left"), std::string::npos);
  s = Snap({V("L-27C57EE8", 1), V("L-DB84CE56", 1)});
  l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 0.9);  // floor(0.9) = 0: left out, not 0
  EXPECT_FALSE(l.left_out_reason.empty());
  EXPECT_FALSE(l.tpm.limit.has_value());
}

TEST(ComputeLimits, WritesOnlyConfiguredDimensionsAndCapsHugeValues) {
  ModelSpec m = Sonnet();
  m.quota_code_rpm.reset();
  m.has_1m_context = false;
  auto g = GroupsOf(m, "x", "")[0];
  QuotaSnapshot s = Snap({V("L-27C57EE8", 1e300)});
  DeploymentLimits l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 1.0);
  EXPECT_EQ(l.left_out_reason, "");
  EXPECT_FALSE(l.rpm.configured);
  EXPECT_EQ(l.tpm.limit, int64_t{1} << 53);
}

TEST(RenderDeployment, ReferencesKeysAndEmbedsThemOnlyWithSecrets) {
  Account a;
  a.account_id = "123456789012";
  a.account_name = "Prod \"EU\"\n- model_name: evil";
  a.credential_type = CredentialType::kAccessKey;
  auto g = GroupsOf(Sonnet(), "anthropic.claude-sonnet-4-5-20250929-v1:0", "")[0];
  QuotaSnapshot s = Snap({V("L-27C57EE8", 1000), V("L-DB84CE56", 10)});
  DeploymentLimits l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 0.9);
  std::string y = RenderDeployment(g, {&a, nullptr}, "us-east-1", l);
  EXPECT_NE(y.find("  - model_name: \"claude-sonnet-4.5-v1\"\n"), std::string::npos);
  EXPECT_NE(y.find("aws_access_key_id: \"os.environ/AP_123456789012_ACCESS_KEY_ID\""), std::string::npos);
  EXPECT_NE(y.find("aws_secret_access_key: \"os.environ/AP_123456789012_SECRET_ACCESS_KEY\""), std::string::npos);
  EXPECT_NE(y.find("      tpm: 900\n      rpm: 9\n"), std::string::npos);
  EXPECT_EQ(y.find("\n- model_name: evil"), std::string::npos);  // the name stays inside its quotes
  Credentials c;
  c.access_key_id = "AKIAEXAMPLEEXAMPLE";
  c.secret_access_key = "secret/with+chars";
  y = RenderDeployment(g, {&a, &c}, "us-east-1", l);
  EXPECT_NE(y.find("aws_secret_access_key: \"secret/with+chars\""), std::string::npos);
  EXPECT_EQ(RenderEnvLines(a, nullptr).find("AP_123456789012_ACCESS_KEY_ID=\n"),
            RenderEnvLines(a, nullptr).find("AP_"));
  EXPECT_NE(RenderEnvLines(a, &c).find("AP_123456789012_SECRET_ACCESS_KEY=secret/with+chars\n"), std::string::npos);
}

TEST(RenderDeployment, AssumeRoleAccountsUseTheRole) {
  Account a;
  a.account_id = "210987654321";
  a.account_name = "Role";
  a.credential_type = CredentialType::kAssumeRole;
  a.role_arn = "arn:aws:iam::210987654321:role/reader";
  auto g = GroupsOf(Sonnet(), "x", "")[0];
  QuotaSnapshot s = Snap({V("L-27C57EE8", 1000), V("L-DB84CE56", 10)});
  DeploymentLimits l = ComputeLimits(g, &s, false, std::nullopt, std::nullopt, 0.9);
  std::string y = RenderDeployment(g, {&a, nullptr}, "eu-west-1", l);
  EXPECT_NE(y.find("aws_role_name: \"arn:aws:iam::210987654321:role/reader\""), std::string::npos);
  EXPECT_NE(y.find("aws_session_name: \"ap-210987654321\""), std::string::npos);
  EXPECT_EQ(y.find("aws_external_id"), std::string::npos);
  EXPECT_EQ(y.find("os.environ"), std::string::npos);
  EXPECT_EQ(RenderEnvLines(a, nullptr), "");
  Credentials c;
  c.type = CredentialType::kAssumeRole;
  c.role_arn = a.role_arn;
  c.external_id = "ext-123";
  y = RenderDeployment(g, {&a, &c}, "eu-west-1", l);
  EXPECT_NE(y.find("aws_external_id: \"ext-123\""), std::string::npos);
}

}  // namespace
}  // namespace ap::domain
