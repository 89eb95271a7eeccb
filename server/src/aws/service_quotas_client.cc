#include "aws/service_quotas_client.h"

#include <optional>
#include <set>
#include <string>
#include <variant>

#include "aws/wire.h"

namespace ap::aws {
namespace {

constexpr int kPageSize = 100;
constexpr int kMaxPages = 10000;

CallSpec QuotasCall(const std::string& operation, const boost::json::object& input) {
  return JsonProtocolCall(AwsService::kServiceQuotas, "application/x-amz-json-1.1", "ServiceQuotasV20190624.",
                          operation, boost::json::serialize(input));
}

// One member of an answer's object and the field of T it fills: strings, numbers and booleans as JsonStr /
// JsonNumber / JsonBool read them (absent: "", nullopt, false); times are epoch seconds (absent: nullopt).
template <class T>
struct JsonField {
  const char* key;
  std::variant<std::string T::*, std::optional<double> T::*, bool T::*, std::optional<TimePoint> T::*> member;
};

template <class T, size_t N>
T Decode(const boost::json::object& o, const JsonField<T> (&fields)[N]) {
  T out;
  for (const JsonField<T>& f : fields) {
    if (auto* s = std::get_if<std::string T::*>(&f.member)) {
      out.*(*s) = JsonStr(o, f.key);
    } else if (auto* n = std::get_if<std::optional<double> T::*>(&f.member)) {
      out.*(*n) = JsonNumber(o, f.key);
    } else if (auto* b = std::get_if<bool T::*>(&f.member)) {
      out.*(*b) = JsonBool(o, f.key);
    } else if (auto seconds = JsonNumber(o, f.key)) {
      out.*std::get<std::optional<TimePoint> T::*>(f.member) = FromEpochSeconds(*seconds);
    }
  }
  return out;
}

const JsonField<ServiceQuota> kQuotaFields[] = {{"ServiceCode", &ServiceQuota::service_code},
                                                {"ServiceName", &ServiceQuota::service_name},
                                                {"QuotaArn", &ServiceQuota::quota_arn},
                                                {"QuotaCode", &ServiceQuota::quota_code},
                                                {"QuotaName", &ServiceQuota::quota_name},
                                                {"Value", &ServiceQuota::value},
                                                {"Unit", &ServiceQuota::unit},
                                                {"Adjustable", &ServiceQuota::adjustable},
                                                {"GlobalQuota", &ServiceQuota::global_quota}};

const JsonField<RequestedQuotaChange> kChangeFields[] = {{"Id", &RequestedQuotaChange::id},
                                                         {"CaseId", &RequestedQuotaChange::case_id},
                                                         {"ServiceCode", &RequestedQuotaChange::service_code},
                                                         {"QuotaCode", &RequestedQuotaChange::quota_code},
                                                         {"QuotaName", &RequestedQuotaChange::quota_name},
                                                         {"DesiredValue", &RequestedQuotaChange::desired_value},
                                                         {"Status", &RequestedQuotaChange::status},
                                                         {"Created", &RequestedQuotaChange::created},
                                                         {"LastUpdated", &RequestedQuotaChange::last_updated}};

ServiceQuota DecodeQuota(const boost::json::object& q) { return Decode(q, kQuotaFields); }
RequestedQuotaChange DecodeChange(const boost::json::object& r) { return Decode(r, kChangeFields); }

Result<boost::json::object> Body(const HttpResponse& resp, const std::string& operation) {
  Result<boost::json::object> obj = ParseJsonObject(resp.body, "servicequotas " + operation);
  if (!obj.ok()) return Internal(obj.status().message());
  return obj;
}

// Runs a paginated operation: `member` is the list in each page; every element goes to `each`.
Status Paginate(AwsCaller& caller, const Credentials& creds, const std::string& region, const std::string& operation,
                boost::json::object input, const char* member,
                const std::function<void(const boost::json::object&)>& each) {
  input["MaxResults"] = kPageSize;
  std::set<std::string> seen_tokens;
  for (int page = 0; page < kMaxPages; ++page) {
    ASSIGN_OR_RETURN(HttpResponse resp, caller.Call(creds, region, QuotasCall(operation, input)));
    ASSIGN_OR_RETURN(boost::json::object body, Body(resp, operation));
    if (const boost::json::array* items = JsonArr(body, member)) {
      for (const auto& item : *items) {
        if (item.is_object()) each(item.get_object());
      }
    }
    std::string next = JsonStr(body, "NextToken");
    if (next.empty()) return Status::Ok();
    if (!seen_tokens.insert(next).second) {
      return Internal("servicequotas " + operation + ": NextToken repeated; stopping to avoid an endless list");
    }
    input["NextToken"] = next;
  }
  return Internal("servicequotas " + operation + ": more than " + std::to_string(kMaxPages) + " pages");
}

}  // namespace

Result<ServiceQuota> ServiceQuotasClient::GetOne(const char* operation, const Credentials& creds,
                                                 const std::string& region, const std::string& service_code,
                                                 const std::string& quota_code) {
  boost::json::object input{{"ServiceCode", service_code}, {"QuotaCode", quota_code}};
  ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, QuotasCall(operation, input)));
  ASSIGN_OR_RETURN(boost::json::object body, Body(resp, operation));
  const boost::json::object* quota = JsonObj(body, "Quota");
  if (quota == nullptr) return Internal(std::string("servicequotas ") + operation + ": response has no Quota");
  return DecodeQuota(*quota);
}

