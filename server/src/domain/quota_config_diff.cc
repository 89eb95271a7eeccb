#include "domain/quota_config_diff.h"

#include <algorithm>

namespace ap::domain {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The codes `m` reads when enabled.
std::vector<std::string> CodesRead(const ModelSpec& m) {
  std::vector<std::string> codes;
  for (QuotaDimension d : kAllDimensions) {
    if (auto code = CodeFor(m, d)) codes.push_back(*code);
  }
  return codes;
}

// Everything but the two flags that have their own lists.
bool OtherFieldsDiffer(ModelSpec a, const ModelSpec& b) {
  a.enabled = b.enabled;
  a.show_in_dashboard = b.show_in_dashboard;
  return !(a == b);
}

}  // namespace

QuotaConfigChanges DiffQuotaConfigs(const QuotaConfig& before, const QuotaConfig& after) {
  QuotaConfigChanges c;
  for (const ModelSpec& m : before.models) {
    if (!FindModel(after, m.model_id)) c.removed.push_back(m.model_id);
  }
  for (const ModelSpec& m : after.models) {
    const ModelSpec* old = FindModel(before, m.model_id);
    bool newly_read = false;
    if (!old) {
      c.added.push_back(m.model_id);
      newly_read = m.enabled;
    } else {
      if (m.enabled && !old->enabled) c.enabled.push_back(m.model_id);
      if (!m.enabled && old->enabled) c.disabled.push_back(m.model_id);
      if (m.show_in_dashboard && !old->show_in_dashboard) c.shown.push_back(m.model_id);
      if (!m.show_in_dashboard && old->show_in_dashboard) c.hidden.push_back(m.model_id);
      if (OtherFieldsDiffer(m, *old)) c.edited.push_back(m.model_id);
      if (m.enabled && !old->enabled) {
        newly_read = true;
      } else if (m.enabled) {
        std::vector<std::string> old_codes = CodesRead(*old);
        for (const std::string& code : CodesRead(m)) newly_read = newly_read || !Contains(old_codes, code);
      }
    }
    if (!newly_read) continue;
    c.newly_read_models.push_back(m.model_id);
    for (const std::string& code : CodesRead(m)) {
      if (!Contains(c.newly_read_codes, code)) c.newly_read_codes.push_back(code);
    }
  }
  return c;
}

std::vector<std::string> CodesOfModels(const QuotaConfig& config, const std::vector<std::string>& model_ids) {
  std::vector<std::string> codes;
  for (const ModelSpec& m : config.models) {
    if (!m.enabled || !Contains(model_ids, m.model_id)) continue;
    for (const std::string& code : CodesRead(m)) {
      if (!Contains(codes, code)) codes.push_back(code);
    }
  }
  return codes;
}

}  // namespace ap::domain
