#include "app/catalogue_loader.h"

#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>

namespace ap::app {

extern const char kClaudeQuotasJson[];
extern const std::size_t kClaudeQuotasJsonSize;
extern const char kOpenApiJson[];
extern const std::size_t kOpenApiJsonSize;

namespace {

std::string StringOr(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Result<std::vector<domain::CatalogueQuota>> ParseCatalogue(std::string_view json_text) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json_text, ec);
  if (ec || !doc.is_object()) return InvalidArgument("the catalogue is not a JSON object");
  const boost::json::value* quotas = doc.as_object().if_contains("quotas");
  if (!quotas || !quotas->is_array()) return InvalidArgument("the catalogue has no \"quotas\" list");
  std::vector<domain::CatalogueQuota> out;
  for (const boost::json::value& item : quotas->as_array()) {
    if (!item.is_object()) return InvalidArgument("a catalogue entry is not an object");
    const auto& o = item.as_object();
    domain::CatalogueQuota q;
    q.code = StringOr(o, "code");
    if (q.code.empty()) continue;
    q.name = StringOr(o, "name");
    const boost::json::value* confirmed = o.if_contains("name_confirmed");
    q.name_confirmed = !(confirmed && confirmed->is_bool() && !confirmed->as_bool()) && !q.name.empty();
    q.model_family = StringOr(o, "model_family");
    q.version_suffix = StringOr(o, "model_version_suffix");
    q.scope = StringOr(o, "scope");
    q.metric = StringOr(o, "metric");
    const boost::json::value* one_m = o.if_contains("long_context_1m");
    q.long_context_1m = one_m && one_m->is_bool() && one_m->as_bool();
    const boost::json::value* def = o.if_contains("default_value");
    if (def && def->is_number()) q.default_value = def->to_number<double>();
    if (const boost::json::value* adj = o.if_contains("adjustable"); adj && adj->is_bool())
      q.adjustable = adj->as_bool();
    if (const boost::json::value* rate = o.if_contains("output_token_burndown"); rate && !rate->is_null()) {
      if (!rate->is_int64() || rate->as_int64() < domain::kMinOutputTokenBurndown ||
          rate->as_int64() > domain::kMaxOutputTokenBurndown)
        return InvalidArgument("output_token_burndown of " + q.code + " is not an integer in 1..100");
      q.output_token_burndown = static_cast<int>(rate->as_int64());
    }
    out.push_back(std::move(q));
  }
  return out;
}

const std::vector<domain::CatalogueQuota>& BuiltInCatalogue() {
  static const std::vector<domain::CatalogueQuota> catalogue = [] {
    auto parsed = ParseCatalogue(std::string_view(kClaudeQuotasJson, kClaudeQuotasJsonSize));
    if (!parsed.ok()) {
      // The file is embedded at build time and covered by tests; failing here is a build defect.
      std::cerr << "account-platform: built-in catalogue is broken: " << parsed.status().ToString() << "\n";
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return catalogue;
}

std::string_view BuiltInOpenApiJson() { return std::string_view(kOpenApiJson, kOpenApiJsonSize); }

}  // namespace ap::app
