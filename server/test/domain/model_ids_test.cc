#include "domain/model_ids.h"

#include <gtest/gtest.h>

#include <set>

#include "builtin_catalogue_json.h"
#include "domain/catalogue.h"

namespace ap::domain {
namespace {

struct ParseCase {
  std::string raw;
  ModelIdScope scope;
  std::string geo, provider, family, version, date, revision, variant;
  bool version_first = false;
};

// Real ids, as Bedrock names them (foundation models, system inference profiles, ARNs).
TEST(ParseModelId, TakesRealIdsApart) {
  const ParseCase cases[] = {
      {"anthropic.claude-sonnet-4-5-20250929-v1:0", ModelIdScope::kInRegion, "", "anthropic", "sonnet", "4.5",
       "20250929", "v1", "0"},
      {"global.anthropic.claude-sonnet-4-5-20250929-v1:0", ModelIdScope::kGlobal, "", "anthropic", "sonnet", "4.5",
       "20250929", "v1", "0"},
      {"us.anthropic.claude-sonnet-4-5-20250929-v1:0", ModelIdScope::kGeo, "us", "anthropic", "sonnet", "4.5",
       "20250929", "v1", "0"},
      {"eu.anthropic.claude-opus-4-5-20251101-v1:0", ModelIdScope::kGeo, "eu", "anthropic", "opus", "4.5", "20251101",
       "v1", "0"},
      {"apac.anthropic.claude-3-5-sonnet-20241022-v2:0", ModelIdScope::kGeo, "apac", "anthropic", "sonnet", "3.5",
       "20241022", "v2", "0", true},
      {"jp.anthropic.claude-haiku-4-5-20251001-v1:0", ModelIdScope::kGeo, "jp", "anthropic", "haiku", "4.5", "20251001",
       "v1", "0"},
      {"au.anthropic.claude-sonnet-4-6", ModelIdScope::kGeo, "au", "anthropic", "sonnet", "4.6", "", "", ""},
      {"us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0", ModelIdScope::kGeo, "us-gov", "anthropic", "sonnet", "3.5",
       "20240620", "v1", "0", true},
      {"global.anthropic.claude-opus-4-6-v1", ModelIdScope::kGlobal, "", "anthropic", "opus", "4.6", "", "v1", ""},
      {"anthropic.claude-opus-5-5", ModelIdScope::kInRegion, "", "anthropic", "opus", "5.5", "", "", ""},
      {"anthropic.claude-sonnet-4-20250514-v1:0", ModelIdScope::kInRegion, "", "anthropic", "sonnet", "4", "20250514",
       "v1", "0"},
      {"anthropic.claude-3-7-sonnet-20250219-v1:0", ModelIdScope::kInRegion, "", "anthropic", "sonnet", "3.7",
       "20250219", "v1", "0", true},
      {"anthropic.claude-3-haiku-20240307-v1:0:200k", ModelIdScope::kInRegion, "", "anthropic", "haiku", "3",
       "20240307", "v1", "0:200k", true},
      {"anthropic.claude-instant-v1", ModelIdScope::kInRegion, "", "anthropic", "instant", "", "", "v1", ""},
      {"anthropic.claude-v2:1", ModelIdScope::kInRegion, "", "anthropic", "", "", "", "v2", "1"},
      {"amazon.nova-pro-v1:0", ModelIdScope::kInRegion, "", "amazon", "nova-pro", "", "", "v1", "0"},
      {"us.amazon.nova-2-lite-v1:0", ModelIdScope::kGeo, "us", "amazon", "nova-lite", "2", "", "v1", "0"},
  };
  for (const ParseCase& c : cases) {
    ParsedModelId p = ParseModelId(c.raw);
    SCOPED_TRACE(c.raw);
    EXPECT_EQ(p.raw, c.raw);
    EXPECT_EQ(p.scope, c.scope);
    EXPECT_EQ(p.geo, c.geo);
    EXPECT_EQ(p.provider, c.provider);
    EXPECT_EQ(p.family, c.family);
    EXPECT_EQ(p.version, c.version);
    EXPECT_EQ(p.date, c.date);
    EXPECT_EQ(p.revision, c.revision);
    EXPECT_EQ(p.variant, c.variant);
    EXPECT_EQ(p.version_first, c.version_first);
  }
}

TEST(ParseModelId, KeepsTheFoundationIdInsideProfilesAndArns) {
  EXPECT_EQ(ParseModelId("global.anthropic.claude-sonnet-4-5-20250929-v1:0").foundation_id,
            "anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(ParseModelId("anthropic.claude-sonnet-4-6").name, "claude-sonnet-4-6");

  ParsedModelId fm =
      ParseModelId("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-5-20251101-v1:0");
  EXPECT_EQ(fm.scope, ModelIdScope::kInRegion);
  EXPECT_EQ(fm.arn_region, "us-east-1");
  EXPECT_EQ(fm.foundation_id, "anthropic.claude-opus-4-5-20251101-v1:0");
  EXPECT_EQ(fm.family, "opus");

  ParsedModelId ip =
      ParseModelId("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-6");
  EXPECT_EQ(ip.scope, ModelIdScope::kGlobal);
  EXPECT_EQ(ip.arn_region, "eu-west-1");
  EXPECT_EQ(ip.version, "4.6");

  ParsedModelId gov = ParseModelId(
      "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-sonnet-4-5-"
      "20250929-v1:0");
  EXPECT_EQ(gov.scope, ModelIdScope::kGeo);
  EXPECT_EQ(gov.geo, "us-gov");
}

TEST(ParseModelId, ApplicationProfilesAndProvisionedModelsNameNoModel) {
  ParsedModelId app = ParseModelId("arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/5dews3o6kky6");
  EXPECT_EQ(app.scope, ModelIdScope::kApplicationProfile);
  EXPECT_EQ(app.arn_region, "us-west-2");
  EXPECT_EQ(app.provider, "");
  EXPECT_EQ(app.foundation_id, "");
  EXPECT_TRUE(CandidateConfigModelIds(app).empty());

  ParsedModelId pm = ParseModelId("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123def456");
  EXPECT_EQ(pm.scope, ModelIdScope::kProvisioned);
  EXPECT_TRUE(CandidateConfigModelIds(pm).empty());
}

TEST(ParseModelId, UnreadableIdsAreUnknownAndKeepOnlyTheRawText) {
  for (const char* raw :
       {"", "claude", "anthropic.", ".claude-sonnet-4-5", "anthropic.claude-sonnet-4-5:", "a.b.c.d",
        "anthropic.claude--sonnet", "Anthropic.Claude-Sonnet-4-5", "arn:aws:s3:::bucket/key",
        "arn:aws:bedrock:us-east-1:1:custom-model/x", "arn:aws:bedrock:us-east-1::foundation-model/",
        "arn:aws:bedrock:us-east-1", "arn:aws:bedrock:us-east-1:1:inference-profile/anthropic.claude-sonnet-4-6"}) {
    SCOPED_TRACE(raw);
    ParsedModelId p = ParseModelId(raw);
    EXPECT_EQ(p.scope, ModelIdScope::kUnknown);
    EXPECT_EQ(p.raw, raw);
    EXPECT_EQ(p.provider, "");
    EXPECT_EQ(p.family, "");
    EXPECT_TRUE(CandidateConfigModelIds(p).empty());
  }
}

TEST(ModelIdScopeName, NamesEveryScope) {
  EXPECT_EQ(ModelIdScopeName(ModelIdScope::kInRegion), "in_region");
  EXPECT_EQ(ModelIdScopeName(ModelIdScope::kGeo), "geo");
  EXPECT_EQ(ModelIdScopeName(ModelIdScope::kGlobal), "global");
  EXPECT_EQ(ModelIdScopeName(ModelIdScope::kApplicationProfile), "application_profile");
  EXPECT_EQ(ModelIdScopeName(ModelIdScope::kProvisioned), "provisioned");
  EXPECT_EQ(ModelIdScopeName(ModelIdScope::kUnknown), "unknown");
}

TEST(CandidateConfigModelIds, FollowTheConfigNamingMostSpecificFirst) {
  using V = std::vector<std::string>;
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("global.anthropic.claude-sonnet-4-5-20250929-v1:0")),
            (V{"claude-sonnet-4.5-v1", "claude-sonnet-4.5"}));
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("anthropic.claude-3-5-sonnet-20241022-v2:0")),
            (V{"claude-3.5-sonnet-v2", "claude-3.5-sonnet"}));
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("global.anthropic.claude-sonnet-4-6")), (V{"claude-sonnet-4.6"}));
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("global.anthropic.claude-opus-4-6-v1")),
            (V{"claude-opus-4.6-v1", "claude-opus-4.6"}));
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("anthropic.claude-sonnet-4-20250514-v1:0")),
            (V{"claude-sonnet-4-v1", "claude-sonnet-4"}));
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("anthropic.claude-v2:1")), (V{"claude-v2"}));
  EXPECT_EQ(CandidateConfigModelIds(ParseModelId("anthropic.claude-instant-v1")),
            (V{"claude-instant-v1", "claude-instant"}));
  // Not Claude: the quota config holds Claude models only.
  EXPECT_TRUE(CandidateConfigModelIds(ParseModelId("us.amazon.nova-pro-v1:0")).empty());
}

