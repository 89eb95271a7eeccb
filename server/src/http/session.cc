#include "http/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <exception>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/utf8.h"
#include "http/request_util.h"
#include "http/response_builder.h"
#include "http/static_files.h"

namespace ap::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// First read of a request: small, because most requests (and all of wrk's) fit.
constexpr size_t kIdleReadBytes = 4096;
// After an error response that closes the connection we keep reading (and discarding) for a short while, so that
// a client still sending its oversized body reads our 413 instead of a connection reset (nginx's lingering close).
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerMaxBytes = size_t{16} * 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// Longest method the access log prints (every method we serve is far shorter).
constexpr size_t kMaxLoggedMethodBytes = 32;

}  // namespace

// Owns the delivery of one handler response: posts it onto the session's strand exactly once, answers 500 when
// the handler drops its Responder without calling it, and keeps the event loop alive while a handler holds it
// (the only outstanding work of a session waiting for the application is this guard).
class Session::PendingResponse {
 public:
  explicit PendingResponse(std::shared_ptr<Session> session)
      : session_(std::move(session)),
        request_id_(session_->request_id_),
        work_(net::make_work_guard(session_->stream_.get_executor())) {}

  ~PendingResponse() {
    if (!done_.exchange(true)) {
      log::Error("http_responder_dropped", {{"request_id", request_id_}});
      Deliver(InternalError());
    }
  }

  void Complete(Response response) {
    if (done_.exchange(true)) {
      log::Error("http_responder_called_twice", {{"request_id", request_id_}});
      return;
    }
    Deliver(std::move(response));
  }

  // After the handler threw: answer 500 unless it had already responded.
  void Fail() {
    if (!done_.exchange(true)) Deliver(InternalError());
  }

 private:
  Response InternalError() const { return ErrorResponse(500, "internal", "internal server error", request_id_); }

  // Called by whoever won `done_`, so never concurrently. Lets go of the session and of the event loop at once:
  // a caller may keep its Responder copy long after answering, which must not hold the connection open or keep
  // Run() from returning.
  void Deliver(Response response) {
    std::shared_ptr<Session> s = std::move(session_);
    net::post(s->stream_.get_executor(),
              [s, r = std::move(response)]() mutable { s->OnHandlerResponse(std::move(r)); });
    work_.reset();
  }

  std::shared_ptr<Session> session_;
  std::string request_id_;
  net::executor_work_guard<net::any_io_executor> work_;
  std::atomic<bool> done_{false};
};

Session::Session(tcp::socket&& socket, std::shared_ptr<ServerState> state, std::string remote_ip,
                 std::string address_key)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      options_(state_->options()),
      remote_ip_(std::move(remote_ip)),
      address_key_(std::move(address_key)) {}

Session::~Session() {
  if (idle_ticket_ != 0) state_->LeaveIdle(idle_ticket_);
  state_->Unregister(this);
}

void Session::Start() {
  state_->Register(this, weak_from_this(), address_key_);
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::BeginRequest, shared_from_this()));
}

void Session::NotifyShutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Only a connection waiting for its next request is closed now; one mid-request answers first (with
    // Connection: close). Cancelling completes the pending idle read with operation_aborted.
    if (self->phase_ == Phase::kIdle) self->stream_.cancel();
  });
}

void Session::Reclaim(uint64_t ticket) {
  net::post(stream_.get_executor(), [self = shared_from_this(), ticket] {
    // The ticket has left the registry already; only the wait it was issued for may be cut short.
    if (self->phase_ == Phase::kIdle && self->idle_ticket_ == ticket) {
      self->idle_ticket_ = 0;
      self->stream_.cancel();  // OnIdleRead(operation_aborted) closes
    }
  });
}

void Session::BeginRequest() {
  if (stopping_ || state_->stopping()) {
    stopping_ = true;
    Close(false);
    return;
  }
  phase_ = Phase::kIdle;
  idle_start_ = SteadyClock::now();
  if (buffer_.size() > 0) {  // a pipelined request is already here
    phase_ = Phase::kReading;
    request_start_ = idle_start_;
    DoReadHeader();
    return;
  }
  // Waiting for the first byte is a separate step so that a keep-alive connection may idle for idle_timeout while
  // a started request must complete its header within header_timeout (no slow-loris on an idle connection).
  auto wait = first_request_ ? options_.header_timeout : options_.idle_timeout;
  // Under pressure an idle connection holds its slot only briefly (and may be reclaimed sooner, see Reclaim).
  if (state_->under_pressure()) wait = std::min(wait, options_.idle_timeout_under_pressure);
  idle_ticket_ = state_->EnterIdle(weak_from_this());
  stream_.expires_after(wait);
  stream_.async_read_some(buffer_.prepare(kIdleReadBytes),
                          beast::bind_front_handler(&Session::OnIdleRead, shared_from_this()));
}

