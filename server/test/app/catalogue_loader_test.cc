#include "app/catalogue_loader.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/quota_config.h"

namespace ap::app {
namespace {

TEST(ParseCatalogue, ReadsTheOutputTokenBurndownAndLeavesItUnsetWhenAbsentOrNull) {
  ASSERT_OK_AND_ASSIGN(auto quotas, ParseCatalogue(R"({"quotas":[
      {"code":"L-27C57EE8","name":"n","model_family":"Claude Sonnet 4.5","output_token_burndown":5},
      {"code":"L-DB84CE56","name":"n","model_family":"Claude Sonnet 4.5"},
      {"code":"L-3ABF6ACC","name":"n","model_family":"Claude Opus 4.5","output_token_burndown":null}]})"));
  ASSERT_EQ(quotas.size(), 3u);
  EXPECT_EQ(quotas[0].output_token_burndown, 5);
  EXPECT_FALSE(quotas[1].output_token_burndown.has_value());
  EXPECT_FALSE(quotas[2].output_token_burndown.has_value());
}

TEST(ParseCatalogue, RejectsAnOutputTokenBurndownOutsideOneToHundredOrNotAnInteger) {
  for (const char* bad : {"0", "101", "-1", "2.5", "\"5\"", "true"}) {
    std::string doc = std::string(R"({"quotas":[{"code":"L-27C57EE8","output_token_burndown":)") + bad + "}]}";
    auto parsed = ParseCatalogue(doc);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_OK(ParseCatalogue(R"({"quotas":[{"code":"L-27C57EE8","output_token_burndown":100}]})"));
  EXPECT_OK(ParseCatalogue(R"({"quotas":[{"code":"L-27C57EE8","output_token_burndown":1}]})"));
}

// The embedded data: every Claude entry states a rate, one rate per model family, and the default config's models
// (Claude 4.5 and later) all burn output tokens down at 5x (docs/usage.md, S25 in the file).
TEST(BuiltInCatalogue, StatesOneOutputTokenBurndownPerFamilyAndFiveForTheDefaultModels) {
  std::map<std::string, int> by_family;
  for (const domain::CatalogueQuota& q : BuiltInCatalogue()) {
    ASSERT_TRUE(q.output_token_burndown.has_value()) << q.code;
    auto [it, inserted] = by_family.emplace(q.model_family, *q.output_token_burndown);
    EXPECT_EQ(it->second, *q.output_token_burndown) << q.code << " " << q.model_family;
  }
  EXPECT_EQ(by_family.at("Claude 3.5 Sonnet"), 1);
  EXPECT_EQ(by_family.at("Claude 3.7 Sonnet"), 5);
  EXPECT_EQ(by_family.at("Claude Sonnet 4"), 5);
  domain::QuotaConfig config = domain::BuildDefaultQuotaConfig(BuiltInCatalogue(), 0);
  ASSERT_FALSE(config.models.empty());
  for (const domain::ModelSpec& m : config.models) EXPECT_EQ(m.output_token_burndown, 5) << m.model_id;
  EXPECT_OK(domain::ValidateQuotaConfig(config));
}

}  // namespace
}  // namespace ap::app