ModelSpec Spec(std::string id) {
  ModelSpec m;
  m.model_id = std::move(id);
  m.display_name = m.model_id;
  return m;
}

QuotaConfig DefaultLikeConfig() {
  QuotaConfig c;
  for (const char* id :
       {"claude-haiku-4.5", "claude-opus-4.5", "claude-sonnet-4.5-v1", "claude-opus-4.6-v1", "claude-sonnet-4.6"})
    c.models.push_back(Spec(id));
  return c;
}

struct MatchCase {
  std::string raw;
  std::optional<std::string> model_id;
  bool counts = false;
};

TEST(MatchModelId, OnlyGlobalProfilesCountAgainstTheConfigQuotas) {
  QuotaConfig config = DefaultLikeConfig();
  const MatchCase cases[] = {
      {"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5-v1", true},
      {"us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5-v1", false},
      {"anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5-v1", false},
      {"global.anthropic.claude-opus-4-5-20251101-v1:0", "claude-opus-4.5", true},
      {"eu.anthropic.claude-opus-4-5-20251101-v1:0", "claude-opus-4.5", false},
      {"global.anthropic.claude-opus-4-6-v1", "claude-opus-4.6-v1", true},
      {"global.anthropic.claude-sonnet-4-6", "claude-sonnet-4.6", true},
      {"jp.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4.5", false},
      {"global.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4.5", true},
      {"arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-6",
       "claude-sonnet-4.6", true},
      // Known ids of models the config does not hold, and ids that name no model: kept, matched to nothing.
      {"global.anthropic.claude-opus-4-7", std::nullopt, false},
      {"global.anthropic.claude-sonnet-4-20250514-v1:0", std::nullopt, false},
      {"arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/5dews3o6kky6", std::nullopt, false},
      {"global.amazon.nova-2-lite-v1:0", std::nullopt, false},
      {"not a model id", std::nullopt, false},
  };
  for (const MatchCase& c : cases) {
    SCOPED_TRACE(c.raw);
    ModelIdMatch m = MatchModelId(config, c.raw);
    EXPECT_EQ(m.id.raw, c.raw);
    EXPECT_EQ(m.model_id, c.model_id);
    EXPECT_EQ(m.counts_against_config_quota, c.counts);
  }
}

