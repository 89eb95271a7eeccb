// Fuzz target: HTTP request parsing and routing, as a connection sees them.
//
// The input is the raw bytes a client sends on one connection. They go through the Beast request parser configured
// as http/session.cc configures it (ServerOptions' header and body limits, string body), fed in pieces as reads
// deliver them, with pipelined requests parsed one after the other. Each complete request then takes the
// session's path: the target check, SplitTarget, PercentDecode, MatchesAppPrefix, the request-id rule, the
// conversion to http::Request (Header, QueryParam), static-file path sanitising, and for application paths the
// real api::Api (route table, Router::Find, authentication, handlers) on an in-memory store. A request carrying
// "Authorization: Bearer ADMIN" is sent with a real admin session token, so that seeds reach the handlers
// behind authentication (and their JSON body decoding) too.
//
// Checked beyond "no crash, no sanitizer report": every response has a status in 100..599, every JSON body parses
// as strict JSON (valid UTF-8 included), error bodies are {"error":...}, and SanitizePath never lets a ".." / NUL /
// backslash segment through.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "api/api.h"
#include "common/log.h"
#include "fuzz_check.h"
#include "http/request_util.h"
#include "http/server.h"
#include "http/static_files.h"
#include "test_env.h"

namespace {

namespace bhttp = boost::beast::http;
using ap::http::ServerOptions;

using ap::fuzz::Check;

// One Api on an in-memory store (as api_test builds it).
struct Fixture {
  static ap::api::ApiOptions Options() {
    ap::api::ApiOptions o;
    // X-Forwarded-For is read from this peer only.
    ap::Result<ap::http::AddressSet> proxies = ap::http::AddressSet::Parse({"10.0.0.1"}, "--trusted-proxy");
    Check(proxies.ok(), "the trusted proxy parses");
    o.trusted_proxies = *std::move(proxies);
    o.openapi_json = "{}";
    return o;
  }

  ap::testing::TestEnv env;
  ap::api::Api api{ap::api::ServicesOf(*env.graph), Options()};
  std::string admin_token;

  Fixture() {
    if (!env.auth->BootstrapAdmin("admin@example.com", "admin-password").ok()) abort();
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    if (!login.ok()) abort();
    admin_token = login->token;
  }
};

// The store keeps what requests create (accounts, users, audit rows), so the fixture is rebuilt every
// kRunsPerFixture inputs: memory stays bounded in long runs and an input's outcome depends on little history.
constexpr int kRunsPerFixture = 5000;
std::unique_ptr<Fixture> fixture;

void NextFixture() {
  static int runs = 0;
  if (fixture == nullptr || ++runs % kRunsPerFixture == 0) {
    fixture.reset();
    ap::log::SetLevel(ap::log::Level::kOff);
    fixture = std::make_unique<Fixture>();
  }
}

Fixture& GetFixture() { return *fixture; }

void CheckResponse(const ap::http::Response& r) {
  Check(r.status >= 100 && r.status <= 599, "response status out of range");
  if (r.content_type == "application/json" && !r.body.empty()) {
    // Strict JSON, UTF-8 included: whatever bytes came in, what goes out must decode.
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.body, ec);
    Check(!ec, "a JSON response body is not valid JSON (or not valid UTF-8)");
    if (r.status >= 400) Check(v.is_object() && v.as_object().contains("error"), "error body is not {\"error\":...}");
  }
}

// What Session::Dispatch / CallHandler / ServeStatic do with one parsed request.
void HandleRequest(const bhttp::request<bhttp::string_body>& req, const ServerOptions& options) {
  Fixture& fx = GetFixture();
  (void)req.keep_alive();
  (void)ap::http::IsValidRequestId(req["X-Request-Id"]);
  (void)ap::http::AcceptsGzip(req[bhttp::field::accept_encoding]);
  std::string_view target = req.target();
  if (target.empty() || target.front() != '/') return;  // 400
  auto [raw_path, query] = ap::http::SplitTarget(target);
  std::string path;
  if (!ap::http::PercentDecode(raw_path, &path)) return;  // 400

  std::vector<std::string_view> segments;
  if (ap::http::SanitizePath(path, &segments)) {
    for (std::string_view s : segments) {
      Check(s != ".." && s.find('\0') == std::string_view::npos && s.find('\\') == std::string_view::npos,
            "SanitizePath let an unsafe segment through");
    }
  }
  if (!ap::http::MatchesAppPrefix(path, options.app_prefixes)) return;  // static files

  ap::http::Request request;
  request.method = std::string(req.method_string());
  request.target = std::string(target);
  request.path = path;
  request.query = std::string(query);
  for (const auto& field : req) {
    std::string value(field.value());
    if (field.name_string() == "Authorization" && value == "Bearer ADMIN") value = "Bearer " + fx.admin_token;
    request.headers.push_back({std::string(field.name_string()), std::move(value)});
  }
  request.body = req.body();
  // A request with X-Forwarded-For comes through the trusted proxy, so that the header is parsed.
  request.remote_ip = req.count("X-Forwarded-For") > 0 ? "10.0.0.1" : "127.0.0.1";
  request.request_id = "fuzz";
  for (std::string_view name : {"page", "page_size", "region", "team", "search", "status", "source"}) {
    bool present = false;
    (void)request.QueryParam(name, &present);
  }
  (void)fx.api.router().Find(request.method, request.path);
  CheckResponse(fx.api.HandleSync(request));
}

// Feeds `data` to parsers the way a connection does: bytes arrive in reads of `chunk` bytes; each parser gets
// what has arrived and consumes what it can; pipelined requests follow one another.
void ParseConnection(std::string_view data, size_t chunk, const ServerOptions& options) {
  boost::beast::flat_buffer buffer;
  size_t fed = 0;
  for (int requests = 0; requests < 8; ++requests) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(
        static_cast<uint32_t>(std::min<size_t>(options.max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser.body_limit(static_cast<uint64_t>(options.max_body_bytes));
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      if (buffer.size() > 0) {
        size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) {
          ec = {};
        } else if (ec) {
          return;  // 400 / 413 / 431: the connection closes
        } else if (used > 0) {
          continue;
        }
      }
      if (fed == data.size()) {
        if (!parser.got_some()) return;  // the connection closed between requests (Beast: end_of_stream)
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return;  // end of stream mid-request
        break;
      }
      size_t n = std::min(chunk, data.size() - fed);
      auto dst = buffer.prepare(n);
      memcpy(dst.data(), data.data() + fed, n);
      buffer.commit(n);
      fed += n;
    }
    const auto& req = parser.get();
    HandleRequest(req, options);
    if (!req.keep_alive()) return;
    if (buffer.size() == 0 && fed == data.size()) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ServerOptions options;
  NextFixture();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // One read of everything, then small reads (a split at every possible place over many runs).
  ParseConnection(in, in.size() + 1, options);
  ParseConnection(in, 1 + size % 61, options);
  return 0;
}