void Session::OnIdleRead(beast::error_code ec, size_t bytes) {
  if (idle_ticket_ != 0) {
    state_->LeaveIdle(idle_ticket_);
    idle_ticket_ = 0;
  }
  if (ec) {  // EOF, timeout, reset or shutdown: nothing was received, so there is nobody to answer
    Close(false);
    return;
  }
  buffer_.commit(bytes);
  phase_ = Phase::kReading;
  request_start_ = SteadyClock::now();
  DoReadHeader();
}

void Session::DoReadHeader() {
  parser_.emplace();
  parser_->header_limit(
      static_cast<uint32_t>(std::min<size_t>(options_.max_header_bytes, std::numeric_limits<uint32_t>::max())));
  parser_->body_limit(static_cast<uint64_t>(options_.max_body_bytes));
  // A first request's clock starts at accept, so a client cannot hold the connection for two header timeouts.
  stream_.expires_at((first_request_ ? idle_start_ : request_start_) + options_.header_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, size_t) { self->OnReadHeader(ec); });
}

void Session::OnReadHeader(beast::error_code ec) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  if (!CheckHeader()) return;
  if (parser_->is_done()) {
    Dispatch();
    return;
  }
  const auto& req = parser_->get();
  // curl and other clients wait (about a second) for this before sending a body. The body limit has been checked
  // against Content-Length already, so "continue" is only said to a body we will accept.
  if (req.version() >= 11 && beast::iequals(req[bhttp::field::expect], "100-continue")) {
    stream_.expires_after(options_.write_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close(false);
                       self->DoReadBody();
                     });
    return;
  }
  DoReadBody();
}

bool Session::CheckHeader() {
  const auto& req = parser_->get();
  std::vector<std::string_view> te;
  for (auto [it, end] = req.equal_range(bhttp::field::transfer_encoding); it != end; ++it) te.push_back(it->value());
  switch (CheckTransferEncoding(te, req.version())) {
    case TransferEncodingVerdict::kNone:
    case TransferEncodingVerdict::kChunked:
      break;
    case TransferEncodingVerdict::kBadFraming:
      // Beast would read no body here (a request without chunked or Content-Length has none) and keep the
      // connection: whatever the client sent as a body would then be read as the next request. A proxy in front
      // that framed it differently is how request smuggling works, so refuse and close (RFC 9112 §6.3).
      LoadRequestContext(true);
      SendError(400, "bad_request", "unsupported Transfer-Encoding: the final coding must be chunked",
                /*close=*/true, /*linger=*/true);
      return false;
    case TransferEncodingVerdict::kNotImplemented:
      LoadRequestContext(true);
      SendError(501, "not_implemented", "only the chunked transfer coding is supported", /*close=*/true,
                /*linger=*/true);
      return false;
  }
  if (req.version() >= 11) {
    auto [it, end] = req.equal_range(bhttp::field::host);
    size_t hosts = static_cast<size_t>(std::distance(it, end));
    if (hosts != 1) {  // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host
      LoadRequestContext(true);
      SendError(400, "bad_request",
                hosts == 0 ? "an HTTP/1.1 request needs a Host header" : "a request may have only one Host header",
                /*close=*/true, /*linger=*/true);
      return false;
    }
  }
  return true;
}

void Session::DoReadBody() {
  stream_.expires_after(options_.body_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, size_t) { self->OnReadBody(ec); });
}

void Session::OnReadBody(beast::error_code ec) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  Dispatch();
}

void Session::LoadRequestContext(bool have_header) {
  user_id_.clear();
  if (!have_header) {
    method_.clear();
    route_.clear();
    keep_alive_ = false;
    head_ = false;
    version_ = 11;
    request_id_ = state_->NewRequestId();
    return;
  }
  const auto& req = parser_->get();
  method_.assign(req.method_string());
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  head_ = req.method() == bhttp::verb::head;
  route_.assign(SplitTarget(req.target()).path);
  auto id = req["X-Request-Id"];
  request_id_ = IsValidRequestId(id) ? std::string(id) : state_->NewRequestId();
}

