#include "domain/read_failure.h"

#include <algorithm>
#include <iterator>

namespace ap::domain {
namespace {

// The leading "<Code>: " of a reason ("" when it has none): a letter, then letters and digits.
std::string_view LeadingCode(std::string_view reason) {
  size_t colon = reason.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  std::string_view code = reason.substr(0, colon);
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  auto alnum = [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); };
  if (!alpha(code.front()) || !std::all_of(code.begin(), code.end(), alnum)) return {};
  return code;
}

template <size_t N>
bool In(const std::string_view (&codes)[N], std::string_view code) {
  return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

constexpr std::string_view kAccessDenied[] = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                                              "NotAuthorized", "DependencyAccessDeniedException"};
constexpr std::string_view kCredentials[] = {"CredentialsError",
                                             "InvalidClientTokenId",
                                             "UnrecognizedClientException",
                                             "SignatureDoesNotMatch",
                                             "InvalidSignatureException",
                                             "IncompleteSignature",
                                             "ExpiredToken",
                                             "ExpiredTokenException",
                                             "MissingAuthenticationToken",
                                             "AuthFailure",
                                             "InvalidAccessKeyId",
                                             "InvalidToken",
                                             "IncompleteSignatureException",
                                             "MissingAuthenticationTokenException"};
constexpr std::string_view kThrottled[] = {"Throttling",
                                           "ThrottlingException",
                                           "ThrottledException",
                                           "RequestThrottledException",
                                           "TooManyRequestsException",
                                           "RequestLimitExceeded",
                                           "RequestThrottled",
                                           "SlowDown",
                                           "ProvisionedThroughputExceededException",
                                           "BandwidthLimitExceeded",
                                           "LimitExceededException",
                                           "EC2ThrottledException"};
constexpr std::string_view kUnavailable[] = {
    "NetworkError",   "ServiceUnavailable",     "ServiceUnavailableException", "InternalFailure",
    "InternalError",  "InternalServerError",    "InternalServiceFault",        "ServiceException",
    "RequestTimeout", "RequestTimeoutException"};

}  // namespace

std::string_view ReadFailureKindName(ReadFailureKind kind) {
  switch (kind) {
    case ReadFailureKind::kAccessDenied:
      return "access_denied";
    case ReadFailureKind::kCredentials:
      return "credentials";
    case ReadFailureKind::kThrottled:
      return "throttled";
    case ReadFailureKind::kUnavailable:
      return "unavailable";
    case ReadFailureKind::kOther:
      return "other";
  }
  return "other";
}

ReadFailureKind ClassifyReadFailure(std::string_view reason) {
  std::string_view code = LeadingCode(reason);
  if (code.empty()) return ReadFailureKind::kOther;
  if (In(kAccessDenied, code)) return ReadFailureKind::kAccessDenied;
  if (In(kCredentials, code)) return ReadFailureKind::kCredentials;
  if (In(kThrottled, code)) return ReadFailureKind::kThrottled;
  if (In(kUnavailable, code)) return ReadFailureKind::kUnavailable;
  return ReadFailureKind::kOther;
}

std::string ReadFailureReason(const Status& status, bool credentials) {
  const std::string& message = status.message();
  if (!LeadingCode(message).empty()) return message;
  switch (status.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return "NetworkError: " + message;
    case StatusCode::kResourceExhausted:
      return "Throttling: " + message;
    case StatusCode::kUnauthenticated:
      return "CredentialsError: " + message;
    default:
      return credentials ? "CredentialsError: " + message : message;
  }
}

LastRefresh SummarizeLastRefresh(const QuotaSnapshot& snapshot) {
  LastRefresh r;
  for (const QuotaValue& v : snapshot.values) r.at_ms = std::max(r.at_ms, v.attempted_at_ms);
  if (r.at_ms == 0) return r;
  for (const QuotaValue& v : snapshot.values) {  // sorted by code: the first failure is the first code's
    if (v.attempted_at_ms != r.at_ms) continue;
    if (v.state == QuotaState::kOk) {
      ++r.read;
    } else {
      ++r.failed;
      if (r.reason.empty()) r.reason = v.reason;
    }
  }
  return r;
}

std::string_view LastRefreshStateName(const LastRefresh& r) {
  if (r.failed == 0) return "ok";
  return r.read == 0 ? "failed" : "partial";
}

}  // namespace ap::domain
