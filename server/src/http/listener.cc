#include "http/listener.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "http/request_util.h"
#include "http/session.h"

namespace ap::http {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
// After an accept error such as EMFILE, retrying at once would spin a core while the condition lasts.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
}  // namespace

Listener::Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
    : ioc_(ioc), strand_(net::make_strand(ioc)), acceptor_(strand_), retry_timer_(strand_), state_(std::move(state)) {}

Status Listener::Open(const tcp::endpoint& endpoint, const std::string& listen_text) {
  boost::system::error_code ec;
  auto fail = [&](std::string_view what) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (ec == net::error::address_in_use) return Unavailable("address " + listen_text + " is in use");
    return Unavailable("cannot " + std::string(what) + " " + listen_text + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("open a socket for");
  // Lets a restarted server bind while old connections sit in TIME_WAIT; Linux still refuses a port that another
  // socket is listening on, so "in use" stays detectable.
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail("configure");
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) return fail("read the port of");
  return Status::Ok();
}

void Listener::Run() {
  net::dispatch(strand_, [self = shared_from_this()] { self->DoAccept(); });
}

void Listener::Stop() {
  net::post(strand_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::DoAccept() {
  if (!acceptor_.is_open()) return;
  // Each connection gets its own strand: its handlers never run concurrently, different connections do.
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    WarnThrottled("http_accept_failed", ec.message());
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
    return;
  }
  if (state_->stopping()) return;  // `socket` closes as it goes out of scope
  const ServerOptions& o = state_->options();
  if (state_->connections() >= o.max_connections) {
    // Closing at once is the cheapest answer under overload; a 503 would need the very resources we lack. (Every
    // connection admitted above 3/4 reclaimed idle ones, so what fills the rest is busy or being reclaimed.)
    WarnThrottled("http_connection_limit", std::to_string(o.max_connections));
    DoAccept();
    return;
  }
  std::string ip = RemoteIp(socket);
  std::string key = AddressKey(ip);
  // Accepts run one at a time on this strand and a session registers before the next one, so the count read
  // here cannot be overtaken by another accept from the same address.
  if (o.max_connections_per_ip > 0 && state_->connections_from(key) >= o.max_connections_per_ip &&
      !o.unlimited_addresses.Contains(ip)) {
    WarnThrottled("http_connection_limit_per_address", key);
    DoAccept();
    return;
  }
  boost::system::error_code opt_ec;
  // Responses are written in one go; Nagle would only delay the last segment of each.
  socket.set_option(tcp::no_delay(true), opt_ec);
  // Above 3/4 of max_connections, the oldest idle keep-alive connections give their slots back, so that idle
  // clients cannot keep new ones out (they reconnect when they need to, as after an idle timeout). Done before
  // the new session starts, so that it is never its own victim.
  size_t open = state_->connections() + 1;
  if (open > state_->high_water()) ReclaimIdle(open - state_->high_water());
  std::make_shared<Session>(std::move(socket), state_, std::move(ip), std::move(key))->Start();
  DoAccept();
}

void Listener::ReclaimIdle(size_t n) {
  auto idle = state_->TakeOldestIdle(n);
  for (auto& [session, ticket] : idle) session->Reclaim(ticket);
  if (!idle.empty()) WarnThrottled("http_idle_connections_reclaimed", std::to_string(idle.size()));
}

std::string Listener::RemoteIp(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

void Listener::WarnThrottled(std::string_view msg, std::string_view detail) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_warning_ < std::chrono::seconds(1)) {
    ++suppressed_warnings_;
    return;
  }
  log::Warn(msg, {{"detail", detail}, {"suppressed", suppressed_warnings_}});
  last_warning_ = now;
  suppressed_warnings_ = 0;
}

}  // namespace ap::http
