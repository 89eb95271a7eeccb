// Small pure helpers of the HTTP server, kept apart from the Beast session so that they are unit-tested without
// sockets (test/http/request_util_test.cc). Private to http/: other modules use message.h and server.h.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::http {

// True when `id` may be echoed as a request id: 1–128 characters of [A-Za-z0-9._:-]. Anything else (a client
// could inject quotes or newlines into our logs) is replaced by a generated id.
bool IsValidRequestId(std::string_view id);

// True when the percent-decoded `path` belongs to the application rather than to the static files. A prefix
// ending in '/' matches any path that starts with it; any other prefix matches the path itself and paths below
// it ("/health" matches "/health" and "/health/db" but not "/healthz").
bool MatchesAppPrefix(std::string_view path, const std::vector<std::string>& prefixes);

// Splits a request target at the first '?': "/a/b?x=1" → path "/a/b", query "x=1". Neither part is decoded.
struct SplitTargetResult {
  std::string_view path;
  std::string_view query;
};
SplitTargetResult SplitTarget(std::string_view target);

// A parsed ServerOptions::listen: `host` is an IPv4 or IPv6 literal without brackets.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};
// Accepts "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" and "localhost:8080" (read as 127.0.0.1). Returns
// InvalidArgument naming the text for anything else: a missing or non-numeric port, a port above 65535, a host
// name (the server does not resolve names: a listen address must not depend on DNS at startup).
Result<ListenAddress> ParseListenAddress(std::string_view listen);

// True when an Accept-Encoding header value admits the content coding `coding` ("gzip", "br"; case-insensitive):
// an element naming it without q=0, or else a "*" without q=0 (an explicit element decides over "*").
bool AcceptsCoding(std::string_view accept_encoding, std::string_view coding);
inline bool AcceptsGzip(std::string_view accept_encoding) { return AcceptsCoding(accept_encoding, "gzip"); }

// The key a client address is counted under for ServerOptions::max_connections_per_ip: an IPv4 address as is,
// an IPv6 address as its /64 prefix ("2001:db8:1:2::/64"; a client is usually given a whole /64), an
// IPv4-mapped IPv6 address as the IPv4 address. Text that is no IP literal is returned unchanged.
std::string AddressKey(std::string_view ip);

// Whether a request's Transfer-Encoding can be honoured (RFC 9112 §6.1, §6.3). `fields` are the values of every
// Transfer-Encoding field of the request, in order (a list across fields, comma-separated within one).
enum class TransferEncodingVerdict {
  kNone,            // no Transfer-Encoding field: Content-Length (or nothing) frames the body
  kChunked,         // exactly "chunked" (case-insensitive): a chunked body
  kBadFraming,      // the final coding is not chunked, chunked is applied twice, an empty list, or HTTP/1.0:
                    // the body's length cannot be known → 400 and close (request smuggling otherwise)
  kNotImplemented,  // chunked last but another coding (gzip, ...) before it: we decode none → 501 and close
};
TransferEncodingVerdict CheckTransferEncoding(const std::vector<std::string_view>& fields, unsigned version);

// RFC 9110 token characters only; a handler-supplied header name outside them would corrupt the response.
bool IsValidHeaderName(std::string_view name);
// No CR, LF or NUL: those would let a value smuggle a header or a second response.
bool IsValidHeaderValue(std::string_view value);

}  // namespace ap::http
