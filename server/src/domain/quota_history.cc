#include "domain/quota_history.h"

#include <cstdio>

namespace ap::domain {

std::string_view QuotaEventName(QuotaEvent e) {
  switch (e) {
    case QuotaEvent::kFirstRead:
      return "first_read";
    case QuotaEvent::kChanged:
      return "changed";
    case QuotaEvent::kBecameStale:
      return "became_stale";
    case QuotaEvent::kRecovered:
      return "recovered";
    case QuotaEvent::kFailed:
      return "failed";
  }
  return "failed";
}

Result<QuotaEvent> ParseQuotaEvent(std::string_view text) {
  for (QuotaEvent e : {QuotaEvent::kFirstRead, QuotaEvent::kChanged, QuotaEvent::kBecameStale, QuotaEvent::kRecovered,
                       QuotaEvent::kFailed}) {
    if (text == QuotaEventName(e)) return e;
  }
  return InvalidArgument("unknown quota event \"" + std::string(text) + "\"");
}

std::string HistoryId(int64_t at_ms, std::string_view quota_code) {
  char time_hex[16];
  std::snprintf(time_hex, sizeof time_hex, "%013llx", static_cast<unsigned long long>(at_ms < 0 ? 0 : at_ms));
  std::string id = "h_";
  id += time_hex;
  id += quota_code;
  return id;
}

std::optional<QuotaHistoryEntry> HistoryEntryFor(const std::string& account_id, const std::string& region,
                                                 const QuotaValue* old_value, const QuotaValue& next) {
  QuotaHistoryEntry e;
  e.account_id = account_id;
  e.region = region;
  e.quota_code = next.quota_code;
  e.at_ms = next.attempted_at_ms;
  e.history_id = HistoryId(e.at_ms, e.quota_code);
  e.value = next.value;
  e.state = next.state;
  e.is_default = next.is_default;
  bool had_value = old_value && old_value->value.has_value();
  if (had_value) e.previous_value = old_value->value;
  QuotaState old_state = old_value ? old_value->state : QuotaState::kNever;
  switch (next.state) {
    case QuotaState::kOk:
      if (!had_value) {
        e.event = QuotaEvent::kFirstRead;
      } else if (old_state == QuotaState::kStale) {
        e.event = QuotaEvent::kRecovered;
      } else if (*old_value->value != *next.value || old_value->is_default != next.is_default) {
        e.event = QuotaEvent::kChanged;
      } else {
        return std::nullopt;
      }
      return e;
    case QuotaState::kStale:
      if (old_state == QuotaState::kStale) return std::nullopt;
      e.event = QuotaEvent::kBecameStale;
      e.reason = next.reason;
      return e;
    case QuotaState::kError:
      if (old_state == QuotaState::kError) return std::nullopt;
      e.event = QuotaEvent::kFailed;
      e.reason = next.reason;
      return e;
    case QuotaState::kNever:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace ap::domain
