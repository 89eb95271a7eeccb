// JSON of the quota increase requests (issue 14 §1): request bodies in, requests / plans / sync reports out.
// Field names are docs/openapi.yaml's (tag increases).
#pragma once

#include <vector>

#include "api/json.h"
#include "domain/quota_increase.h"
#include "service/quota_increase_service.h"

namespace ap::api {

// {model_id, dimension, desired_value, reason?}: the spec of a request (shapes only; the service validates the
// values). InvalidArgument naming the field.
Result<service::IncreaseSpec> IncreaseSpecFromJson(const json::object& obj);
// {targets: [{account_id, region}, ...]}. InvalidArgument("targets" / "targets[i].account_id" / ...).
Result<std::vector<service::IncreaseTarget>> IncreaseTargetsFromJson(const json::object& obj);

// QuotaIncreaseRequest; `quota_name`: the catalogue's name ("" → null).
json::object IncreaseRequestToJson(const domain::QuotaIncreaseRequest& r, const std::string& quota_name);
json::object IncreasePlanToJson(const service::IncreasePlan& p);
json::object IncreaseSyncReportToJson(const service::IncreaseSyncReport& r);

}  // namespace ap::api
