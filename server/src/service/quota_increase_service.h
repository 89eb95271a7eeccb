// QuotaIncreaseService: quota increase requests (issue 14 §1) — what would be sent (preview), sending one
// (RequestServiceQuotaIncrease), reading where each stands (GetRequestedServiceQuotaChange) and finding the
// requests made outside the platform (ListRequestedServiceQuotaChangeHistoryByQuota, "sync").
//
// Checks before sending, in this order (the first that fails is the plan's problem; preview shows it, a request
// is refused with it): the caller may request for the account (Access::kAccountRequest: "forbidden"), the account
// exists and is active ("account_inactive"), the region is one of the account's ("region_not_enabled"), the
// model's dimension has a quota code ("no_quota_code"), the catalogue does not say the quota is not adjustable
// ("not_adjustable"; unknown adjustability is sent and AWS decides), the current cached value is known
// ("current_unknown": refresh first), the desired value is above it ("not_above_current"), no request of the
// quota is open ("open_request_exists": AWS allows one) and the account has fewer than max_open_per_account open
// requests ("account_open_limit": AWS allows 20). The open checks read the store (one key query each), so two
// instances sending for the same quota at the same moment may both pass them: AWS then refuses the second one
// (ResourceAlreadyExistsException → 409).
//
// Status changes: every read of AWS's status (Check, the tracker, Sync) goes through one conditional update
// (UpdateIncreaseRequest with the version read): a change of status is audited as quota_increase.status_changed;
// the update that records APPROVED also records approved_refresh_at_ms, and only the caller whose update won
// triggers the refresh of the (account, region) (`on_approved`): once, across threads and instances.
//
// Thread safety: safe from any thread. Blocking (AWS calls, credentials): never call on an HTTP I/O thread, except
// Preview, List and Get (store and cache reads only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/random.h"
#include "domain/quota_config.h"
#include "domain/quota_increase.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/authorizer.h"
#include "service/quota_config_service.h"
#include "service/quota_service.h"
#include "store/quota_increase_store.h"

namespace ap::service {

inline constexpr size_t kMaxIncreaseTargets = 500;

struct IncreaseOptions {
  std::string service_code = "bedrock";  // the Service Quotas service of the configured codes
  int64_t max_open_per_account = 20;     // AWS's limit of open requests per account
  // Called once per request whose APPROVED status this instance recorded first (see the file comment), with
  // no lock held, on the thread that read the status: triggers the quota refresh. Must not block. Null: none.
  std::function<void(const std::string& account_id, const std::string& region)> on_approved;
};

// What to ask for: a model's dimension, the new value and an optional note kept in the platform.
struct IncreaseSpec {
  std::string model_id;
  std::string dimension;  // "tpm" | "rpm" | "tpm_1m" | "rpm_1m"
  double desired_value = 0;
  std::string reason;
};

struct IncreaseTarget {
  std::string account_id;
  std::string region;
};

// Why a request would be refused before sending. `code` is one of the problem codes of the file comment.
struct IncreaseProblem {
  std::string code;
  std::string message;
};

// What would be sent for one target, and whether it would be.
struct IncreasePlan {
  std::string account_id;
  std::optional<std::string> account_name;  // nullopt when the account does not exist or may not be read
  std::string region;
  std::string quota_code;  // "" when the model has no code for the dimension (or is unknown)
  std::string quota_name;  // from the catalogue; "" when unknown
  std::optional<double> current_value;
  double desired_value = 0;
  std::string service_code;
  std::optional<IncreaseProblem> problem;  // nullopt: will be sent
};

struct IncreaseListQuery {
  std::string account_id;  // "" = the fleet (admins only)
  std::optional<domain::IncreaseStatus> status;
  bool open_only = false;
  std::string cursor;
  int64_t limit = 50;  // 1..200
};

struct IncreaseSyncFailure {
  std::string region;
  std::string quota_code;
  std::string error;
};

struct IncreaseSyncReport {
  int64_t found = 0;    // requests stored for the first time (source external)
  int64_t updated = 0;  // known requests whose AWS state changed
  std::vector<IncreaseSyncFailure> failed;
};

// How a send failed at AWS (for the API's mapping: `upstream` → 502 aws_error, else the Status as usual).
struct IncreaseSendError {
  bool upstream = false;
};

class QuotaIncreaseService {
 public:
  // Every reference must outlive this.
  QuotaIncreaseService(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
                       AccountCredentials& credentials, aws::ServiceQuotas& service_quotas,
                       store::QuotaIncreaseStore& store, Authorizer& authorizer, AuditService& audit,
                       const Clock& clock, Random& random, IncreaseOptions options);

