// One HTTP/1.1 connection: reads requests one at a time within the size and time limits, routes each to the
// application Handler or to the static files, writes the response and logs one access-log line. Private to
// http/ (includes Beast).
//
// Lifecycle (Beast example style, do_X starts an operation and on_X completes it):
//   BeginRequest → [idle wait for the first byte] → ReadHeader → [100-continue] → ReadBody → Dispatch
//     → handler (maybe on another thread) → OnHandlerResponse ─┐
//     → static file / error ──────────────────────────────────┴→ Write → OnWrite → BeginRequest | Close
//
// Edge rules applied here: a Transfer-Encoding whose final coding is not chunked (or HTTP/1.0 with one) is 400
// and closes, other codings before chunked 501 and close (RFC 9112 §6.1, §6.3); an HTTP/1.1 request without
// exactly one Host is 400; a percent-decoded path that is not valid UTF-8 is 400. While the handler works
// (phase kHandling) the session watches the socket: the client closing it (EOF or an error, not a pipelined
// request) sets Request::client_gone. An idle session (waiting for a request's first byte) is in the server's
// idle registry so that it can be reclaimed under pressure.
//
// Thread safety: every member function runs on the session's strand (the socket's executor); NotifyShutdown()
// may be called from any thread and hops onto it. Ownership: shared_ptr held by pending operations and by a
// handler's Responder; the socket closes when the last of them is gone.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/server_state.h"

namespace ap::http {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `remote_ip`: the peer's address as text; `address_key`: AddressKey(remote_ip), for the per-address count.
  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state, std::string remote_ip,
          std::string address_key);
  ~Session();

  // Registers with the server state and starts reading the first request.
  void Start();
  // Graceful shutdown: an idle connection closes now; one in the middle of a request finishes it and closes.
  void NotifyShutdown();
  // Pressure relief: closes the connection if it is still in the idle wait that `ticket` (from
  // ServerState::EnterIdle) was issued for; otherwise (a request arrived meanwhile) does nothing.
  void Reclaim(uint64_t ticket);

 private:
  class PendingResponse;
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };
  // Durations (timeouts, the access log's duration_ms) are measured on the monotonic clock that Asio's timers use;
  // the injected ap::Clock is wall-clock time, which may jump, so it is not the right tool here.
  using SteadyClock = std::chrono::steady_clock;

  void BeginRequest();
  void OnIdleRead(boost::beast::error_code ec, size_t bytes);
  void DoReadHeader();
  void OnReadHeader(boost::beast::error_code ec);
  void DoReadBody();
  void OnReadBody(boost::beast::error_code ec);
  void OnReadError(boost::beast::error_code ec);
  // Fills method_, route_, request_id_, ... from the parsed header, or resets them when there is no usable header.
  void LoadRequestContext(bool have_header);
  void Dispatch();
  // Answers 400/501 (and closes) and returns false when the parsed header's framing or Host is unacceptable.
  bool CheckHeader();
  void CallHandler(std::string path, std::string_view query);
  // Watches the socket while the handler works; see client_gone_.
  void WatchClient();
  void OnClientReadable(uint64_t generation, boost::beast::error_code ec);
  void OnHandlerResponse(Response response);
  void ServeStatic();

  // Streamed bodies (session_stream.cc; see BodyStream in message.h). StartStream takes over from SendResponse;
  // ProduceNext asks the producer (on its runner) for a piece, OnPiece receives it on the strand and writes it
  // (with the header before the first piece), OnPieceWritten asks for the next one or ends the response.
  void StartStream(Response response);
  void ProduceNext();
  void OnPiece(const Status& status, const std::string& piece, bool done);
  void WriteStreamBytes(bool last);
  void OnPieceWritten(bool last, boost::beast::error_code ec);
  // Ends the stream early (error, refusal, client gone): logs, drops the producer and closes the connection.
  void FailStream(std::string_view reason, std::string_view detail);

  // Sends `response`; `close` ends the connection afterwards, `linger` first drains what the client still sends
  // so that it reads our error instead of a connection reset.
  void SendResponse(Response response, bool close = false, bool linger = false);
  void SendError(int status, std::string_view code, std::string_view message, bool close = false, bool linger = false);
  void OnWrite(bool close, bool linger, boost::beast::error_code ec);
  void Close(bool linger);
  void DoLinger();
  void LogAccess();

  // Starts writing `message` (a member, alive until OnWrite) under write_timeout.
  template <class Message>
  void Write(Message& message, bool close, bool linger);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  const ServerOptions& options_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> string_response_;
  std::optional<boost::beast::http::response<boost::beast::http::file_body>> file_response_;

  const std::string remote_ip_;
  const std::string address_key_;
  Phase phase_ = Phase::kIdle;
  uint64_t idle_ticket_ = 0;  // from ServerState::EnterIdle while in the idle wait, else 0
  bool first_request_ = true;
  bool stopping_ = false;
  SteadyClock::time_point idle_start_;
  SteadyClock::time_point request_start_;
  size_t lingered_bytes_ = 0;

  // The current request, for routing, the response and the access log.
  std::string method_;
  std::string route_;
  std::string request_id_;
  std::string user_id_;
  unsigned version_ = 11;
  bool head_ = false;
  bool keep_alive_ = false;
  int status_ = 0;
  uint64_t body_bytes_ = 0;

  // The handed-out Request::client_gone of the request being handled; `handling_generation_` tells a stale socket
  // watch (of an earlier request) from the current one.
  std::shared_ptr<std::atomic<bool>> client_gone_;
  uint64_t handling_generation_ = 0;
  bool watching_ = false;

  // The streamed response in progress: its producer (null when none), the header still to send (held in
  // string_response_ until the first piece), the bytes being written and how the body is framed.
  std::shared_ptr<BodyStream> body_stream_;
  std::string stream_out_;
  bool stream_header_sent_ = false;
  bool stream_chunked_ = true;  // false for an HTTP/1.0 client: raw bytes, ended by closing
  bool stream_close_ = false;
};

}  // namespace ap::http
