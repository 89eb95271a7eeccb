#include "domain/quota_increase.h"

#include <cmath>

#include "common/utf8.h"
#include "domain/account.h"
#include "domain/ids.h"
#include "domain/quota_config.h"

namespace ap::domain {
namespace {

constexpr IncreaseStatus kAllStatuses[] = {
    IncreaseStatus::kPending,    IncreaseStatus::kCaseOpened,  IncreaseStatus::kApproved,       IncreaseStatus::kDenied,
    IncreaseStatus::kCaseClosed, IncreaseStatus::kNotApproved, IncreaseStatus::kInvalidRequest,
};

// The largest time the stores can order (16 decimal digits: DynamoDB sort keys).
constexpr int64_t kMaxTimeMs = 9'999'999'999'999'999;

// Code points of valid UTF-8 text: every byte that does not continue a sequence starts one.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Status CheckTime(int64_t ms, const char* field) {
  if (ms < 0 || ms > kMaxTimeMs) return InvalidArgument("must be between 0 and 9999999999999999", field);
  return Status::Ok();
}

}  // namespace

std::string_view IncreaseStatusName(IncreaseStatus s) {
  switch (s) {
    case IncreaseStatus::kPending:
      return "PENDING";
    case IncreaseStatus::kCaseOpened:
      return "CASE_OPENED";
    case IncreaseStatus::kApproved:
      return "APPROVED";
    case IncreaseStatus::kDenied:
      return "DENIED";
    case IncreaseStatus::kCaseClosed:
      return "CASE_CLOSED";
    case IncreaseStatus::kNotApproved:
      return "NOT_APPROVED";
    case IncreaseStatus::kInvalidRequest:
      return "INVALID_REQUEST";
  }
  return "INVALID_REQUEST";
}

Result<IncreaseStatus> ParseIncreaseStatus(std::string_view text) {
  for (IncreaseStatus s : kAllStatuses)
    if (text == IncreaseStatusName(s)) return s;
  return InvalidArgument("unknown increase request status \"" + std::string(Utf8Prefix(text, 64)) + "\"", "status");
}

bool IsOpen(IncreaseStatus s) { return s == IncreaseStatus::kPending || s == IncreaseStatus::kCaseOpened; }

std::string_view IncreaseSourceName(IncreaseSource s) {
  return s == IncreaseSource::kExternal ? "external" : "platform";
}

Result<IncreaseSource> ParseIncreaseSource(std::string_view text) {
  if (text == "platform") return IncreaseSource::kPlatform;
  if (text == "external") return IncreaseSource::kExternal;
  return InvalidArgument("unknown increase request source \"" + std::string(Utf8Prefix(text, 64)) + "\"", "source");
}

bool IsIncreaseDimension(std::string_view d) {
  return d.empty() || d == "tpm" || d == "rpm" || d == "tpm_1m" || d == "rpm_1m";
}

Status ValidateDesiredValue(double desired_value) {
  if (!std::isfinite(desired_value) || desired_value <= 0)
    return InvalidArgument("must be a finite number greater than 0", "desired_value");
  return Status::Ok();
}

Status ValidateIncreaseReason(std::string_view reason) {
  if (!IsValidUtf8(reason)) return InvalidArgument("must be valid UTF-8", "reason");
  if (CodePoints(reason) > kMaxIncreaseReasonChars)
    return InvalidArgument("at most " + std::to_string(kMaxIncreaseReasonChars) + " characters", "reason");
  return Status::Ok();
}

Status ValidateIncreaseInput(std::string_view account_id, std::string_view region, std::string_view quota_code,
                             double desired_value, std::string_view reason) {
  RETURN_IF_ERROR(ValidateAccountId(account_id, "account_id"));
  if (!IsKnownRegion(region)) return InvalidArgument("not a known region", "region");
  if (!IsQuotaCode(quota_code)) return InvalidArgument("must look like L-XXXXXXXX (8 hex digits)", "quota_code");
  RETURN_IF_ERROR(ValidateDesiredValue(desired_value));
  return ValidateIncreaseReason(reason);
}

Status ValidateIncreaseRequest(const QuotaIncreaseRequest& r) {
  RETURN_IF_ERROR(ValidateIncreaseInput(r.account_id, r.region, r.quota_code, r.desired_value, r.reason));
  if (TimeOfId(kIncreaseRequestIdPrefix, r.request_id) < 0)
    return InvalidArgument("must be an id made by NewTimeOrderedId(\"qr_\", …)", "request_id");
  if (r.aws_request_id.empty() || r.aws_request_id.size() > kMaxIncreaseAwsIdBytes || !IsValidUtf8(r.aws_request_id))
    return InvalidArgument("must be 1.." + std::to_string(kMaxIncreaseAwsIdBytes) + " bytes of UTF-8",
                           "aws_request_id");
  if (!IsIncreaseDimension(r.dimension))
    return InvalidArgument("must be tpm, rpm, tpm_1m, rpm_1m or empty", "dimension");
  if (r.dimension.empty() != r.model_id.empty())
    return InvalidArgument("is set exactly when model_id is set", "dimension");
  if (r.model_id.size() > 256 || !IsValidUtf8(r.model_id)) return InvalidArgument("at most 256 bytes", "model_id");
  if (r.value_at_request && !std::isfinite(*r.value_at_request))
    return InvalidArgument("must be finite", "value_at_request");
  if (r.requested_by.size() > 128 || !IsValidUtf8(r.requested_by))
    return InvalidArgument("at most 128 bytes", "requested_by");
  RETURN_IF_ERROR(CheckTime(r.created_at_ms, "created_at_ms"));
  RETURN_IF_ERROR(CheckTime(r.aws_created_ms, "aws_created_ms"));
  return ValidateIncreaseUpdate(r);
}

Status ValidateIncreaseUpdate(const QuotaIncreaseRequest& r) {
  if (r.case_id.size() > kMaxIncreaseAwsIdBytes || !IsValidUtf8(r.case_id))
    return InvalidArgument("at most " + std::to_string(kMaxIncreaseAwsIdBytes) + " bytes of UTF-8", "case_id");
  if (r.check_error.size() > kMaxIncreaseCheckErrorBytes || !IsValidUtf8(r.check_error))
    return InvalidArgument("at most " + std::to_string(kMaxIncreaseCheckErrorBytes) + " bytes of UTF-8", "check_error");
  RETURN_IF_ERROR(CheckTime(r.aws_updated_ms, "aws_updated_ms"));
  RETURN_IF_ERROR(CheckTime(r.checked_at_ms, "checked_at_ms"));
  return CheckTime(r.approved_refresh_at_ms, "approved_refresh_at_ms");
}

}  // namespace ap::domain
