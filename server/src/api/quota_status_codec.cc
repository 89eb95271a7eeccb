#include "api/quota_status_codec.h"

namespace ap::api {

json::value LastRefreshToJson(const domain::LastRefresh& last) {
  if (last.at_ms == 0) return nullptr;
  const bool failed = last.failed > 0;
  return json::object{
      {"at", TimeOrNull(last.at_ms)},
      {"state", domain::LastRefreshStateName(last)},
      {"read", last.read},
      {"failed", last.failed},
      {"reason", failed ? json::value(last.reason) : json::value(nullptr)},
      {"reason_kind", failed ? json::value(domain::ReadFailureKindName(domain::ClassifyReadFailure(last.reason)))
                             : json::value(nullptr)}};
}

json::value ReasonKindOf(const domain::QuotaValue& value) {
  const bool failed = value.state == domain::QuotaState::kStale || value.state == domain::QuotaState::kError;
  if (!failed || value.reason.empty()) return nullptr;
  return json::string(domain::ReadFailureKindName(domain::ClassifyReadFailure(value.reason)));
}

}  // namespace ap::api
