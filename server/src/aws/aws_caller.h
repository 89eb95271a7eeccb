// AwsCaller: one signed AWS call with retries — the plumbing every service client shares:
//   resolve the endpoint → for each attempt: wait for the client-side rate limit → build and sign the request
//   (a fresh X-Amz-Date per attempt) → send → 2xx is success, anything else is parsed into an AwsError → the
//   retry strategy decides whether to back off and try again.
// Internal to aws/: service clients build a CallSpec and decode the response body.
//
// Thread safety: Call() is safe from many threads (everything it uses is). Ownership: references only; the
// factory (aws_clients.cc) keeps the referenced objects alive at least as long as the caller.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "aws/aws_error.h"
#include "aws/endpoints.h"
#include "aws/http_request.h"
#include "aws/rate_limiter.h"
#include "aws/retry.h"
#include "aws/sigv4_signer.h"
#include "aws/transport.h"
#include "aws/types.h"

namespace ap::aws {

// Told about every finished call (after its retries): service ("servicequotas"), operation, outcome ("ok" or
// the AWS error code / "transport"), attempts and wall seconds. For metrics; must be cheap and thread-safe.
using CallObserver = std::function<void(std::string_view service, std::string_view operation, std::string_view outcome,
                                        int attempts, double seconds)>;

struct CallSpec {
  AwsService service = AwsService::kSts;
  std::string operation;  // "GetServiceQuota": the rate-limit key and the name in error messages
  std::string method = "POST";
  std::string path = "/";  // appended to the endpoint's base path
  QueryParams query;
  HeaderList headers;  // Content-Type, X-Amz-Target, … (Host, X-Amz-*, Authorization are added by the signer)
  std::string body;
};

// The CallSpec of a JSON-protocol operation (JSON 1.0 / 1.1): POST / with `content_type` (e.g.
// "application/x-amz-json-1.1") and `X-Amz-Target: <target_prefix><operation>`, `body` as given.
CallSpec JsonProtocolCall(AwsService service, std::string_view content_type, std::string_view target_prefix,
                          const std::string& operation, std::string body);

class AwsCaller {
 public:
  // `rate_limiter` may be null (no client-side limits).
  AwsCaller(Transport& transport, const SigV4Signer& signer, const EndpointResolver& endpoints, RetryStrategy& retry,
            RateLimiter* rate_limiter, CallObserver observer = {});

  // The 2xx response of the call. Errors: Unauthenticated when `creds` is empty; InvalidArgument for a bad region;
  // otherwise ToStatus(last attempt's AwsError, "<service> <operation>") (see clients.h for the mapping; the message
  // starts with the AWS code). *last_error (when not null) gets that AwsError.
  Result<HttpResponse> Call(const Credentials& creds, std::string_view region, const CallSpec& spec,
                            AwsError* last_error = nullptr);

 private:
  Transport& transport_;
  const SigV4Signer& signer_;
  const EndpointResolver& endpoints_;
  RetryStrategy& retry_;
  RateLimiter* rate_limiter_;
  CallObserver observer_;
};

}  // namespace ap::aws
