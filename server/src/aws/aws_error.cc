#include "aws/aws_error.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "aws/wire.h"
#include "aws/xml.h"

namespace ap::aws {
namespace {

constexpr std::array<std::string_view, 15> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
    "Throttled",      // SNS (ThrottledException on the query protocol)
    "KMSThrottling",  // SNS, publishing to a topic encrypted with KMS
};

constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view code) {
  return std::find(set.begin(), set.end(), code) != set.end();
}

// "aws.protocoltests#ValidationException:http://internal..." → "ValidationException".
std::string NormalizeCode(std::string_view raw) {
  size_t hash = raw.rfind('#');
  if (hash != std::string_view::npos) raw = raw.substr(hash + 1);
  size_t colon = raw.find(':');
  if (colon != std::string_view::npos) raw = raw.substr(0, colon);
  while (!raw.empty() && (raw.front() == ' ')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ')) raw.remove_suffix(1);
  return std::string(raw);
}

bool ParseJsonError(std::string_view body, AwsError* out) {
  Result<boost::json::object> parsed = ParseJsonObject(body, "error body");
  if (!parsed.ok()) return false;
  const boost::json::object& obj = *parsed;
  std::string code = JsonStr(obj, "__type");
  if (code.empty()) code = JsonStr(obj, "code");
  if (code.empty()) code = JsonStr(obj, "Code");
  if (!code.empty()) out->code = NormalizeCode(code);
  out->message = JsonStr(obj, "message");
  if (out->message.empty()) out->message = JsonStr(obj, "Message");
  if (out->message.empty()) out->message = JsonStr(obj, "errorMessage");
  // REST-JSON validation errors (Account API) name the offending fields in fieldList.
  if (auto it = obj.find("fieldList"); it != obj.end() && it->value().is_array()) {
    std::string fields;
    for (const auto& f : it->value().get_array()) {
      if (!f.is_object()) continue;
      if (!fields.empty()) fields += "; ";
      fields += JsonStr(f.get_object(), "name") + ": " + JsonStr(f.get_object(), "message");
    }
    if (!fields.empty()) out->message += (out->message.empty() ? "" : ": ") + fields;
  }
  return true;
}

bool ParseXmlError(std::string_view body, AwsError* out) {
  Result<XmlElement> doc = ParseXml(body);
  if (!doc.ok()) return false;
  const XmlElement& root = *doc;
  const XmlElement* error = nullptr;
  if (root.name == "ErrorResponse")
    error = root.Child("Error");  // query protocol (STS, IAM)
  else if (root.name == "Error")
    error = &root;  // REST-XML (S3)
  else if (root.name == "Response")
    error = root.Find({"Errors", "Error"});  // EC2
  if (error == nullptr) return false;
  out->code = NormalizeCode(error->TextAt({"Code"}));
  out->message = error->TextAt({"Message"});
  std::string rid = root.TextAt({"RequestId"});
  if (rid.empty()) rid = root.TextAt({"RequestID"});
  if (!rid.empty()) out->request_id = rid;
  return true;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

}  // namespace

std::string_view RetryKindName(RetryKind kind) {
  switch (kind) {
    case RetryKind::kNone:
      return "none";
    case RetryKind::kTransient:
      return "transient";
    case RetryKind::kThrottling:
      return "throttling";
    case RetryKind::kTimeout:
      return "timeout";
  }
  return "none";
}

bool IsThrottlingCode(std::string_view code) { return In(kThrottlingCodes, code); }

RetryKind ClassifyError(std::string_view code, int http_status) {
  if (IsThrottlingCode(code) || http_status == 429) return RetryKind::kThrottling;
  if (In(kTransientCodes, code)) return RetryKind::kTransient;
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return RetryKind::kTransient;
  }
  return RetryKind::kNone;
}

