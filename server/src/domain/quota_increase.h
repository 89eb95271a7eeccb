// Quota increase requests (issue 14 §1): what the platform asked AWS Service Quotas for
// (RequestServiceQuotaIncrease), or found in AWS's history of an account (requests made outside the platform),
// and where each stands by AWS's last answer (GetRequestedServiceQuotaChange /
// ListRequestedServiceQuotaChangeHistoryByQuota). The store keeps one record per request
// (store/quota_increase_store.h); the tracker re-reads the open ones.
//
// Pure value types and functions; time is passed in (epoch milliseconds). Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ap::domain {

// AWS's RequestStatus, all seven. The wire and stored names are AWS's (IncreaseStatusName).
enum class IncreaseStatus {
  kPending,         // PENDING
  kCaseOpened,      // CASE_OPENED
  kApproved,        // APPROVED
  kDenied,          // DENIED
  kCaseClosed,      // CASE_CLOSED
  kNotApproved,     // NOT_APPROVED
  kInvalidRequest,  // INVALID_REQUEST
};
std::string_view IncreaseStatusName(IncreaseStatus s);  // "PENDING" | "CASE_OPENED" | … (AWS's spelling)
// The status AWS spells `text` (exactly, upper case); InvalidArgument("status") for any other text.
Result<IncreaseStatus> ParseIncreaseStatus(std::string_view text);
// True while AWS may still change the request: kPending, kCaseOpened. AWS allows one open request per quota.
bool IsOpen(IncreaseStatus s);

// Where the platform learnt of a request.
enum class IncreaseSource {
  kPlatform,  // sent by the platform (RequestServiceQuotaIncrease)
  kExternal,  // found in AWS's history of the account (made in the console, the CLI, another tool)
};
std::string_view IncreaseSourceName(IncreaseSource s);  // "platform" | "external"
// InvalidArgument("source") for any other text.
Result<IncreaseSource> ParseIncreaseSource(std::string_view text);

inline constexpr std::string_view kIncreaseRequestIdPrefix = "qr_";
inline constexpr size_t kMaxIncreaseReasonChars = 500;  // Unicode code points
// The longest AWS id / case id / error text the store keeps (AWS's ids are ~40 bytes; errors are cut by the
// service, never stored longer).
inline constexpr size_t kMaxIncreaseAwsIdBytes = 128;
inline constexpr size_t kMaxIncreaseCheckErrorBytes = 1000;

// One request. Fields "set by" the store are passed through as given: the store only checks and keeps them.
struct QuotaIncreaseRequest {
  std::string request_id;    // NewTimeOrderedId(kIncreaseRequestIdPrefix, created_at_ms, …): "qr_…"
  std::string account_id;    // 12 digits
  std::string region;        // a known region
  std::string quota_code;    // "L-XXXXXXXX" (IsQuotaCode)
  std::string model_id;      // the config model the code belongs to; "" when the code is in no configured model
  std::string dimension;     // "tpm" | "rpm" | "tpm_1m" | "rpm_1m" | "" (with model_id "")
  double desired_value = 0;  // > 0, finite
  std::optional<double> value_at_request;  // the cached value when sent; nullopt when unknown / external
  std::string reason;                      // platform-only note, ≤ kMaxIncreaseReasonChars; "" for external
  std::string aws_request_id;              // AWS's Id; never empty (a request AWS refused is not stored)
  std::string case_id;                     // AWS's CaseId; "" until AWS opens a support case
  IncreaseStatus status = IncreaseStatus::kPending;
  IncreaseSource source = IncreaseSource::kPlatform;
  std::string requested_by;            // user id; "" for external
  int64_t aws_created_ms = 0;          // AWS's Created; 0 when AWS did not say
  int64_t aws_updated_ms = 0;          // AWS's LastUpdated; 0 when AWS did not say
  int64_t created_at_ms = 0;           // when the platform stored it (the lists' order)
  int64_t checked_at_ms = 0;           // the last time AWS's status was read (0: never since created)
  std::string check_error;             // "" when the last read worked; else why it failed (never secrets)
  int64_t approved_refresh_at_ms = 0;  // 0 until the quota refresh after APPROVED was triggered
  int64_t version = 0;                 // optimistic concurrency: 1 when inserted, +1 per update

  bool open() const { return IsOpen(status); }
  bool operator==(const QuotaIncreaseRequest&) const = default;
};

// The dimension names of a config model's quota codes (quota_config.h): "tpm", "rpm", "tpm_1m", "rpm_1m".
// True also for "" (a code in no configured model).
bool IsIncreaseDimension(std::string_view dimension);

// ---- Validation (field names are the API's) ---------------------------------------------------------------
// OK, or InvalidArgument("desired_value") unless finite and > 0.
Status ValidateDesiredValue(double desired_value);
// OK, or InvalidArgument("reason") for text that is not valid UTF-8 or longer than kMaxIncreaseReasonChars code
// points.
Status ValidateIncreaseReason(std::string_view reason);
// What a client sends for one increase: OK, or InvalidArgument naming the first bad field of "account_id" (12
// digits), "region" (a known region), "quota_code" (IsQuotaCode), "desired_value", "reason".
Status ValidateIncreaseInput(std::string_view account_id, std::string_view region, std::string_view quota_code,
                             double desired_value, std::string_view reason);
// A whole record as the store accepts it: ValidateIncreaseInput's fields, then "request_id" (prefix "qr_"),
// "aws_request_id" (1..kMaxIncreaseAwsIdBytes), "case_id" (≤ kMaxIncreaseAwsIdBytes), "dimension"
// (IsIncreaseDimension; "" exactly when model_id is ""), "value_at_request" (finite when set), "check_error"
// (≤ kMaxIncreaseCheckErrorBytes), "created_at_ms" / "aws_created_ms" / … (0..9,999,999,999,999,999).
Status ValidateIncreaseRequest(const QuotaIncreaseRequest& r);
// The fields UpdateIncreaseRequest changes: "case_id", "check_error", "aws_updated_ms", "checked_at_ms",
// "approved_refresh_at_ms" as above.
Status ValidateIncreaseUpdate(const QuotaIncreaseRequest& r);

}  // namespace ap::domain