void Session::OnReadError(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    // The request line and fields are parsed by the time the limit trips (Content-Length is checked as soon as
    // the header is complete; a chunked body trips it while streaming).
    LoadRequestContext(true);
    SendError(413, "payload_too_large",
              "the request body is larger than " + std::to_string(options_.max_body_bytes) + " bytes",
              /*close=*/true, /*linger=*/true);
    return;
  }
  if (ec == bhttp::error::header_limit) {
    LoadRequestContext(false);
    SendError(431, "headers_too_large",
              "the request headers are larger than " + std::to_string(options_.max_header_bytes) + " bytes",
              /*close=*/true, /*linger=*/true);
    return;
  }
  // EOF mid-request, timeout, reset, shutdown: the client is gone or too slow to deserve an answer.
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) {
    Close(false);
    return;
  }
  LoadRequestContext(parser_->is_header_done());
  SendError(400, "bad_request", "malformed HTTP request", /*close=*/true, /*linger=*/true);
}

void Session::Dispatch() {
  LoadRequestContext(true);
  std::string_view target = parser_->get().target();
  if (target.empty() || target.front() != '/') {
    SendError(400, "bad_request", "the request target must be an absolute path", !keep_alive_);
    return;
  }
  auto [raw_path, query] = SplitTarget(target);
  std::string path;
  if (!PercentDecode(raw_path, &path)) {
    SendError(400, "bad_request", "malformed percent-encoding in the request path", !keep_alive_);
    return;
  }
  // The path reaches routes, ids, error messages, audit rows and logs, all of which are UTF-8 text.
  if (!IsValidUtf8(path)) {
    SendError(400, "bad_request", "the request path is not valid UTF-8", !keep_alive_);
    return;
  }
  route_ = path;
  // The API docs live under /api/ but are the web app's static files (see StaticFiles::Resolve).
  if (MatchesAppPrefix(path, options_.app_prefixes) && !IsApiDocsPath(path)) {
    CallHandler(std::move(path), query);
  } else {
    ServeStatic();
  }
}

