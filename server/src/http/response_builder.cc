#include "http/response_builder.h"

#include <boost/beast/core/string.hpp>

#include <utility>

#include "common/log.h"
#include "http/request_util.h"

namespace ap::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

bool IsFramingHeader(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection");
}

template <class Body>
void SetCommonHeaders(const ResponseContext& ctx, bhttp::response<Body>* res) {
  res->set(bhttp::field::server, "account-platform");
  // Browsers must not guess a script or HTML out of a JSON body or an unknown file.
  res->set("X-Content-Type-Options", "nosniff");
  // On every response, not only index.html: an error page or a JSON body opened in a tab is a document too.
  res->set("Content-Security-Policy", kContentSecurityPolicy);
  res->set("X-Frame-Options", "DENY");  // frame-ancestors for browsers that predate CSP 2
  res->set("Referrer-Policy", kReferrerPolicy);
  res->set("X-Request-Id", ctx.request_id);
  res->keep_alive(!ctx.close);
  // We always answer HTTP/1.1, where keep-alive is implied; an HTTP/1.0 client needs to be told.
  if (!ctx.close && ctx.request_version == 10) res->set(bhttp::field::connection, "keep-alive");
}

template <class Body>
void SetStaticHeaders(const StaticFile& file, bhttp::response<Body>* res) {
  res->set(bhttp::field::cache_control, file.cache_control);
  res->set(bhttp::field::etag, file.etag);
  res->set(bhttp::field::vary, "Accept-Encoding");
  if (file.kind == StaticFile::Kind::kNotModified) return;
  res->set(bhttp::field::content_type, file.content_type);
  if (!file.content_encoding.empty()) res->set(bhttp::field::content_encoding, file.content_encoding);
}

}  // namespace

int BuildResponse(Response response, const ResponseContext& ctx, StringResponse* out, uint64_t* body_bytes) {
  if (response.status < 200 || response.status > 599) {
    // A 1xx would break the framing of this connection; anything else is not HTTP.
    log::Error("http_bad_response_status", {{"request_id", ctx.request_id}, {"status", response.status}});
    response = ErrorResponse(500, "internal", "internal server error", ctx.request_id);
  }
  out->version(11);
  out->result(static_cast<unsigned>(response.status));
  SetCommonHeaders(ctx, out);
  if (!response.content_type.empty()) out->set(bhttp::field::content_type, response.content_type);
  for (const Header& h : response.headers) {
    // Framing is ours; a name or value that could split the header block is a bug upstream and is never sent.
    if (!IsValidHeaderName(h.name) || !IsValidHeaderValue(h.value) || IsFramingHeader(h.name)) {
      log::Warn("http_response_header_dropped", {{"request_id", ctx.request_id}, {"header", h.name}});
      continue;
    }
    out->insert(h.name, h.value);
  }
  *body_bytes = 0;
  if (response.status != 204 && response.status != 304) {
    out->content_length(response.body.size());
    if (!ctx.head) {
      *body_bytes = response.body.size();
      out->body() = std::move(response.body);
    }
  }
  return response.status;
}

bool BuildStaticResponse(const StaticFile& file, const ResponseContext& ctx, std::optional<FileResponse>* file_out,
                         std::optional<StringResponse>* string_out, uint64_t* body_bytes) {
  *body_bytes = 0;
  if (file.kind == StaticFile::Kind::kFile && !ctx.head) {
    beast::error_code ec;
    bhttp::file_body::value_type body;
    body.open(file.file.c_str(), beast::file_mode::scan, ec);
    if (ec) return false;
    FileResponse& res = file_out->emplace(bhttp::status::ok, 11);
    SetCommonHeaders(ctx, &res);
    SetStaticHeaders(file, &res);
    *body_bytes = body.size();
    res.content_length(body.size());
    res.body() = std::move(body);
    return true;
  }
  bool not_modified = file.kind == StaticFile::Kind::kNotModified;
  StringResponse& res = string_out->emplace(not_modified ? bhttp::status::not_modified : bhttp::status::ok, 11);
  SetCommonHeaders(ctx, &res);
  SetStaticHeaders(file, &res);
  if (!not_modified) res.content_length(file.size);  // HEAD announces what a GET would send
  return true;
}

}  // namespace ap::http
