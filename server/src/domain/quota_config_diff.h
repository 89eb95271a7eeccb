// What a change of the quota configuration changed, model by model (issue 16 §3 and §5): the audit entry of a
// config update names it, and the models that start being read are offered a fleet refresh limited to them.
// Pure. Thread safety: value types.
#pragma once

#include <string>
#include <vector>

#include "domain/quota_config.h"

namespace ap::domain {

struct QuotaConfigChanges {
  // Model ids, each list in the new config's order (removed: the old one's).
  std::vector<std::string> added;     // in `after` only
  std::vector<std::string> removed;   // in `before` only
  std::vector<std::string> enabled;   // present in both, enabled turned on
  std::vector<std::string> disabled;  // present in both, enabled turned off
  std::vector<std::string> shown;     // present in both, show_in_dashboard turned on
  std::vector<std::string> hidden;    // present in both, show_in_dashboard turned off
  std::vector<std::string> edited;    // present in both, any other field changed (name, codes, 1M, burndown)
  // The models of `after` that are enabled and will read a code no refresh read under `before`: added enabled,
  // enabled now, or enabled in both with a code added or changed. In `after`'s order.
  std::vector<std::string> newly_read_models;
  // Their quota codes (CodeFor of every dimension), each once, in `after`'s order: the codes a fleet refresh
  // limited to what is new reads.
  std::vector<std::string> newly_read_codes;

  bool empty() const {
    return added.empty() && removed.empty() && enabled.empty() && disabled.empty() && shown.empty() && hidden.empty() &&
           edited.empty();
  }
};

// Compares two versions of the document by model_id.
QuotaConfigChanges DiffQuotaConfigs(const QuotaConfig& before, const QuotaConfig& after);

// The quota codes of `config` that belong to the enabled models among `model_ids` (CodeFor of each dimension), each
// once, in config order. Ids that are not enabled models of the config contribute nothing.
std::vector<std::string> CodesOfModels(const QuotaConfig& config, const std::vector<std::string>& model_ids);

}  // namespace ap::domain
