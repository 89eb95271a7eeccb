#include "domain/quota_name.h"

#include <gtest/gtest.h>

#include "builtin_catalogue_json.h"

namespace ap::domain {
namespace {

TEST(ParseQuotaName, ReadsScopeMetricModelSuffixAndLongContext) {
  auto p = ParseQuotaName(
      "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1 1M Context Length");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->scope, "global-cross-region");
  EXPECT_EQ(p->metric, "tokens-per-minute");
  EXPECT_EQ(p->model_family, "Claude Sonnet 4.5");
  EXPECT_EQ(p->version_suffix, "V1");
  EXPECT_TRUE(p->long_context_1m);
  EXPECT_EQ(p->version, 4.5);
  auto old = ParseQuotaName("Cross-Region InvokeModel requests per minute for Anthropic Claude 3.5 Sonnet v2");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->scope, "cross-region");
  EXPECT_EQ(old->metric, "requests-per-minute");
  EXPECT_EQ(old->model_family, "Claude 3.5 Sonnet");
  EXPECT_EQ(old->version_suffix, "V2");
  EXPECT_FALSE(ParseQuotaName("On-demand model inference requests per minute for Meta Llama 3 70B").has_value());
}

// Every name and alternative name of the built-in catalogue is classified as the catalogue says.
TEST(ParseQuotaName, ClassifiesEveryNameOfTheCatalogue) {
  boost::json::object doc = test::BuiltInCatalogueJson();
  ASSERT_TRUE(doc.contains("quotas"));
  int checked = 0;
  for (const auto& item : doc.at("quotas").as_array()) {
    const auto& q = item.as_object();
    std::vector<std::string> names;
    if (q.at("name").is_string()) names.emplace_back(q.at("name").as_string());
    if (const auto* alt = q.if_contains("alt_names"); alt && alt->is_array())
      for (const auto& a : alt->as_array()) names.emplace_back(a.as_string());
    std::string suffix =
        q.at("model_version_suffix").is_string() ? std::string(q.at("model_version_suffix").as_string()) : "";
    for (const std::string& n : names) {
      auto p = ParseQuotaName(n);
      ASSERT_TRUE(p.has_value()) << n;
      EXPECT_EQ(p->scope, q.at("scope").as_string()) << n;
      EXPECT_EQ(p->metric, q.at("metric").as_string()) << n;
      EXPECT_EQ(p->model_family, q.at("model_family").as_string()) << n;
      EXPECT_EQ(p->version_suffix, suffix) << n;
      EXPECT_EQ(p->long_context_1m, q.at("long_context_1m").as_bool()) << n;
      ++checked;
    }
  }
  EXPECT_GE(checked, 190);
}

}  // namespace
}  // namespace ap::domain
