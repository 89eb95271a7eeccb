// The HTTP/1.1 server: accepts connections, reads requests within size and time limits, hands application
// requests to one Handler and serves everything else from a static web root (the SPA).
//
// Beast and Asio stay behind a pimpl so that including this header is cheap for app/ and for tests.
//
// Typical use (app/):
//   http::Server server(options, handler, random);
//   if (Status s = server.Start(); !s.ok()) { /* print s, exit 1 */ }
//   server.HandleSignals();
//   server.Run();  // returns after SIGINT/SIGTERM and a graceful drain
//
// Thread safety: Start(), HandleSignals() and Run() are called from one thread, in that order. Shutdown() and
// port() are safe from any thread at any time. The handler is called concurrently from the I/O threads.
// Ownership: the server owns its sockets and threads; the caller keeps `random` alive for the server's lifetime.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/random.h"
#include "common/status.h"
#include "http/address_set.h"
#include "http/message.h"

namespace ap::http {

struct ServerOptions {
  // Where to listen: "host:port" with an IP literal or "localhost"; IPv6 in brackets ("[::1]:8080").
  // Port 0 binds any free port (read it back with Server::port()). Default "127.0.0.1:8080".
  std::string listen = "127.0.0.1:8080";

  // Number of I/O threads running the event loop. 0 (default) = std::thread::hardware_concurrency().
  int threads = 0;

  // Directory of the built web app (index.html, assets/...). Empty (default) = no static files: every
  // non-application path answers 404.
  std::string web_root;

  // Percent-decoded path prefixes that go to the Handler; every other path is a static file. A prefix ending in
  // '/' matches paths starting with it; other prefixes match exactly or followed by '/' ("/health" matches
  // "/health" and "/health/db", not "/healthz"). Default: /api/, /api, /health, /ready, /metrics.
  std::vector<std::string> app_prefixes = {"/api/", "/api", "/health", "/ready", "/metrics"};

  // Largest request line + header block accepted; larger → 431 and the connection is closed. Default 16 KiB.
  size_t max_header_bytes = size_t{16} * 1024;

  // Largest request body accepted (Content-Length or chunked); larger → 413 JSON error (code
  // "payload_too_large") and the connection is closed after the response. Default 1 MiB.
  size_t max_body_bytes = size_t{1024} * 1024;

  // Time allowed for the request line and headers, counted from the connection's accept (first request) or from
  // the first byte of a request (later requests on a keep-alive connection). Default 10 s.
  std::chrono::seconds header_timeout{10};
  // Time allowed to receive the request body once the headers are in. Default 30 s.
  std::chrono::seconds body_timeout{30};
  // Time allowed to send one response. Default 30 s.
  std::chrono::seconds write_timeout{30};
  // How long a keep-alive connection may wait for its next request before it is closed. Default 60 s.
  std::chrono::seconds idle_timeout{60};
  // Under pressure (more than 3/4 of max_connections open), the wait for a request's first byte — on a new
  // connection or a kept-alive one — is at most this long instead of header_timeout / idle_timeout, and every
  // connection accepted above 3/4 closes the oldest idle connections (waiting for a request, none in progress)
  // to bring the count back to 3/4. A client mid-request is never cut off. Default 5 s.
  std::chrono::seconds idle_timeout_under_pressure{5};
  // How long Shutdown() waits for in-flight requests before dropping the remaining connections. Default 15 s.
  std::chrono::seconds shutdown_grace{15};

  // Open connections allowed at once; a connection accepted beyond it is closed at once. Default 10000.
  size_t max_connections = 10000;

  // Open connections allowed at once from one client address (an IPv4 address; for IPv6 its /64, which one
  // client usually owns whole); a further connection from it is closed at once while other addresses are still
  // served. 0 = no per-address cap. Default 256.
  size_t max_connections_per_ip = 256;
  // Client addresses and CIDR blocks exempt from max_connections_per_ip: reverse proxies, which carry many
  // clients' connections. Default none.
  AddressSet unlimited_addresses;
};

class Server {
 public:
  // `random` generates request ids; it is only used under the server's own mutex, so any Random will do
  // (FakeRandom in tests). REQUIRES: `random` outlives the server.
  Server(ServerOptions options, Handler handler, Random& random);
  // REQUIRES: Run() has returned (or was never called), and no Responder handed to the handler is still held by
  // another thread: a late Responder would touch the destroyed event loop.
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Validates the options, opens the web root and binds and listens. Returns OK when the server is ready to
  // Run(); InvalidArgument for malformed options (listen address, web_root that is not a directory, negative
  // threads, zero limits); Unavailable("address 127.0.0.1:8080 is in use") when the port is taken and
  // Unavailable with the OS reason for any other bind/listen failure. Never throws. REQUIRES: called once.
  Status Start();

  // The bound port (the real one when options.listen asked for port 0). 0 before a successful Start().
  uint16_t port() const;

  // Installs SIGINT/SIGTERM handling: the first signal calls Shutdown(); a second one during the drain stops at
  // once. REQUIRES: Start() returned OK; called before Run(), at most once.
  void HandleSignals();

  // Runs the I/O threads (options.threads, the calling thread being one of them) and returns once Shutdown() has
  // completed: every connection closed, or shutdown_grace elapsed. Returns at once when Start() did not succeed.
  void Run();

  // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish (their responses carry
  // "Connection: close") for up to shutdown_grace, then drops what is left and makes Run() return. Idempotent;
  // safe from any thread, including before Run() (Run() then drains and returns) and from a handler.
  void Shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ap::http
