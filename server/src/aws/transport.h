// Transport: sends one HttpRequest and returns the HttpResponse (any HTTP status). The AWS clients talk to AWS
// only through this interface; CurlTransport is the production implementation, testing/fake_transport.h the
// scripted one for unit tests.
#pragma once

#include <string>
#include <vector>

#include "aws/http_request.h"
#include "common/status.h"

namespace ap::aws {

// Thread safety: implementations are safe to call from many threads at once. Send() blocks.
class Transport {
 public:
  virtual ~Transport() = default;

  // Returns the response whatever its status code (4xx/5xx are responses, not errors). Errors:
  //  DeadlineExceeded  the connect or total timeout expired;
  //  Unavailable       no connection (refused, reset, DNS, TLS handshake or verification failure);
  //  InvalidArgument   the destination is refused (a scheme other than https, plain http to a host not allowed);
  //  Internal          the response exceeded the size limit, or an unexpected transport failure.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// The destination rule every transport applies: https anywhere; plain http only to loopback (127.0.0.0/8, ::1,
// localhost) or to a host listed in `plain_http_hosts` (the metadata transport lists 169.254.170.2 and friends).
// OK or InvalidArgument.
Status CheckDestination(const HttpRequest& request, const std::vector<std::string>& plain_http_hosts = {});

}  // namespace ap::aws
