#include "domain/quota.h"

#include <algorithm>

namespace ap::domain {

std::string_view QuotaStateName(QuotaState s) {
  switch (s) {
    case QuotaState::kOk:
      return "ok";
    case QuotaState::kStale:
      return "stale";
    case QuotaState::kError:
      return "error";
    case QuotaState::kNever:
      return "never";
  }
  return "never";
}

Result<QuotaState> ParseQuotaState(std::string_view text) {
  for (QuotaState s : {QuotaState::kOk, QuotaState::kStale, QuotaState::kError, QuotaState::kNever}) {
    if (text == QuotaStateName(s)) return s;
  }
  return InvalidArgument("unknown quota state \"" + std::string(text) + "\"");
}

const QuotaValue* QuotaSnapshot::Find(std::string_view code) const {
  auto it = std::lower_bound(values.begin(), values.end(), code,
                             [](const QuotaValue& v, std::string_view c) { return v.quota_code < c; });
  if (it != values.end() && it->quota_code == code) return &*it;
  return nullptr;
}

}  // namespace ap::domain
