// Turns the server's answers into Beast responses: the headers every response carries, framing (Content-Length,
// Connection), HEAD, and static files. Kept out of the session so that the session is only about I/O.
// Private to http/ (includes Beast).
//
// Thread safety: pure functions (they may log).
#pragma once

#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "http/message.h"
#include "http/static_files.h"

namespace ap::http {

using StringResponse = boost::beast::http::response<boost::beast::http::string_body>;
using FileResponse = boost::beast::http::response<boost::beast::http::file_body>;

// The Content-Security-Policy of every response, fitted to the built web app (web/dist): scripts, styles,
// fonts and API calls from our own origin only; no inline script or style elements or attributes (the app has
// none: React sets `style` props through the CSSOM, which CSP allows); images also as data: URLs (index.html's
// empty favicon is "data:,"); no plugins, no <base>, no framing (clickjacking), forms post only to us.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// no-referrer: the app needs no Referer (the server ignores it) and its URLs name accounts and users, which
// no other site — an outbound link, a script host — should learn; the stricter choice costs nothing here.
inline constexpr std::string_view kReferrerPolicy = "no-referrer";

// What a response needs to know about its request and connection.
struct ResponseContext {
  std::string_view request_id;
  unsigned request_version = 11;  // 10 or 11: a kept-alive HTTP/1.0 connection needs "Connection: keep-alive"
  bool head = false;              // HEAD: announce the length, send no body
  bool close = false;             // the connection closes after this response ("Connection: close")
};

// Fills *out from `response`: Server, the browser hardening headers (X-Content-Type-Options: nosniff,
// Content-Security-Policy, X-Frame-Options: DENY, Referrer-Policy; static responses carry them too),
// X-Request-Id, Content-Type, the handler's extra headers, Content-Length and Connection. Extra headers that could
// break the framing (invalid name or value, Content-Length, Transfer-Encoding, Connection) are dropped and logged; a
// status outside 200–599 becomes a generic 500 (logged). 204 and 304 carry no body and no Content-Length; HEAD carries
// the length but no body. Returns the status sent and sets *body_bytes to the number of body bytes that will be sent.
int BuildResponse(Response response, const ResponseContext& ctx, StringResponse* out, uint64_t* body_bytes);

// For a StaticFile of kind kFile or kNotModified. A GET of a file opens it into *file_out; a HEAD (length only)
// or a 304 fills *string_out instead. Sets *body_bytes. Returns false, filling nothing, when the file can no
// longer be opened (removed since StaticFiles::Resolve()); the caller answers 404.
bool BuildStaticResponse(const StaticFile& file, const ResponseContext& ctx, std::optional<FileResponse>* file_out,
                         std::optional<StringResponse>* string_out, uint64_t* body_bytes);

}  // namespace ap::http
