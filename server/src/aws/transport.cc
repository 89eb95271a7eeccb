#include "aws/transport.h"

#include <algorithm>

namespace ap::aws {

Status CheckDestination(const HttpRequest& request, const std::vector<std::string>& plain_http_hosts) {
  if (request.host.empty()) return InvalidArgument("request has no host");
  if (request.scheme == "https") return Status::Ok();
  if (request.scheme != "http") return InvalidArgument("unsupported scheme '" + request.scheme + "'");
  if (IsLoopbackHost(request.host)) return Status::Ok();
  if (std::find(plain_http_hosts.begin(), plain_http_hosts.end(), request.host) != plain_http_hosts.end()) {
    return Status::Ok();
  }
  return InvalidArgument("plain http is only allowed to loopback hosts, not to " + request.host);
}

}  // namespace ap::aws
