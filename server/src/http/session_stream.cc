// The streamed-body half of Session (see BodyStream in http/message.h): one piece produced off the I/O thread,
// written, then the next, so that a large export holds at most one piece per connection.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdio>
#include <sstream>
#include <utility>

#include "common/log.h"
#include "http/response_builder.h"
#include "http/session.h"

namespace ap::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

// The status line and header block, written in front of the first piece (one write instead of two).
std::string HeaderText(const StringResponse& response) {
  std::ostringstream out;
  out << response.base();
  return std::move(out).str();
}

}  // namespace

void Session::StartStream(Response response) {
  phase_ = Phase::kWriting;
  body_stream_ = std::move(response.stream);
  stream_header_sent_ = false;
  stream_close_ = !keep_alive_ || stopping_ || state_->stopping();
  // Chunked framing needs HTTP/1.1; an HTTP/1.0 client reads to the end of the connection instead.
  stream_chunked_ = version_ >= 11;
  if (!stream_chunked_) stream_close_ = true;
  // The header waits in string_response_ until the first piece is in: an error before it is still a status.
  response.body.clear();
  ResponseContext ctx{request_id_, version_, head_, stream_close_};
  status_ = BuildResponse(std::move(response), ctx, &string_response_.emplace(), &body_bytes_);
  body_bytes_ = 0;
  string_response_->erase(bhttp::field::content_length);
  if (stream_chunked_) string_response_->set(bhttp::field::transfer_encoding, "chunked");
  if (head_ || status_ == 204 || status_ == 304) {  // no body: the header alone, and the producer is never asked
    body_stream_.reset();
    if (status_ == 204 || status_ == 304) string_response_->erase(bhttp::field::transfer_encoding);
    stream_header_sent_ = true;
    stream_out_ = HeaderText(*string_response_);
    WriteStreamBytes(/*last=*/true);
    return;
  }
  ProduceNext();
}

void Session::ProduceNext() {
  auto body = body_stream_;
  auto self = shared_from_this();
  // While the producer works the session has no pending operation: the guard keeps the event loop running.
  auto task = [self, body, work = net::make_work_guard(stream_.get_executor())]() mutable {
    std::string piece;
    bool done = false;
    Status status = body->next(&piece, &done);
    net::post(self->stream_.get_executor(), [self, status = std::move(status), piece = std::move(piece),
                                             done]() mutable { self->OnPiece(status, piece, done); });
    work.reset();
  };
  if (!body->run) {
    task();
    return;
  }
  if (!body->run(std::move(task))) FailStream("runner_refused", "the worker pool refused the next piece");
}

void Session::OnPiece(const Status& status, const std::string& piece, bool done) {
  if (!body_stream_) return;  // ended meanwhile
  if (!status.ok()) {
    if (!stream_header_sent_) {
      // Nothing sent yet: an ordinary error response, and the connection may live on.
      log::Error("http_stream_failed", {{"request_id", request_id_}, {"error", status.ToString()}, {"sent", false}});
      body_stream_.reset();
      string_response_.reset();
      bool unavailable = status.code() == StatusCode::kUnavailable;
      SendResponse(unavailable ? ErrorResponse(503, "unavailable", "service unavailable, try again", request_id_)
                               : ErrorResponse(500, "internal", "internal server error", request_id_),
                   !keep_alive_);
      return;
    }
    FailStream("producer_error", status.ToString());
    return;
  }
  stream_out_.clear();
  if (!stream_header_sent_) {
    stream_out_ = HeaderText(*string_response_);
    stream_header_sent_ = true;
  }
  if (!piece.empty()) {
    body_bytes_ += piece.size();
    if (stream_chunked_) {
      char size_line[24];
      int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
      stream_out_.append(size_line, static_cast<size_t>(n));
      stream_out_ += piece;
      stream_out_ += "\r\n";
    } else {
      stream_out_ += piece;
    }
  }
  if (done) {
    body_stream_.reset();  // the producer and what it holds go now, not when the last byte is written
    if (stream_chunked_) stream_out_ += "0\r\n\r\n";
  }
  if (stream_out_.empty()) {  // an empty piece: ask again
    ProduceNext();
    return;
  }
  WriteStreamBytes(done);
}

void Session::WriteStreamBytes(bool last) {
  stream_.expires_after(options_.write_timeout);
  net::async_write(stream_, net::buffer(stream_out_),
                   [self = shared_from_this(), last](beast::error_code ec, size_t) { self->OnPieceWritten(last, ec); });
}

void Session::OnPieceWritten(bool last, beast::error_code ec) {
  if (ec) {
    if (client_gone_) client_gone_->store(true, std::memory_order_relaxed);
    FailStream("write_failed", ec.message());
    return;
  }
  if (!last) {
    ProduceNext();
    return;
  }
  stream_out_.clear();
  stream_out_.shrink_to_fit();
  OnWrite(stream_close_, /*linger=*/false, ec);
}

void Session::FailStream(std::string_view reason, std::string_view detail) {
  body_stream_.reset();
  stream_out_.clear();
  stream_out_.shrink_to_fit();
  log::Error("http_stream_failed",
             {{"request_id", request_id_}, {"reason", reason}, {"error", detail}, {"sent", stream_header_sent_}});
  if (!stream_header_sent_) {
    string_response_.reset();
    SendResponse(ErrorResponse(503, "unavailable", "service unavailable, try again", request_id_), /*close=*/true);
    return;
  }
  // The status is out: the only honest signal left is a body cut short (no last chunk) and a closed connection.
  LogAccess();
  string_response_.reset();
  Close(false);
}

}  // namespace ap::http
