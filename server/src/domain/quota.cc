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

namespace {

// Larger is worse.
int Severity(QuotaState s) {
  switch (s) {
    case QuotaState::kOk:
      return 0;
    case QuotaState::kNever:
      return 1;
    case QuotaState::kStale:
      return 2;
    case QuotaState::kError:
      return 3;
  }
  return 3;
}

}  // namespace

QuotaState WorstQuotaState(const std::vector<QuotaState>& states) {
  QuotaState worst = QuotaState::kOk;
  for (QuotaState s : states) {
    if (Severity(s) > Severity(worst)) worst = s;
  }
  return worst;
}

std::optional<std::string_view> QuotaValueSource(bool has_value, bool is_default) {
  if (!has_value) return std::nullopt;
  return is_default ? "aws_default" : "applied";
}

const QuotaValue* QuotaSnapshot::Find(std::string_view code) const {
  auto it = std::lower_bound(values.begin(), values.end(), code,
                             [](const QuotaValue& v, std::string_view c) { return v.quota_code < c; });
  if (it != values.end() && it->quota_code == code) return &*it;
  return nullptr;
}

}  // namespace ap::domain
