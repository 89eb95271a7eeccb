// The `health` command: asks a running server's GET /health and answers with an exit code, so that a container
// HEALTHCHECK needs no curl or wget in the image.
#pragma once

#include <ostream>
#include <string>

#include "aws/transport.h"
#include "common/status.h"

namespace ap::app {

// The probe URL for a server listening on `listen` (serve's --listen / AP_LISTEN, "host:port" or "[v6]:port"):
// http://host:port/health, with the wildcard addresses 0.0.0.0 and :: (and an empty host) replaced by the
// loopback address of their family. InvalidArgument naming --listen when `listen` has no port.
Result<std::string> HealthUrlForListen(const std::string& listen);

// GETs `url` (http://host[:port]/path; plain http reaches loopback only, https anywhere) through `transport`.
// OK when the answer is 200; Unavailable("GET <url>: HTTP 503") for another status; the transport's error as it is
// (Unavailable: refused, DeadlineExceeded: timed out; its message names the URL); InvalidArgument naming --url
// when `url` is not an http(s) URL with a host.
Status ProbeHealth(aws::Transport& transport, const std::string& url);

// The command: probes `url`, or when empty the URL derived from `listen`, with 2 s to connect and 5 s in all.
// Writes one line to `out` ("healthy: <url>") and returns 0 on a 200; writes one line with the reason to `err` and
// returns 1 otherwise.
int HealthCommand(const std::string& url, const std::string& listen, std::ostream& out, std::ostream& err);

}  // namespace ap::app
