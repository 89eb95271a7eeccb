#include "domain/catalogue.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace ap::domain {

std::optional<double> FamilyVersion(const std::string& family) {
  std::istringstream words(family);
  std::string w;
  while (words >> w) {
    if (!w.empty() && std::isdigit(static_cast<unsigned char>(w[0]))) {
      char* end = nullptr;
      double v = std::strtod(w.c_str(), &end);
      if (end && *end == '\0') return v;
    }
  }
  return std::nullopt;
}

std::string SuggestedModelId(const std::string& family, const std::string& version_suffix) {
  std::string id;
  std::istringstream words(family);
  std::string w;
  while (words >> w) {
    if (!id.empty()) id += '-';
    for (char c : w) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!version_suffix.empty()) {
    id += '-';
    for (char c : version_suffix) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return id;
}

std::optional<std::string> BedrockFoundationId(const ModelSpec& model, const std::vector<CatalogueQuota>& catalogue) {
  for (const std::optional<std::string>& code :
       {model.quota_code_tpm, model.quota_code_rpm, model.quota_code_tpm_1m, model.quota_code_rpm_1m}) {
    if (!code) continue;
    for (const CatalogueQuota& q : catalogue)
      if (q.code == *code && !q.bedrock_model_id.empty()) return q.bedrock_model_id;
  }
  return std::nullopt;
}

QuotaConfig BuildDefaultQuotaConfig(const std::vector<CatalogueQuota>& catalogue, int64_t now_ms) {
  struct Group {
    std::string family, suffix;
    double version = 0;
    std::optional<int> burndown;
    ModelSpec spec;
  };
  std::map<std::string, Group> groups;  // by model id
  for (const CatalogueQuota& q : catalogue) {
    if (q.scope != "global-cross-region" || !q.name_confirmed) continue;
    bool tpm = q.metric == "tokens-per-minute", rpm = q.metric == "requests-per-minute";
    if (!tpm && !rpm) continue;
    auto version = FamilyVersion(q.model_family);
    if (!version || *version < 4.5 || q.model_family.rfind("Claude ", 0) != 0) continue;
    std::string id = SuggestedModelId(q.model_family, q.version_suffix);
    Group& g = groups[id];
    g.family = q.model_family;
    g.suffix = q.version_suffix;
    g.version = *version;
    g.spec.model_id = id;
    g.spec.display_name = q.version_suffix.empty() ? q.model_family : q.model_family + " " + q.version_suffix;
    if (!g.burndown && q.output_token_burndown) g.burndown = q.output_token_burndown;
    std::optional<std::string>& slot = q.long_context_1m ? (tpm ? g.spec.quota_code_tpm_1m : g.spec.quota_code_rpm_1m)
                                                         : (tpm ? g.spec.quota_code_tpm : g.spec.quota_code_rpm);
    slot = q.code;
  }
  std::vector<Group*> ordered;
  for (auto& [id, g] : groups) {
    // A model known only by its 1M codes is not a model of its own here.
    if (!g.spec.quota_code_tpm && !g.spec.quota_code_rpm) continue;
    g.spec.has_1m_context = g.spec.quota_code_tpm_1m || g.spec.quota_code_rpm_1m;
    g.spec.output_token_burndown = g.burndown.value_or(kDefaultOutputTokenBurndown);
    ordered.push_back(&g);
  }
  std::sort(ordered.begin(), ordered.end(), [](const Group* a, const Group* b) {
    if (a->version != b->version) return a->version < b->version;
    return a->spec.model_id < b->spec.model_id;
  });
  static const std::set<std::string> kEnabled = {"claude-sonnet-4.5-v1", "claude-opus-4.5", "claude-opus-4.6-v1"};
  static const std::set<std::string> kDashboard = {"claude-sonnet-4.5-v1", "claude-opus-4.5"};
  QuotaConfig config;
  config.updated_at_ms = now_ms;
  config.updated_by = "system";
  for (Group* g : ordered) {
    g->spec.enabled = kEnabled.count(g->spec.model_id) > 0;
    g->spec.show_in_dashboard = kDashboard.count(g->spec.model_id) > 0;
    config.models.push_back(g->spec);
  }
  return config;
}

CatalogueIndex::CatalogueIndex(std::vector<CatalogueQuota> quotas) : quotas_(std::move(quotas)) {
  std::stable_sort(quotas_.begin(), quotas_.end(),
                   [](const CatalogueQuota& a, const CatalogueQuota& b) { return a.code < b.code; });
  quotas_.erase(std::unique(quotas_.begin(), quotas_.end(),
                            [](const CatalogueQuota& a, const CatalogueQuota& b) { return a.code == b.code; }),
                quotas_.end());
}

const CatalogueQuota* CatalogueIndex::Find(std::string_view code) const {
  auto it = std::lower_bound(quotas_.begin(), quotas_.end(), code,
                             [](const CatalogueQuota& q, std::string_view c) { return q.code < c; });
  return it != quotas_.end() && it->code == code ? &*it : nullptr;
}

std::optional<std::string> CatalogueIndex::ConfirmedName(std::string_view code) const {
  const CatalogueQuota* q = Find(code);
  if (!q || !q->name_confirmed || q->name.empty()) return std::nullopt;
  return q->name;
}

}  // namespace ap::domain
