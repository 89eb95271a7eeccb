// ModelDiscovery: which Claude models an AWS account actually has quotas for, so that an admin can add a new
// model to the quota config without a release.
//
// Lists every "bedrock" quota of an account and region (ListServiceQuotas and ListAWSDefaultServiceQuotas,
// every page), parses each name with domain::ParseQuotaName, keeps the Claude tokens/requests-per-minute
// quotas of the asked scope and minimum version, and groups their codes into models (TPM, RPM, 1M TPM,
// 1M RPM). When AWS cannot be asked (no account, no credentials, an error) the built-in catalogue answers,
// flagged as such with the reason. Results are cached (per account, region and filters) with their time.
//
// Thread safety: safe from any thread. Blocking (AWS calls): never call on an HTTP I/O thread.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "domain/catalogue.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/quota_config_service.h"

namespace ap::service {

struct DiscoveryQuery {
  std::string account_id;                     // empty: any active account
  std::string region;                         // empty: that account's first region
  std::string scope = "global-cross-region";  // or "cross-region", "on-demand", "any"
  double min_version = 4.5;                   // 0: every version
  bool refresh = false;                       // true: ask AWS again even when a cached result exists
};

struct DiscoveredModel {
  std::string model_id;      // suggested, in the original product's naming ("claude-sonnet-4.5-v1")
  std::string display_name;  // "Claude Sonnet 4.5 V1"
  std::string scope;
  std::optional<double> version;
  std::optional<std::string> quota_code_tpm, quota_code_rpm, quota_code_tpm_1m, quota_code_rpm_1m;
  // Tokens of the TPM quota one output token consumes: the catalogue's value for the first of the model's codes
  // that has one (TPM, RPM, TPM 1M, RPM 1M), else domain::kDefaultOutputTokenBurndown.
  int output_token_burndown = domain::kDefaultOutputTokenBurndown;
  bool in_config = false;  // the config already has this model (by id or by code)
};

struct DiscoveryResult {
  std::vector<DiscoveredModel> models;  // by version, then model id
  std::string source;                   // "aws" | "catalogue"
  std::string fallback_reason;          // why the catalogue answered (empty for "aws")
  std::string account_id, region;       // what AWS was asked (empty for the catalogue)
  int64_t quotas_seen = 0;              // bedrock quotas listed (aws) or catalogue entries
  int64_t discovered_at_ms = 0;
};

class ModelDiscovery {
 public:
  ModelDiscovery(AccountService& accounts, AccountCredentials& credentials, aws::ServiceQuotas& service_quotas,
                 QuotaConfigService& config, const Clock& clock, std::vector<domain::CatalogueQuota> catalogue,
                 Duration cache_ttl = std::chrono::hours(1));

  // InvalidArgument("scope" / "region" / "account_id") for malformed filters; NotFound for an unknown account.
  // AWS failures are not errors: the catalogue answers instead.
  Result<DiscoveryResult> Discover(const DiscoveryQuery& query);

 private:
  struct Named {
    std::string code, name;
  };
  DiscoveryResult Group(const std::vector<Named>& quotas, const DiscoveryQuery& query) const;
  void MarkInConfig(DiscoveryResult* result);

  AccountService& accounts_;
  AccountCredentials& credentials_;
  aws::ServiceQuotas& service_quotas_;
  QuotaConfigService& config_;
  const Clock& clock_;
  const std::vector<domain::CatalogueQuota> catalogue_;
  const Duration cache_ttl_;
  Mutex mu_;
  std::map<std::string, DiscoveryResult> cache_ GUARDED_BY(mu_);
};

}  // namespace ap::service
