#include "api/api.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <future>
#include <memory>
#include <unordered_map>

#include "common/log.h"
#include "common/utf8.h"

namespace ap::api {
namespace {

struct ErrorKind {
  int http_status;
  std::string_view code;
};

ErrorKind KindOf(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      return s.field() == kMalformedBody ? ErrorKind{400, "bad_request"} : ErrorKind{422, "validation_failed"};
    case StatusCode::kNotFound:
      return {404, "not_found"};
    case StatusCode::kAlreadyExists:
      return {409, "already_exists"};
    case StatusCode::kFailedPrecondition:
      return {409, "conflict"};
    case StatusCode::kUnauthenticated:
      return {401, "unauthenticated"};
    case StatusCode::kPermissionDenied:
      return {403, "forbidden"};
    case StatusCode::kResourceExhausted:
      return {429, "rate_limited"};
    case StatusCode::kUnavailable:
      return {503, "unavailable"};
    case StatusCode::kDeadlineExceeded:
      return {504, "timeout"};
    case StatusCode::kInternal:
    case StatusCode::kOk:
      break;
  }
  return {500, "internal"};
}

// The session cookie's value, or empty.
std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return part.substr(name.size() + 1);
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// True when a Content-Type header value names application/json (any parameters, e.g. "; charset=utf-8";
// the type and subtype are case-insensitive, RFC 9110 §8.3.1).
bool IsJsonContentType(std::string_view value) {
  std::string type = Trim(value.substr(0, value.find(';')));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type == "application/json";
}

// A method for an error message: valid UTF-8 and short, since any token a client sends reaches us.
std::string MethodForMessage(std::string_view method) {
  constexpr size_t kMaxBytes = 32;
  std::string valid = ToValidUtf8(method);
  if (valid.size() <= kMaxBytes) return valid;
  return std::string(Utf8Prefix(valid, kMaxBytes)) + "...";
}

// The routes a session under a forced password reset may use.
bool AllowedDuringPasswordReset(std::string_view pattern) {
  return pattern == "/api/auth/password" || pattern == "/api/auth/session" || pattern == "/api/auth/me" ||
         pattern == "/api/auth/logout";
}

}  // namespace

http::Response JsonResponse(int status, const json::value& body) {
  http::Response r;
  r.status = status;
  r.body = Serialize(body);
  return r;
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

http::Response ErrorFromStatus(const Status& status, const std::string& request_id) {
  ErrorKind k = KindOf(status);
  if (k.http_status == 500) {
    // Internal text stays in the log; the client gets the request id to quote.
    log::Error("internal_error", {{"request_id", request_id}, {"error", status.ToString()}});
    return http::ErrorResponse(500, k.code, "internal error; quote the request id when reporting it", request_id);
  }
  std::string field = status.field() == kMalformedBody ? std::string() : status.field();
  std::string message = status.message();
  if (!field.empty()) message = field + ": " + message;
  return http::ErrorResponse(k.http_status, k.code, message, request_id, field);
}

Result<int64_t> IntParam(const http::Request& request, std::string_view name, int64_t def) {
  bool present = false;
  std::string v = request.QueryParam(name, &present);
  if (!present) return def;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) return InvalidArgument("must be an integer", std::string(name));
  return out;
}

std::string AwsWorkUser(const service::RequestContext& ctx) {
  return ctx.principal.user_id.empty() ? "ip:" + ctx.client_ip : ctx.principal.user_id;
}

http::Response AwsWorkRefused(const Status& status, const std::string& request_id,
                              const service::AwsWorkAdmission& admission) {
  http::Response r = ErrorFromStatus(status, request_id);
  r.AddHeader("Retry-After", std::to_string(admission.options().retry_after_seconds));
  return r;
}