Result<std::vector<ServiceQuota>> ServiceQuotasClient::ListAll(const char* operation, const Credentials& creds,
                                                               const std::string& region,
                                                               const std::string& service_code) {
  std::vector<ServiceQuota> out;
  RETURN_IF_ERROR(Paginate(caller_, creds, region, operation, {{"ServiceCode", service_code}}, "Quotas",
                           [&](const boost::json::object& q) { out.push_back(DecodeQuota(q)); }));
  return out;
}

Result<ServiceQuota> ServiceQuotasClient::GetServiceQuota(const Credentials& creds, const std::string& region,
                                                          const std::string& service_code,
                                                          const std::string& quota_code) {
  return GetOne("GetServiceQuota", creds, region, service_code, quota_code);
}

Result<ServiceQuota> ServiceQuotasClient::GetAWSDefaultServiceQuota(const Credentials& creds, const std::string& region,
                                                                    const std::string& service_code,
                                                                    const std::string& quota_code) {
  return GetOne("GetAWSDefaultServiceQuota", creds, region, service_code, quota_code);
}

Result<std::vector<ServiceQuota>> ServiceQuotasClient::ListServiceQuotas(const Credentials& creds,
                                                                         const std::string& region,
                                                                         const std::string& service_code) {
  return ListAll("ListServiceQuotas", creds, region, service_code);
}

Result<std::vector<ServiceQuota>> ServiceQuotasClient::ListAWSDefaultServiceQuotas(const Credentials& creds,
                                                                                   const std::string& region,
                                                                                   const std::string& service_code) {
  return ListAll("ListAWSDefaultServiceQuotas", creds, region, service_code);
}

Result<RequestedQuotaChange> ServiceQuotasClient::RequestServiceQuotaIncrease(const Credentials& creds,
                                                                              const std::string& region,
                                                                              const std::string& service_code,
                                                                              const std::string& quota_code,
                                                                              double desired_value) {
  const std::string op = "RequestServiceQuotaIncrease";
  boost::json::object input{{"ServiceCode", service_code}, {"QuotaCode", quota_code}, {"DesiredValue", desired_value}};
  ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, QuotasCall(op, input)));
  ASSIGN_OR_RETURN(boost::json::object body, Body(resp, op));
  const boost::json::object* change = JsonObj(body, "RequestedQuota");
  if (change == nullptr) return Internal("servicequotas " + op + ": response has no RequestedQuota");
  return DecodeChange(*change);
}

Result<std::vector<RequestedQuotaChange>> ServiceQuotasClient::ListRequestedServiceQuotaChangeHistoryByQuota(
    const Credentials& creds, const std::string& region, const std::string& service_code,
    const std::string& quota_code) {
  std::vector<RequestedQuotaChange> out;
  RETURN_IF_ERROR(Paginate(caller_, creds, region, "ListRequestedServiceQuotaChangeHistoryByQuota",
                           {{"ServiceCode", service_code}, {"QuotaCode", quota_code}}, "RequestedQuotas",
                           [&](const boost::json::object& r) { out.push_back(DecodeChange(r)); }));
  return out;
}

Result<RequestedQuotaChange> ServiceQuotasClient::GetRequestedServiceQuotaChange(const Credentials& creds,
                                                                                 const std::string& region,
                                                                                 const std::string& request_id) {
  const std::string op = "GetRequestedServiceQuotaChange";
  boost::json::object input{{"RequestId", request_id}};
  ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, QuotasCall(op, input)));
  ASSIGN_OR_RETURN(boost::json::object body, Body(resp, op));
  const boost::json::object* change = JsonObj(body, "RequestedQuota");
  if (change == nullptr) return Internal("servicequotas " + op + ": response has no RequestedQuota");
  return DecodeChange(*change);
}

}  // namespace ap::aws
