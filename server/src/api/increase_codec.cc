#include "api/increase_codec.h"

#include <cmath>

namespace ap::api {
namespace {

json::value StringOrNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

Result<service::IncreaseSpec> IncreaseSpecFromJson(const json::object& obj) {
  ObjectReader in(obj);
  service::IncreaseSpec spec;
  ASSIGN_OR_RETURN(spec.model_id, in.String("model_id"));
  ASSIGN_OR_RETURN(spec.dimension, in.String("dimension"));
  const json::value* v = obj.if_contains("desired_value");
  if (v == nullptr || v->is_null()) return InvalidArgument("is required", "desired_value");
  if (!v->is_number()) return InvalidArgument("must be a number", "desired_value");
  spec.desired_value = v->to_number<double>();
  ASSIGN_OR_RETURN(auto reason, in.OptString("reason"));
  spec.reason = reason.value_or("");
  return spec;
}

Result<std::vector<service::IncreaseTarget>> IncreaseTargetsFromJson(const json::object& obj) {
  ObjectReader in(obj);
  ASSIGN_OR_RETURN(const json::array* targets, in.Array("targets"));
  if (targets->empty() || targets->size() > service::kMaxIncreaseTargets)
    return InvalidArgument("must hold 1 to " + std::to_string(service::kMaxIncreaseTargets) + " targets", "targets");
  std::vector<service::IncreaseTarget> out;
  for (size_t i = 0; i < targets->size(); ++i) {
    const std::string at = "targets[" + std::to_string(i) + "]";
    if (!(*targets)[i].is_object()) return InvalidArgument("must be an object", at);
    ObjectReader t((*targets)[i].as_object(), at + ".");
    service::IncreaseTarget target;
    ASSIGN_OR_RETURN(target.account_id, t.String("account_id"));
    ASSIGN_OR_RETURN(target.region, t.String("region"));
    out.push_back(std::move(target));
  }
  return out;
}

json::object IncreaseRequestToJson(const domain::QuotaIncreaseRequest& r, const std::string& quota_name) {
  return json::object{{"request_id", r.request_id},
                      {"account_id", r.account_id},
                      {"region", r.region},
                      {"quota_code", r.quota_code},
                      {"quota_name", StringOrNull(quota_name)},
                      {"model_id", StringOrNull(r.model_id)},
                      {"dimension", StringOrNull(r.dimension)},
                      {"desired_value", NumberOrNull(r.desired_value)},
                      {"value_at_request", NumberOrNull(r.value_at_request)},
                      {"reason", StringOrNull(r.reason)},
                      {"aws_request_id", r.aws_request_id},
                      {"case_id", StringOrNull(r.case_id)},
                      {"status", domain::IncreaseStatusName(r.status)},
                      {"open", r.open()},
                      {"source", domain::IncreaseSourceName(r.source)},
                      {"requested_by", StringOrNull(r.requested_by)},
                      {"aws_created_at", TimeOrNull(r.aws_created_ms)},
                      {"aws_updated_at", TimeOrNull(r.aws_updated_ms)},
                      {"created_at", TimeOrNull(r.created_at_ms)},
                      {"checked_at", TimeOrNull(r.checked_at_ms)},
                      {"check_error", StringOrNull(r.check_error)}};
}

json::object IncreasePlanToJson(const service::IncreasePlan& p) {
  json::value problem = nullptr;
  if (p.problem) problem = json::object{{"code", p.problem->code}, {"message", p.problem->message}};
  json::value request = nullptr;
  if (!p.quota_code.empty())
    request = json::object{{"ServiceCode", p.service_code},
                           {"QuotaCode", p.quota_code},
                           {"DesiredValue", NumberOrNull(p.desired_value)},
                           {"Region", p.region}};
  return json::object{{"account_id", p.account_id},
                      {"account_name", p.account_name ? json::value(*p.account_name) : json::value(nullptr)},
                      {"region", p.region},
                      {"quota_code", StringOrNull(p.quota_code)},
                      {"quota_name", StringOrNull(p.quota_name)},
                      {"current_value", NumberOrNull(p.current_value)},
                      {"desired_value", NumberOrNull(p.desired_value)},
                      {"will_send", !p.problem.has_value()},
                      {"problem", std::move(problem)},
                      {"request", std::move(request)}};
}

json::object IncreaseSyncReportToJson(const service::IncreaseSyncReport& r) {
  json::array failed;
  for (const auto& f : r.failed)
    failed.push_back(json::object{{"region", f.region}, {"quota_code", f.quota_code}, {"error", f.error}});
  return json::object{{"found", r.found}, {"updated", r.updated}, {"failed", std::move(failed)}};
}

}  // namespace ap::api
