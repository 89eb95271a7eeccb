// CurlTransport: the production Transport over libcurl's easy interface.
//
//  - Connection reuse: a pool of idle easy handles; a request borrows one and returns it, so its live
//    connections (keep-alive, TLS) serve the next request to the same host. The DNS cache and TLS session ids are
//    shared by all handles through one CURLSH (with locks). Connections themselves are not shared between handles:
//    libcurl documents connection-cache sharing as unsafe across concurrent threads.
//  - TLS verification is always on (peer and host name; system CA store unless ca_file is set). There is no switch
//    to turn it off.
//  - Destinations: https anywhere; plain http only to loopback hosts (127.0.0.0/8, ::1, localhost) and to the hosts
//    in plain_http_hosts (the metadata transport lists the ECS/EC2 link-local addresses). Redirects are not
//    followed; only the http and https protocols are enabled.
//  - Proxies: libcurl reads HTTPS_PROXY / https_proxy, http_proxy and NO_PROXY / no_proxy from the process
//    environment by itself, and we leave that alone (use_proxy = true) — that is how an operator routes the server
//    through an egress proxy. Loopback destinations never use a proxy; use_proxy = false (the metadata transport)
//    bypasses proxies for every destination.
//  - Limits: connect_timeout and total_timeout per request (DeadlineExceeded), responses larger than
//    max_response_bytes are cut off (Internal).
//  - curl_global_init runs once per process, on the first Create().
//
// Thread safety: Send() is safe from many threads at once. Ownership: owns its handles; destroy it only after every
// Send() has returned.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/transport.h"
#include "common/clock.h"

namespace ap::aws {

struct CurlTransportOptions {
  // Time to establish the TCP (and TLS) connection. Default 3 s.
  Duration connect_timeout = std::chrono::seconds(3);
  // Time for the whole request, connect included. Default 15 s.
  Duration total_timeout = std::chrono::seconds(15);
  // Larger responses fail with Internal. Default 10 MiB.
  size_t max_response_bytes = size_t{10} * 1024 * 1024;
  // Keep connections open between requests (default true). false = a fresh connection for every request (for
  // benchmarks).
  bool reuse_connections = true;
  // Idle easy handles kept for reuse; more concurrent requests than this still work, their handles are freed.
  // Default 64.
  size_t max_idle_handles = 64;
  // Hosts (exact, lower-case) that plain http may reach besides loopback. Default none.
  std::vector<std::string> plain_http_hosts;
  // Honour the proxy environment variables (see above). Default true.
  bool use_proxy = true;
  // CA bundle file; empty = libcurl's default (the system store). Default empty.
  std::string ca_file;
  // User-Agent header (not signed). Default "account-platform".
  std::string user_agent = "account-platform";
};

class CurlTransport final : public Transport {
 public:
  // Initialises libcurl (once per process) and the shared DNS / TLS-session cache. Internal if libcurl fails to
  // initialise.
  static Result<std::unique_ptr<CurlTransport>> Create(CurlTransportOptions options = {});
  ~CurlTransport() override;

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  const CurlTransportOptions& options() const { return options_; }

 private:
  struct Impl;
  explicit CurlTransport(CurlTransportOptions options);

  const CurlTransportOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ap::aws
