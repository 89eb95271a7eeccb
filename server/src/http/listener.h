// Accepts TCP connections and starts a Session for each, within max_connections and max_connections_per_ip;
// above 3/4 of max_connections it reclaims the oldest idle connections. Private to http/ (includes Asio).
//
// Thread safety: Open() before the event loop runs; Run() and Stop() from any thread (they hop onto the
// listener's strand). Ownership: shared_ptr, kept alive by its pending accept.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/server_state.h"

namespace ap::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<ServerState> state);

  // Opens, binds and listens on `endpoint`. Unavailable("address <listen_text> is in use") when the port is
  // taken, Unavailable with the OS reason for other failures. Never throws.
  Status Open(const boost::asio::ip::tcp::endpoint& endpoint, const std::string& listen_text);
  // The bound port. REQUIRES: Open() returned OK.
  uint16_t port() const { return port_; }

  // Starts the accept loop.
  void Run();
  // Closes the acceptor; the pending accept completes with operation_aborted and the loop ends.
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  // Asks up to `n` of the oldest idle sessions to close (pressure relief).
  void ReclaimIdle(size_t n);
  // The peer's IP address as text (IPv4-mapped IPv6 as IPv4); empty when the socket has no peer any more.
  static std::string RemoteIp(const boost::asio::ip::tcp::socket& socket);
  // At most one warning per second for a condition that may repeat per connection (limit reached, EMFILE).
  void WarnThrottled(std::string_view msg, std::string_view detail);

  boost::asio::io_context& ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<ServerState> state_;
  uint16_t port_ = 0;
  std::chrono::steady_clock::time_point last_warning_{};
  uint64_t suppressed_warnings_ = 0;
};

}  // namespace ap::http
