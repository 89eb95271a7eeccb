// The plain HTTP request and response the AWS client builds, signs and sends. No Beast, no curl types: the
// signer works on HttpRequest, a Transport turns it into bytes on the wire.
//
// Conventions:
//  - `path` is the path exactly as it goes on the wire (already percent-encoded by whoever built it; our
//    clients only use plain ASCII paths like "/" and "/getContactInformation").
//  - `query` holds decoded (name, value) pairs in the caller's order; the wire form and the canonical form
//    are both produced with UriEncode() below, so the signer and the transport agree byte for byte.
//  - `headers` keeps the caller's order, case and duplicates (the signer lower-cases and merges them).
//
// Thread safety: value types. The free functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ap::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string scheme = "https";  // "https" or "http"
  std::string host;              // "sts.us-east-1.amazonaws.com", "127.0.0.1", "::1" (no brackets)
  uint16_t port = 0;             // 0 = the scheme's default port
  std::string path = "/";        // wire form, starts with '/'
  QueryParams query;             // decoded
  HeaderList headers;
  std::string body;

  // "host" or "host:port" (IPv6 literals bracketed), the value of the Host header. The port is left out when
  // it is 0 or the scheme's default.
  std::string HostHeaderValue() const;
  // scheme://authority/path?query, the query encoded with UriEncode (RFC 3986 unreserved set).
  std::string Url() const;

  // The first header named `name` (case-insensitive); nullptr when absent.
  const std::string* FindHeader(std::string_view name) const;
  // Replaces every header named `name` (case-insensitive) with one `name: value`, appended at the end.
  void SetHeader(std::string_view name, std::string value);
  void RemoveHeader(std::string_view name);
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names lower-cased by the transport
  std::string body;

  const std::string* FindHeader(std::string_view name) const;
};

// Percent-encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) as %XX (upper-case hex).
// '/' is kept when `keep_slash` (for paths).
std::string UriEncode(std::string_view in, bool keep_slash = false);
// Decodes %XX escapes (a malformed escape is kept literally). '+' is left alone (it is not a space in URLs).
std::string UriDecode(std::string_view in);
// name=value&... with UriEncode on both sides, in the given order (form bodies and query strings).
std::string EncodeForm(const QueryParams& params);

// The parts of an absolute http(s) URL. InvalidArgument for anything else (other schemes, user info, a
// fragment, an empty host, a bad port).
struct ParsedUrl {
  std::string scheme;  // lower-cased
  std::string host;    // lower-cased, IPv6 without brackets
  uint16_t port = 0;   // 0 when absent
  std::string path;    // "" when absent
  std::string query;   // raw, without '?'
};
Result<ParsedUrl> ParseUrl(std::string_view url);

// True for 127.0.0.0/8, ::1 and "localhost" (the only hosts plain http is allowed to reach by default).
bool IsLoopbackHost(std::string_view host);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);

}  // namespace ap::aws