TEST(MatchModelId, PrefersTheIdWithTheRevisionWhenTheConfigHoldsBoth) {
  QuotaConfig config;
  config.models = {Spec("claude-sonnet-4.5"), Spec("claude-sonnet-4.5-v1")};
  EXPECT_EQ(MatchModelId(config, "global.anthropic.claude-sonnet-4-5-20250929-v1:0").model_id, "claude-sonnet-4.5-v1");
  config.models = {Spec("claude-sonnet-4.5")};
  EXPECT_EQ(MatchModelId(config, "global.anthropic.claude-sonnet-4-5-20250929-v1:0").model_id, "claude-sonnet-4.5");
}

TEST(MatchModelId, AnEmptyConfigMatchesNothing) {
  ModelIdMatch m = MatchModelId(QuotaConfig{}, "global.anthropic.claude-sonnet-4-6");
  EXPECT_FALSE(m.model_id.has_value());
  EXPECT_FALSE(m.counts_against_config_quota);
  EXPECT_EQ(m.id.scope, ModelIdScope::kGlobal);
}

// The built-in catalogue names each quota's Bedrock model id: the Global profile of that id must match the
// model the default config derives from the same entries, for every model of the default config.
TEST(MatchModelId, MatchesEveryModelOfTheDefaultConfigFromTheCataloguesBedrockIds) {
  boost::json::object doc = test::BuiltInCatalogueJson();
  ASSERT_TRUE(doc.contains("quotas"));
  std::vector<CatalogueQuota> catalogue;
  std::vector<std::pair<std::string, std::string>> bedrock_ids;  // (bedrock model id, suggested config id)
  auto str = [](const boost::json::object& o, const char* key) {
    const boost::json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  for (const auto& item : doc.at("quotas").as_array()) {
    const auto& o = item.as_object();
    CatalogueQuota q;
    q.code = str(o, "code");
    q.name = str(o, "name");
    q.name_confirmed = !(o.if_contains("name_confirmed") && o.at("name_confirmed") == false) && !q.name.empty();
    q.model_family = str(o, "model_family");
    q.version_suffix = str(o, "model_version_suffix");
    q.scope = str(o, "scope");
    q.metric = str(o, "metric");
    q.long_context_1m = o.if_contains("long_context_1m") && o.at("long_context_1m") == true;
    catalogue.push_back(q);
    std::string bedrock = str(o, "bedrock_model_id");
    if (!bedrock.empty()) bedrock_ids.emplace_back(bedrock, SuggestedModelId(q.model_family, q.version_suffix));
  }
  QuotaConfig config = BuildDefaultQuotaConfig(catalogue, 0);
  ASSERT_GE(config.models.size(), 5u);
  std::set<std::string> matched;
  for (const auto& [bedrock, suggested] : bedrock_ids) {
    if (FindModel(config, suggested) == nullptr) continue;
    SCOPED_TRACE(bedrock);
    ModelIdMatch global = MatchModelId(config, "global." + bedrock);
    EXPECT_EQ(global.model_id, suggested);
    EXPECT_TRUE(global.counts_against_config_quota);
    ModelIdMatch geo = MatchModelId(config, "us." + bedrock);
    EXPECT_EQ(geo.model_id, suggested);
    EXPECT_FALSE(geo.counts_against_config_quota);
    matched.insert(suggested);
  }
  for (const ModelSpec& m : config.models) EXPECT_TRUE(matched.count(m.model_id)) << m.model_id;
}

}  // namespace
}  // namespace ap::domain