Api::Api(Services services, ApiOptions options) : s_(services), options_(std::move(options)) {
  AddAuthRoutes(router_, s_, options_);
  AddUserRoutes(router_, s_);
  AddAccountRoutes(router_, s_);
  AddQuotaRoutes(router_, s_);
  AddDashboardRoutes(router_, s_);
  AddUsageRoutes(router_, s_);
  AddSystemRoutes(router_, s_, options_);
  AddFleetRoutes(router_, s_);
  AddMetricsRoutes(router_, s_);
  AddAlertRoutes(router_, s_);
  AddOrganizationRoutes(router_, s_);
  AddGatewayExportRoutes(router_, s_);
  AddExportRoutes(router_, s_);
  AddIncreaseRoutes(router_, s_);
  AddOnboardingRoutes(router_, s_, options_);
}

service::RequestContext Api::ContextOf(const http::Request& request) const {
  service::RequestContext ctx;
  ctx.request_id = request.request_id;
  // Kept (audit rows) and echoed (the audit log API): header bytes are not necessarily UTF-8, the JSON we write is.
  ctx.user_agent = ToValidUtf8(request.Header("User-Agent"));
  ctx.client_ip = request.remote_ip;
  if (options_.trusted_proxies.Contains(request.remote_ip)) {
    // The client is the right-most address that is not one of our proxies.
    std::string_view xff = request.Header("X-Forwarded-For");
    while (!xff.empty()) {
      size_t comma = xff.rfind(',');
      std::string hop = ToValidUtf8(Trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1)));
      xff = comma == std::string_view::npos ? std::string_view() : xff.substr(0, comma);
      if (hop.empty()) continue;
      ctx.client_ip = hop;
      if (!options_.trusted_proxies.Contains(hop)) break;
    }
  }
  return ctx;
}

void Api::Observe(std::string_view method, const http::Response& response,
                  std::chrono::steady_clock::time_point started) const {
  if (!s_.metrics) return;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Only the methods the router knows become labels (any other token → "other"): every label here then comes
  // from a fixed set (route pattern or "unmatched", known method, status 200–599), so neither the registry nor
  // this cache grows with what clients send.
  std::string_view method_label = router_.MethodLabel(method);
  // The series of a (route, method, status) never move once created: remember them per thread, so that the
  // hot path does not render labels or take the registry's lock.
  struct Series {
    Counter* requests;
    Histogram* latency;
  };
  thread_local std::unordered_map<std::string, Series> series;
  std::string key = std::to_string(s_.metrics->id());  // one registry's series (an address can be reused)
  key += ' ';
  key += response.route;
  key += ' ';
  key += method_label;
  key += ' ';
  key += std::to_string(response.status);
  auto it = series.find(key);
  if (it == series.end()) {
    Series s{&s_.metrics->GetCounter("ap_http_requests_total", "HTTP requests answered by the API",
                                     {{"route", response.route},
                                      {"method", std::string(method_label)},
                                      {"status", std::to_string(response.status)}}),
             &s_.metrics->GetHistogram("ap_http_request_duration_seconds",
                                       "Time from routing to the response, by route", {{"route", response.route}})};
    it = series.emplace(std::move(key), s).first;
  }
  it->second.requests->Add();
  it->second.latency->Observe(seconds);
}

