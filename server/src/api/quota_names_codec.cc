#include "api/quota_names_codec.h"

namespace ap::api {
namespace {

json::value NameOf(const domain::CatalogueQuota* entry) {
  if (!entry || !entry->name_confirmed || entry->name.empty()) return nullptr;
  return json::string(entry->name);
}

json::value ScopeOf(const domain::CatalogueQuota* entry) {
  if (!entry || entry->scope.empty()) return nullptr;
  return json::string(entry->scope);
}

}  // namespace

void AddQuotaExplanation(json::object& dim, const domain::QuotaValue& value, const domain::CatalogueQuota* entry) {
  dim["quota_name"] = NameOf(entry);
  dim["quota_scope"] = ScopeOf(entry);
  dim["aws_default"] = NumberOrNull(value.aws_default);
  dim["aws_default_read_at"] = value.aws_default ? TimeOrNull(value.aws_default_read_at_ms) : json::value(nullptr);
}

json::object QuotaNamesToJson(const domain::QuotaConfig& config, const domain::CatalogueIndex* catalogue) {
  json::object out;
  if (!catalogue) return out;
  for (const domain::ModelSpec& m : config.models) {
    for (const std::optional<std::string>& code :
         {m.quota_code_tpm, m.quota_code_rpm, m.quota_code_tpm_1m, m.quota_code_rpm_1m}) {
      if (!code || out.contains(*code)) continue;
      const domain::CatalogueQuota* entry = catalogue->Find(*code);
      if (!entry) continue;
      out[*code] = json::object{{"name", NameOf(entry)}, {"scope", ScopeOf(entry)}};
    }
  }
  return out;
}

}  // namespace ap::api
