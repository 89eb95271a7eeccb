// Wire encoding of the platform's resources (snake_case JSON, the original product's contract) and decoding of
// request bodies into domain and service types. Decoders return InvalidArgument naming the offending field.
#pragma once

#include "api/json.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/quota_config.h"
#include "domain/user.h"
#include "service/account_service.h"
#include "service/dashboard_service.h"
#include "service/quota_refresher.h"
#include "service/quota_service.h"
#include "service/usage_poller.h"

namespace ap::api {

json::object UserToJson(const domain::User& user);
// `refreshing`: a quota refresh of the account is running now.
json::object AccountToJson(const domain::Account& account, bool refreshing = false);
json::object ContactInfoToJson(const domain::ContactInfo& info);
json::object CredentialsToJson(const domain::Credentials& credentials);
json::object QuotaConfigToJson(const domain::QuotaConfig& config);
json::object AuditEntryToJson(const domain::AuditEntry& entry);
json::object TeamToJson(const domain::Team& team);
// The cached quota read: flat fields (<prefix>_tpm, _rpm, _1m_tpm, _1m_rpm), last_updated, region and models[].
json::object QuotaViewToJson(const service::QuotaView& view);
// The per-value outcome of a refresh, appended to the quota read's document as "refresh".
json::object RefreshReportToJson(const service::RefreshReport& report);
// The summary of one usage poll (POST /api/accounts/{id}/usage/refresh): state ok|stale, error_code / error_message
// (the snapshot's safe text; null when ok), counts, partial metrics. AWS error details are not included.
json::object UsagePollReportToJson(const service::UsagePollReport& report, const std::string& error_message);
// History entries with their model and dimension resolved through the config (codes no longer configured keep
// model_id null).
json::array HistoryToJson(const std::vector<domain::QuotaHistoryEntry>& entries, const domain::QuotaConfig& config);
json::object DashboardStatsToJson(const service::DashboardStats& stats, int64_t now_ms);

Result<domain::Credentials> CredentialsFromJson(const json::object& obj, const std::string& prefix);
Result<service::NewAccount> NewAccountFromJson(const json::object& obj);
Result<service::AccountPatch> AccountPatchFromJson(const json::object& obj);
Result<domain::ContactInfo> ContactInfoFromJson(const json::object& obj);
// The PUT body of /api/admin/quota-config; `*expected_version` gets the required "version".
Result<domain::QuotaConfig> QuotaConfigFromJson(const json::object& obj, int64_t* expected_version);

}  // namespace ap::api
