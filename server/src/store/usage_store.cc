#include "store/usage_store.h"

#include <algorithm>
#include <utility>

namespace ap::store {

std::vector<HeadroomEntry> HeadroomEntriesOf(const UsageSnapshot& snapshot) {
  std::vector<HeadroomEntry> entries;
  for (const ModelUsageEntry& model : snapshot.models) {
    for (const domain::WindowUsage& window : model.usage.windows) {
      if (window.window != domain::UsageWindow::k24h) continue;
      if (!window.headroom_tpm && !window.headroom_rpm) break;
      HeadroomEntry entry{.account_id = snapshot.account_id,
                          .region = snapshot.region,
                          .model_id = model.model_id,
                          .headroom_tpm = window.headroom_tpm,
                          .headroom_rpm = window.headroom_rpm,
                          .polled_at_ms = snapshot.polled_at_ms};
      entry.headroom = std::min(window.headroom_tpm.value_or(window.headroom_rpm.value_or(0)),
                                window.headroom_rpm.value_or(window.headroom_tpm.value_or(0)));
      entries.push_back(std::move(entry));
      break;
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const HeadroomEntry& a, const HeadroomEntry& b) { return a.model_id < b.model_id; });
  return entries;
}

}  // namespace ap::store