void Api::Handle(http::Request request, http::Responder respond_raw) {
  auto started = std::chrono::steady_clock::now();
  std::string method = request.method;
  http::Responder respond = [this, respond_raw = std::move(respond_raw), started, method](http::Response r) {
    Observe(method, r, started);
    respond_raw(std::move(r));
  };
  service::RequestContext ctx = ContextOf(request);
  const Route* route = nullptr;
  std::string id;
  if (auto early = Prepare(request, ctx, &route, &id)) {
    early->user_id = ctx.principal.user_id;
    respond(std::move(*early));
    return;
  }
  // A place on the AWS workers, held until the handler's work ends (released before the response is sent, so
  // that a client's next request never finds its own previous one still counted). Asynchronous routes (refresh)
  // ask for theirs only when they start AWS work (see quota_routes.cc).
  std::shared_ptr<service::AwsWorkAdmission::Ticket> ticket;
  if (s_.aws_admission && route->blocking) {
    auto admitted = s_.aws_admission->Admit(AwsWorkUser(ctx));
    if (!admitted.ok()) {
      http::Response r = AwsWorkRefused(admitted.status(), ctx.request_id, *s_.aws_admission);
      r.route = route->pattern;
      r.user_id = ctx.principal.user_id;
      respond(std::move(r));
      return;
    }
    ticket = std::make_shared<service::AwsWorkAdmission::Ticket>(std::move(admitted).value());
  }
  if (route->blocking && s_.blocking_pool) {
    // Shared so that the request is still ours to answer when the pool refuses the task (TrySubmit drops it).
    struct Pending {
      http::Request request;
      service::RequestContext ctx;
      std::string id;
      http::Responder respond;
      std::shared_ptr<service::AwsWorkAdmission::Ticket> ticket;
    };
    auto pending = std::make_shared<Pending>(
        Pending{std::move(request), std::move(ctx), std::move(id), std::move(respond), std::move(ticket)});
    auto run = [this, route, pending] {
      Pending& p = *pending;
      http::Response r;
      if (p.request.ClientGone()) {
        // Queued while its client left: nobody would read the answer, so the AWS work is not done.
        if (s_.metrics)
          s_.metrics
              ->GetCounter("ap_aws_work_dropped_total",
                           "Queued blocking requests skipped because the client "
                           "had gone")
              .Add();
        r = http::ErrorResponse(499, "client_closed_request",
                                "the client closed the connection before its "
                                "request was started",
                                p.ctx.request_id);
      } else {
        Call call{p.request, p.ctx, p.id};
        Result<http::Response> result = route->fn(call);
        r = result.ok() ? std::move(result).value() : ErrorFromStatus(result.status(), p.ctx.request_id);
      }
      if (p.ticket) p.ticket->Release();
      r.route = route->pattern;
      r.user_id = p.ctx.principal.user_id;
      p.respond(std::move(r));
    };
    size_t max_queued = s_.aws_admission ? s_.aws_admission->options().max_queued : SIZE_MAX;
    if (!s_.blocking_pool->TrySubmit(std::move(run), max_queued)) {
      if (pending->ticket) pending->ticket->Release();
      if (s_.metrics)
        s_.metrics
            ->GetCounter("ap_aws_work_refused_total",
                         "Client requests refused a place on the AWS workers, "
                         "by reason",
                         {{"reason", "queue_full"}})
            .Add();
      http::Response r = http::ErrorResponse(503, "unavailable", "the server is busy with AWS requests; retry shortly",
                                             pending->ctx.request_id);
      r.AddHeader("Retry-After",
                  std::to_string(s_.aws_admission ? s_.aws_admission->options().retry_after_seconds
                                                  : service::AwsWorkAdmissionOptions{}.retry_after_seconds));
      r.route = route->pattern;
      r.user_id = pending->ctx.principal.user_id;
      pending->respond(std::move(r));
    }
    return;
  }
  if (!route->async_fn) {
    Call call{request, ctx, id};
    Result<http::Response> result = route->fn(call);
    if (ticket) ticket->Release();
    http::Response r = result.ok() ? std::move(result).value() : ErrorFromStatus(result.status(), ctx.request_id);
    r.route = route->pattern;
    r.user_id = ctx.principal.user_id;
    respond(std::move(r));
    return;
  }
  std::string pattern = route->pattern, user_id = ctx.principal.user_id, request_id = ctx.request_id;
  route->async_fn(AsyncCall{std::move(request), std::move(ctx), std::move(id)},
                  [respond = std::move(respond), pattern, user_id, request_id](Result<http::Response> result) {
                    http::Response r =
                        result.ok() ? std::move(result).value() : ErrorFromStatus(result.status(), request_id);
                    r.route = pattern;
                    r.user_id = user_id;
                    respond(std::move(r));
                  });
}