  // OK, or InvalidArgument naming "model_id" (empty or not in the quota config), "dimension", "desired_value"
  // or "reason".
  Status ValidateSpec(const IncreaseSpec& spec);
  // InvalidArgument("targets") for none or more than kMaxIncreaseTargets, ("targets[i].account_id" /
  // "targets[i].region") for a malformed one or a repeated pair.
  static Status ValidateTargets(const std::vector<IncreaseTarget>& targets);

  // The plans of every target, in order (ValidateSpec and ValidateTargets first). No AWS call, nothing written.
  Result<std::vector<IncreasePlan>> Preview(const RequestContext& ctx, const IncreaseSpec& spec,
                                            const std::vector<IncreaseTarget>& targets);
  // The plan of one target. REQUIRES: ValidateSpec(spec) is OK.
  IncreasePlan Plan(const Principal& principal, const IncreaseTarget& target, const IncreaseSpec& spec);

  // Checks (the plan) and sends one request, stores it and audits quota_increase.request. Refusals: NotFound
  // (account), PermissionDenied (forbidden), InvalidArgument("region" | "dimension" | "desired_value"),
  // FailedPrecondition (account inactive, open request, account limit). AWS: AlreadyExists / FailedPrecondition
  // (ResourceAlreadyExists, QuotaExceeded) → FailedPrecondition; InvalidArgument → InvalidArgument("desired_value");
  // NotFound → InvalidArgument("model_id"); anything else (credentials, throttling, outage): its Status with
  // err->upstream set. A request AWS refused is not stored. REQUIRES: ValidateSpec(spec) is OK.
  Result<domain::QuotaIncreaseRequest> Request(const RequestContext& ctx, const IncreaseTarget& target,
                                               const IncreaseSpec& spec, IncreaseSendError* err = nullptr);

  // One page. Admins: any filter; users must name an account they may read (InvalidArgument("account_id")
  // without one, PermissionDenied / NotFound). InvalidArgument("limit" | "cursor" | "status").
  Result<store::IncreaseRequestPage> List(const RequestContext& ctx, const IncreaseListQuery& query);
  // The request; NotFound when absent; PermissionDenied unless the caller may read its account.
  Result<domain::QuotaIncreaseRequest> Get(const RequestContext& ctx, const std::string& request_id);
  // Whether the caller may request increases for the account (Access::kAccountRequest).
  bool MayRequest(const Principal& principal, const std::string& account_id);

  // Reads the request's status from AWS now and stores it (see the file comment); audited as
  // quota_increase.check. An AWS failure is not an error: the request keeps its status, check_error says why.
  // NotFound, PermissionDenied (Access::kAccountRequest on its account), FailedPrecondition when another
  // update won (retry).
  Result<domain::QuotaIncreaseRequest> Check(const RequestContext& ctx, const std::string& request_id);
  // Check without the access check and audit entry: for the tracker (system).
  Result<domain::QuotaIncreaseRequest> CheckStored(const RequestContext& ctx, const domain::QuotaIncreaseRequest& req);

  // Reads AWS's history of every configured code in every region of the account, stores the unknown requests
  // (source external) and updates the known ones. NotFound (account), FailedPrecondition (inactive). Audited as
  // quota_increase.sync (also from the tracker, as the system). Access is the caller's (api: kAccountRequest).
  Result<IncreaseSyncReport> Sync(const RequestContext& ctx, const std::string& account_id);

  const IncreaseOptions& options() const { return options_; }
  // The catalogue's name of a quota code; "" when the catalogue does not have it.
  std::string QuotaName(const std::string& code) const;

 private:
  // Applies AWS's answer `change` (or the read error `read_error`) to `req` with one conditional update; audits
  // a change of status and triggers the APPROVED refresh. Returns the stored request.
  Result<domain::QuotaIncreaseRequest> Apply(const RequestContext& ctx, const domain::QuotaIncreaseRequest& req,
                                             const aws::RequestedQuotaChange* change, const Status& read_error,
                                             bool* changed = nullptr);

  AccountService& accounts_;
  QuotaConfigService& config_;
  QuotaService& quota_;
  AccountCredentials& credentials_;
  aws::ServiceQuotas& service_quotas_;
  store::QuotaIncreaseStore& store_;
  Authorizer& authorizer_;
  AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  const IncreaseOptions options_;
};

// The dimension named `key` ("tpm" | "rpm" | "tpm_1m" | "rpm_1m"); nullopt for any other text.
std::optional<domain::QuotaDimension> ParseIncreaseDimension(std::string_view key);

}  // namespace ap::service