AwsError ParseAwsError(const HttpResponse& response) {
  AwsError err;
  err.http_status = response.status;
  for (std::string_view name : {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"}) {
    if (const std::string* rid = response.FindHeader(name); rid != nullptr && !rid->empty()) {
      err.request_id = *rid;
      break;
    }
  }
  std::string_view body = Trimmed(response.body);
  bool parsed = false;
  if (!body.empty() && body.front() == '{')
    parsed = ParseJsonError(body, &err);
  else if (!body.empty() && body.front() == '<')
    parsed = ParseXmlError(body, &err);
  if (err.code.empty()) {
    // REST-JSON services (the Account API) name the error in a header.
    if (const std::string* type = response.FindHeader("x-amzn-errortype"); type != nullptr) {
      err.code = NormalizeCode(*type);
    }
  }
  if (err.code.empty()) err.code = "HttpStatus" + std::to_string(response.status);
  if (err.message.empty() && !parsed) {
    // A gateway's HTML page or plain text: keep a short, single-line excerpt for the logs.
    std::string excerpt(body.substr(0, 200));
    std::replace_if(
        excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    err.message = excerpt.empty() ? "HTTP " + std::to_string(response.status) : excerpt;
  }
  err.retry_kind = ClassifyError(err.code, err.http_status);
  return err;
}

AwsError TransportError(const Status& status) {
  AwsError err;
  err.message = status.message();
  switch (status.code()) {
    case StatusCode::kDeadlineExceeded:
      err.retry_kind = RetryKind::kTimeout;
      break;
    case StatusCode::kUnavailable:
      err.retry_kind = RetryKind::kTransient;
      break;
    default:
      err.retry_kind = RetryKind::kNone;
      break;
  }
  // Kept for ToStatus (e.g. InvalidArgument for a URL the transport refuses).
  err.transport_code = status.ok() ? StatusCode::kUnavailable : status.code();
  return err;
}

Status ToStatus(const AwsError& error, std::string_view context) {
  std::string suffix;
  if (!context.empty() || !error.request_id.empty()) {
    suffix = " (";
    suffix += context;
    if (!context.empty() && !error.request_id.empty()) suffix += ", ";
    if (!error.request_id.empty()) suffix += "request id " + error.request_id;
    suffix += ")";
  }
  if (error.http_status == 0) {
    StatusCode code = error.transport_code == StatusCode::kOk ? StatusCode::kUnavailable : error.transport_code;
    return Status(code, error.message + suffix);
  }
  const std::string& c = error.code;
  std::string message = c + ": " + error.message + suffix;
  auto any = [&](std::initializer_list<std::string_view> codes) {
    return std::find(codes.begin(), codes.end(), c) != codes.end();
  };
  if (any({"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException",
           "IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken",
           "MissingAuthenticationTokenException", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
           "InvalidAccessKeyId", "InvalidToken"})) {
    return Unauthenticated(std::move(message));
  }
  if (any({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "NotAuthorized"})) {
    return PermissionDenied(std::move(message));
  }
  if (any({"NoSuchResourceException", "ResourceNotFoundException", "NoSuchEntity", "NotFoundException",
           "ParentNotFoundException", "OrganizationalUnitNotFoundException", "ChildNotFoundException"})) {
    return NotFound(std::move(message));
  }
  if (any({"ResourceAlreadyExistsException", "AlreadyExistsException", "EntityAlreadyExists"})) {
    return AlreadyExists(std::move(message));
  }
  if (any({"ValidationException", "ValidationError", "IllegalArgumentException", "InvalidPaginationTokenException",
           "InvalidParameterValue", "InvalidParameterException", "InvalidInputException", "SerializationException",
           "MalformedPolicyDocument"})) {
    return InvalidArgument(std::move(message));
  }
  if (any({"QuotaExceededException", "DependencyAccessDeniedException", "NoAvailableOrganizationException",
           "AWSServiceAccessNotEnabledException", "OrganizationNotInAllFeaturesModeException",
           "TemplatesNotAvailableInRegionException", "RegionDisabledException", "ConflictException",
           "AWSOrganizationsNotInUseException"})) {
    return FailedPrecondition(std::move(message));
  }
  switch (error.retry_kind) {
    case RetryKind::kThrottling:
      return ResourceExhausted(std::move(message));
    case RetryKind::kTransient:
      return Unavailable(std::move(message));
    case RetryKind::kTimeout:
      return DeadlineExceeded(std::move(message));
    case RetryKind::kNone:
      break;
  }
  int s = error.http_status;
  if (s == 401) return Unauthenticated(std::move(message));
  if (s == 403) return PermissionDenied(std::move(message));
  if (s == 404) return NotFound(std::move(message));
  if (s == 409) return FailedPrecondition(std::move(message));
  if (s >= 500) return Unavailable(std::move(message));
  if (s >= 400) return InvalidArgument(std::move(message));
  return Internal(std::move(message));
}

}  // namespace ap::aws
