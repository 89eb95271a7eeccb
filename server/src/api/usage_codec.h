// Wire encoding of usage against quota (docs/openapi.yaml: UsageStatus, ModelUsage, WindowUsage, UsageStat,
// SeriesUsage, HeadroomPage, UsageHistory). Missing is never zero: every unknown figure is null. Times ISO-8601 UTC.
#pragma once

#include <optional>

#include "api/json.h"
#include "service/dashboard_service.h"
#include "service/usage_service.h"

namespace ap::api {

// UsageStatus of a quota read: state ok | stale | never (snapshot null), polled_at, attempted_at, error_code,
// error_message (null unless stale).
json::object UsageStatusToJson(const store::UsageSnapshot* snapshot);
// ModelUsage: output_token_burndown, quota_tpm, quota_rpm, windows[] (1h, 24h, 7d).
json::object ModelUsageToJson(const domain::ModelUsage& usage);
// The snapshot's usage of `model_id` (ModelQuota.usage); null when there is no snapshot, no series of the model in
// it (counted or not), or no entry for it.
json::value ModelUsageOf(const store::UsageSnapshot* snapshot, const std::string& model_id);
// QuotaRead.usage_series: every series of the snapshot, sorted by series; empty when there is none.
json::array SeriesUsageToJson(const store::UsageSnapshot* snapshot);
json::object HeadroomListingToJson(const service::HeadroomListing& listing);
json::object UsageHistoryToJson(const service::UsageHistory& history);
// A dashboard row's usage_state ("never" when unknown) and headroom object (by model_id).
json::value RowUsageStateToJson(const std::optional<store::UsageState>& state);
json::object RowHeadroomToJson(const std::vector<service::RowHeadroom>& headroom);

}  // namespace ap::api
