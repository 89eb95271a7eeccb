// AWS errors, parsed once from a response (JSON 1.1, REST-JSON, query/XML) or from a transport failure, and
// turned into the module's Status (the mapping documented in clients.h). No AWS error type leaves aws/.
//
// Thread safety: value types and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "aws/http_request.h"
#include "common/status.h"

namespace ap::aws {

// How the retry strategy treats a failed attempt.
enum class RetryKind {
  kNone,        // not retryable (a client error: bad input, auth, not found)
  kTransient,   // 5xx, RequestTimeout-style codes, a connection that failed or was reset
  kThrottling,  // Throttling, TooManyRequestsException, …
  kTimeout,     // the attempt timed out client-side (costs more retry quota)
};
std::string_view RetryKindName(RetryKind kind);

struct AwsError {
  int http_status = 0;     // 0 when no response arrived (transport failure)
  std::string code;        // "ThrottlingException", "InvalidClientTokenId"; empty for transport failures
  std::string message;     // AWS's message, or the transport's description
  std::string request_id;  // x-amzn-RequestId / x-amz-request-id / <RequestId>; may be empty
  RetryKind retry_kind = RetryKind::kNone;
  // For transport failures (http_status 0): the transport's Status code (Unavailable, DeadlineExceeded, …).
  StatusCode transport_code = StatusCode::kOk;
};

// Parses an error response (any status >= 300). The code comes from, in order: JSON `__type` (namespace before
// '#' and anything after ':' dropped), XML <Error><Code>, the x-amzn-ErrorType header; when none is found, a
// code is derived from the status ("HttpStatus503"). The message from JSON `message`/`Message`, XML
// <Error><Message>. Never fails.
AwsError ParseAwsError(const HttpResponse& response);

// A transport failure (a non-OK Status from Transport::Send): DeadlineExceeded → kTimeout, Unavailable →
// kTransient, anything else → kNone.
AwsError TransportError(const Status& status);

// The retry kind of a code and HTTP status (the "standard" retry mode's classification).
RetryKind ClassifyError(std::string_view code, int http_status);
bool IsThrottlingCode(std::string_view code);

// The Status for an error, message "<Code>: <Message>" (just the message for transport failures), followed by
// " (<context>, request id <id>)" — each part only when known; context is e.g. "servicequotas GetServiceQuota".
// The AWS code stays at the start of the message (the contract in clients.h):
//  Unauthenticated  InvalidClientTokenId, UnrecognizedClientException, SignatureDoesNotMatch,
//                   InvalidSignatureException, IncompleteSignature(Exception), MissingAuthenticationToken(Exception),
//                   ExpiredToken(Exception), AuthFailure, InvalidAccessKeyId, 401
//  PermissionDenied AccessDenied, AccessDeniedException, UnauthorizedOperation, 403 otherwise
//  NotFound         NoSuchResourceException, ResourceNotFoundException, NoSuchEntity, 404
//  InvalidArgument  ValidationException, ValidationError, IllegalArgumentException, InvalidPaginationTokenException,
//                   InvalidParameterValue, SerializationException, other 4xx without a better match
//  AlreadyExists    ResourceAlreadyExistsException
//  FailedPrecondition QuotaExceededException, DependencyAccessDeniedException, …Precondition…
//  ResourceExhausted throttling codes
//  Unavailable      5xx, transient codes, connection failures; DeadlineExceeded: client-side timeouts
Status ToStatus(const AwsError& error, std::string_view context = {});

}  // namespace ap::aws
