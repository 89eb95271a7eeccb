#include "aws/aws_caller.h"

#include <chrono>

namespace ap::aws {

CallSpec JsonProtocolCall(AwsService service, std::string_view content_type, std::string_view target_prefix,
                          const std::string& operation, std::string body) {
  CallSpec spec;
  spec.service = service;
  spec.operation = operation;
  spec.body = std::move(body);
  spec.headers.emplace_back("Content-Type", std::string(content_type));
  spec.headers.emplace_back("X-Amz-Target", std::string(target_prefix) + operation);
  return spec;
}

AwsCaller::AwsCaller(Transport& transport, const SigV4Signer& signer, const EndpointResolver& endpoints,
                     RetryStrategy& retry, RateLimiter* rate_limiter, CallObserver observer)
    : transport_(transport),
      signer_(signer),
      endpoints_(endpoints),
      retry_(retry),
      rate_limiter_(rate_limiter),
      observer_(std::move(observer)) {}

Result<HttpResponse> AwsCaller::Call(const Credentials& creds, std::string_view region, const CallSpec& spec,
                                     AwsError* last_error) {
  const std::string what = std::string(SigningName(spec.service)) + " " + spec.operation;
  if (creds.empty()) return Unauthenticated(what + ": no credentials (access key id or secret is empty)");
  ASSIGN_OR_RETURN(Endpoint endpoint, endpoints_.Resolve(spec.service, region));

  auto started = std::chrono::steady_clock::now();
  int attempts = 0;
  auto attempt = [&](int /*n*/) -> RetryStrategy::Attempt {
    ++attempts;
    RetryStrategy::Attempt out;
    // Every attempt counts against AWS's request rate, retries included.
    if (rate_limiter_ != nullptr) rate_limiter_->Acquire(creds.access_key_id, endpoint.signing_region, spec.operation);
    HttpRequest req;
    req.method = spec.method;
    req.scheme = endpoint.scheme;
    req.host = endpoint.host;
    req.port = endpoint.port;
    req.path = endpoint.base_path + spec.path;
    req.query = spec.query;
    req.headers = spec.headers;
    req.body = spec.body;
    Status signed_ok = signer_.Sign(&req, creds, endpoint.signing_region, endpoint.signing_service);
    if (!signed_ok.ok()) {
      out.error = TransportError(signed_ok);  // InvalidArgument: not retryable
      return out;
    }
    Result<HttpResponse> sent = transport_.Send(req);
    if (!sent.ok()) {
      out.error = TransportError(sent.status());
    } else if (sent->status >= 200 && sent->status < 300) {
      out.response = std::move(sent).value();
    } else {
      out.error = ParseAwsError(*sent);
    }
    return out;
  };

  AwsError last;
  Result<HttpResponse> result = retry_.Run(attempt, &last);
  if (last_error != nullptr) *last_error = last;
  if (observer_) {
    std::string_view outcome = result.ok()         ? std::string_view("ok")
                               : last.code.empty() ? std::string_view("transport")
                                                   : std::string_view(last.code);
    observer_(SigningName(spec.service), spec.operation, outcome, attempts,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  if (!result.ok()) return ToStatus(last, what);
  return result;
}

}  // namespace ap::aws