http::Response Api::HandleSync(const http::Request& request) {
  auto promise = std::make_shared<std::promise<http::Response>>();
  auto future = promise->get_future();
  Handle(request, [promise](http::Response r) { promise->set_value(std::move(r)); });
  return future.get();
}

std::optional<http::Response> Api::Prepare(const http::Request& request, service::RequestContext& ctx,
                                           const Route** out_route, std::string* out_id) {
  Router::Match match = router_.Find(request.method, request.path);
  if (!match.route) {
    http::Response r;
    if (match.path_known) {
      r = http::ErrorResponse(405, "method_not_allowed",
                              "method " + MethodForMessage(request.method) + " is not allowed here",
                              request.request_id);
      r.AddHeader("Allow", match.allow);
    } else {
      r = http::ErrorResponse(404, "not_found", "no such API route", request.request_id);
    }
    r.route = "unmatched";
    return r;
  }
  const Route& route = *match.route;
  auto finish = [&](http::Response r) {
    r.route = route.pattern;
    return r;
  };

  // Every body the API reads is JSON, and it must say so: a cross-site <form> can send text/plain (or
  // urlencoded, multipart) without a CORS preflight, never application/json — so this also stops login CSRF.
  if (!request.body.empty() && !IsJsonContentType(request.Header("Content-Type"))) {
    return finish(http::ErrorResponse(415, "unsupported_media_type",
                                      "a request body must be JSON sent with Content-Type: application/json",
                                      ctx.request_id));
  }

  // Who is calling: a bearer token, else the session cookie.
  std::string_view auth = request.Header("Authorization");
  std::string_view token;
  bool via_cookie = false;
  auto is_bearer = [](std::string_view a) {  // the scheme name is case-insensitive (RFC 9110 §11.1)
    if (a.size() <= 7 || a[6] != ' ') return false;
    for (size_t i = 0; i < 6; ++i)
      if (std::tolower(static_cast<unsigned char>(a[i])) != "bearer"[i]) return false;
    return true;
  };
  if (is_bearer(auth)) {
    token = auth.substr(7);
  } else {
    token = CookieValue(request.Header("Cookie"), options_.cookie_name);
    via_cookie = !token.empty();
  }
  if (!token.empty()) {
    auto principal = s_.auth.Authenticate(token);
    if (principal.ok()) {
      ctx.principal = std::move(principal).value();
    } else if (principal.status().code() != StatusCode::kUnauthenticated || route.access != service::Access::kPublic) {
      return finish(ErrorFromStatus(principal.status(), ctx.request_id));
    }
  }
  bool safe_method = request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (via_cookie && ctx.principal.authenticated && !safe_method && request.Header(kCsrfHeader).empty()) {
    return finish(http::ErrorResponse(403, "csrf", "cookie-authenticated writes need the X-Requested-With header",
                                      ctx.request_id));
  }

  Status allowed = s_.authorizer.Check(ctx.principal, route.access, match.id);
  if (!allowed.ok()) {
    if (allowed.code() == StatusCode::kPermissionDenied && !route.denial_audit_action.empty()) {
      s_.audit.RecordBestEffort(ctx, route.denial_audit_action, match.id.empty() ? "route" : "account",
                                match.id.empty() ? route.pattern : match.id, service::Outcome::kDenied);
    }
    return finish(ErrorFromStatus(allowed, ctx.request_id));
  }
  // A forced password reset: until a new password is set, the session reaches only what setting it needs.
  if (ctx.principal.must_change_password && route.access != service::Access::kPublic &&
      !AllowedDuringPasswordReset(route.pattern)) {
    return finish(http::ErrorResponse(403, "password_change_required",
                                      "set a new password first (POST /api/auth/password)", ctx.request_id));
  }
  *out_route = &route;
  *out_id = std::move(match.id);
  return std::nullopt;
}

}  // namespace ap::api