void Session::CallHandler(std::string path, std::string_view query) {
  auto& req = parser_->get();
  Request request;
  request.method = method_;
  request.target.assign(req.target());
  request.path = std::move(path);
  request.query.assign(query);
  for (const auto& field : req) {
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  request.body = std::move(req.body());
  request.remote_ip = remote_ip_;
  request.request_id = request_id_;
  client_gone_ = std::make_shared<std::atomic<bool>>(false);
  request.client_gone = client_gone_;

  phase_ = Phase::kHandling;
  ++handling_generation_;
  WatchClient();
  auto pending = std::make_shared<PendingResponse>(shared_from_this());
  Responder responder = [pending](Response response) { pending->Complete(std::move(response)); };
  // The Handler contract says it does not throw; a bug that does must cost one 500, not the I/O thread.
  try {
    state_->handler()(std::move(request), std::move(responder));
  } catch (const std::exception& e) {
    log::Error("http_handler_threw", {{"request_id", request_id_}, {"error", e.what()}});
    pending->Fail();
  } catch (...) {
    log::Error("http_handler_threw", {{"request_id", request_id_}, {"error", "unknown exception"}});
    pending->Fail();
  }
}

void Session::WatchClient() {
  watching_ = true;
  stream_.socket().async_wait(tcp::socket::wait_read,
                              [self = shared_from_this(), generation = handling_generation_](beast::error_code ec) {
                                self->OnClientReadable(generation, ec);
                              });
}

void Session::OnClientReadable(uint64_t generation, beast::error_code ec) {
  if (generation != handling_generation_ || phase_ != Phase::kHandling) return;  // answered meanwhile
  watching_ = false;
  if (ec == net::error::operation_aborted) return;
  if (ec) {
    client_gone_->store(true, std::memory_order_relaxed);
    return;
  }
  // Readable means data, EOF or an error; peek to tell them apart without consuming a pipelined request.
  char byte;
  ssize_t n = ::recv(stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    client_gone_->store(true, std::memory_order_relaxed);
    return;
  }
  if (n < 0) {  // a spurious wake-up
    WatchClient();
    return;
  }
  // Data: the client pipelined its next request, so it is still there; that request waits in the socket. Its
  // departure can no longer be seen without reading, which is the next request's business.
}

void Session::OnHandlerResponse(Response response) {
  if (watching_) {
    watching_ = false;
    beast::error_code ignored;
    stream_.socket().cancel(ignored);  // the only operation pending while handling is the watch
  }
  if (!response.route.empty()) route_ = std::move(response.route);
  user_id_ = std::move(response.user_id);
  if (response.stream) {
    StartStream(std::move(response));
    return;
  }
  SendResponse(std::move(response), !keep_alive_);
}

void Session::ServeStatic() {
  const StaticFiles* files = state_->static_files();
  if (files == nullptr) {
    SendError(404, "not_found", "not found", !keep_alive_);
    return;
  }
  const auto& req = parser_->get();
  StaticFile file =
      files->Resolve(method_, route_, req[bhttp::field::accept_encoding], req[bhttp::field::if_none_match]);
  switch (file.kind) {
    case StaticFile::Kind::kMethodNotAllowed: {
      Response r = ErrorResponse(405, "method_not_allowed", "only GET and HEAD are allowed here", request_id_);
      r.AddHeader("Allow", "GET, HEAD");
      SendResponse(std::move(r), !keep_alive_);
      return;
    }
    case StaticFile::Kind::kNotFound:
      SendError(404, "not_found", "not found", !keep_alive_);
      return;
    case StaticFile::Kind::kNotModified:
    case StaticFile::Kind::kFile:
      break;
  }
  bool close = !keep_alive_ || stopping_ || state_->stopping();
  ResponseContext ctx{request_id_, version_, head_, close};
  if (!BuildStaticResponse(file, ctx, &file_response_, &string_response_, &body_bytes_)) {
    SendError(404, "not_found", "not found", !keep_alive_);  // removed since Resolve()
    return;
  }
  status_ = file.kind == StaticFile::Kind::kNotModified ? 304 : 200;
  if (file_response_) {
    Write(*file_response_, close, /*linger=*/false);
  } else {
    Write(*string_response_, close, /*linger=*/false);
  }
}

void Session::SendError(int status, std::string_view code, std::string_view message, bool close, bool linger) {
  SendResponse(ErrorResponse(status, code, message, request_id_), close, linger);
}

void Session::SendResponse(Response response, bool close, bool linger) {
  close = close || stopping_ || state_->stopping();
  ResponseContext ctx{request_id_, version_, head_, close};
  status_ = BuildResponse(std::move(response), ctx, &string_response_.emplace(), &body_bytes_);
  Write(*string_response_, close, linger);
}

template <class Message>
void Session::Write(Message& message, bool close, bool linger) {
  phase_ = Phase::kWriting;
  stream_.expires_after(options_.write_timeout);
  bhttp::async_write(stream_, message, [self = shared_from_this(), close, linger](beast::error_code ec, size_t) {
    self->OnWrite(close, linger, ec);
  });
}

void Session::OnWrite(bool close, bool linger, beast::error_code ec) {
  LogAccess();
  string_response_.reset();
  file_response_.reset();
  if (ec) {
    Close(false);
    return;
  }
  if (close) {
    Close(linger);
    return;
  }
  first_request_ = false;
  parser_.reset();
  BeginRequest();
}

void Session::Close(bool linger) {
  phase_ = Phase::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!linger) {
    stream_.close();
    return;
  }
  buffer_.clear();
  lingered_bytes_ = 0;
  stream_.expires_after(kLingerTime);
  DoLinger();
}

void Session::DoLinger() {
  stream_.async_read_some(buffer_.prepare(size_t{16} * 1024),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->lingered_bytes_ += n;
                            if (ec || self->lingered_bytes_ > kLingerMaxBytes) {
                              self->stream_.close();
                              return;
                            }
                            self->DoLinger();
                          });
}

void Session::LogAccess() {
  double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - request_start_).count();
  // Any token is a method to the parser, up to the header limit: the log keeps a bounded prefix (tokens are ASCII).
  log::Info("http_request", {{"method", std::string_view(method_).substr(0, kMaxLoggedMethodBytes)},
                             {"route", route_},
                             {"status", status_},
                             {"duration_ms", ms},
                             {"request_id", request_id_},
                             {"user_id", user_id_},
                             {"remote_ip", remote_ip_},
                             {"bytes", body_bytes_}});
}

}  // namespace ap::http
