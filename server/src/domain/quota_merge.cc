#include "domain/quota_merge.h"

#include <algorithm>
#include <map>

namespace ap::domain {

MergeOutput MergeReadResults(const QuotaSnapshot& old_snapshot, const std::vector<ReadResult>& results,
                             int64_t now_ms) {
  MergeOutput out;
  out.snapshot.account_id = old_snapshot.account_id;
  out.snapshot.region = old_snapshot.region;
  out.snapshot.updated_at_ms = old_snapshot.updated_at_ms;
  out.snapshot.last_lowered = old_snapshot.last_lowered;
  std::optional<QuotaLowered> lowered;  // this refresh's largest decrease
  std::map<std::string, QuotaValue> merged;
  for (const QuotaValue& v : old_snapshot.values) merged[v.quota_code] = v;
  for (const ReadResult& r : results) {
    const QuotaValue* old_value = old_snapshot.Find(r.quota_code);
    QuotaValue next = old_value ? *old_value : QuotaValue{};
    next.quota_code = r.quota_code;
    next.attempted_at_ms = now_ms;
    if (r.ok && r.value) {
      next.value = r.value;
      next.is_default = r.is_default;
      next.state = QuotaState::kOk;
      next.reason.clear();
      next.read_at_ms = now_ms;
    } else {
      // Keep whatever good value there was; only its state and the reason change.
      next.state = next.value ? QuotaState::kStale : QuotaState::kError;
      next.reason = r.ok ? "AWS returned no value" : r.error;
    }
    std::optional<double> read_default = r.aws_default;
    if (r.ok && r.value && r.is_default) read_default = r.value;
    if (read_default) {
      next.aws_default = read_default;
      next.aws_default_read_at_ms = now_ms;
    }
    if (auto h = HistoryEntryFor(out.snapshot.account_id, out.snapshot.region, old_value, next)) {
      out.history.push_back(*h);
      bool value_moved = h->previous_value && h->value && *h->previous_value != *h->value;
      if (h->event == QuotaEvent::kChanged || (h->event == QuotaEvent::kRecovered && value_moved))
        out.changes.push_back(*h);
      if (value_moved && *h->value < *h->previous_value) {
        const double by = *h->previous_value - *h->value;
        if (!lowered || by > lowered->previous_value - lowered->value)
          lowered = QuotaLowered{now_ms, r.quota_code, *h->previous_value, *h->value};
      }
    }
    if (!old_value || !(*old_value == next)) out.snapshot.updated_at_ms = now_ms;
    merged[r.quota_code] = std::move(next);
  }
  for (auto& [code, v] : merged) out.snapshot.values.push_back(std::move(v));
  if (lowered) out.snapshot.last_lowered = std::move(lowered);
  return out;
}

}  // namespace ap::domain
