#include "http/server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

#include "common/log.h"
#include "http/listener.h"
#include "http/request_util.h"
#include "http/server_state.h"
#include "http/session.h"
#include "http/static_files.h"

namespace ap::http {
namespace net = boost::asio;

namespace {

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

}  // namespace

// Members are declared so that everything holding a reference to `ioc` is destroyed before it.
struct Server::Impl {
  Impl(ServerOptions options, Handler handler, Random& random)
      : threads(ThreadCount(options.threads)),
        state(std::make_shared<ServerState>(std::move(options), std::move(handler), random)),
        ioc(threads),
        control(net::make_strand(ioc)),
        grace_timer(control) {}

  ~Impl() {
    // Sessions destroyed together with the event loop must not post into it.
    state->set_on_drained(nullptr);
  }

  Status Start();
  void RequestShutdown();
  void WaitForSignal();
  void DoShutdown();
  void Finish();
  void RunLoop();

  const int threads;
  std::shared_ptr<ServerState> state;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> control;  // serialises shutdown bookkeeping
  net::steady_timer grace_timer;
  std::optional<net::signal_set> signals;
  std::shared_ptr<Listener> listener;
  std::atomic<uint16_t> port{0};
  std::atomic<bool> shutdown_requested{false};
  bool started = false;
};

Status Server::Impl::Start() {
  const ServerOptions& o = state->options();
  if (o.threads < 0) return InvalidArgument("threads must be >= 0", "threads");
  if (o.max_header_bytes == 0) return InvalidArgument("max_header_bytes must be > 0", "max_header_bytes");
  if (o.max_connections == 0) return InvalidArgument("max_connections must be > 0", "max_connections");
  for (auto t : {o.header_timeout, o.body_timeout, o.write_timeout, o.idle_timeout, o.idle_timeout_under_pressure}) {
    if (t.count() <= 0) return InvalidArgument("timeouts must be > 0", "timeouts");
  }
  ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(o.listen));
  if (!o.web_root.empty()) {
    ASSIGN_OR_RETURN(StaticFiles files, StaticFiles::Open(o.web_root));
    state->set_static_files(std::move(files));
  }
  boost::system::error_code ec;
  auto ip = net::ip::make_address(address.host, ec);
  if (ec) return InvalidArgument("invalid listen address \"" + o.listen + "\"", "listen");

  listener = std::make_shared<Listener>(ioc, state);
  RETURN_IF_ERROR(listener->Open(net::ip::tcp::endpoint(ip, address.port), o.listen));
  port = listener->port();
  state->set_on_drained([this] { net::post(control, [this] { Finish(); }); });
  listener->Run();
  started = true;
  return Status::Ok();
}

void Server::Impl::RequestShutdown() {
  if (shutdown_requested.exchange(true)) return;
  net::post(control, [this] { DoShutdown(); });
}

void Server::Impl::WaitForSignal() {
  signals->async_wait([this](boost::system::error_code ec, int signo) {
    if (ec) return;  // cancelled by Finish()
    if (!shutdown_requested.load()) {
      log::Info("http_signal", {{"signal", signo}, {"action", "shutdown"}});
      RequestShutdown();
      WaitForSignal();  // a second signal (an impatient operator) stops at once
      return;
    }
    log::Warn("http_signal", {{"signal", signo}, {"action", "stop"}});
    ioc.stop();
  });
}

void Server::Impl::DoShutdown() {
  state->set_stopping();
  if (listener) listener->Stop();
  auto sessions = state->Snapshot();
  log::Info("http_shutdown", {{"open_connections", static_cast<uint64_t>(sessions.size())}});
  for (const auto& s : sessions) s->NotifyShutdown();
  if (state->connections() == 0) {
    Finish();
    return;
  }
  grace_timer.expires_after(state->options().shutdown_grace);
  grace_timer.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // cancelled by Finish(): drained in time
    log::Warn("http_shutdown_grace_elapsed", {{"dropped_connections", static_cast<uint64_t>(state->connections())}});
    ioc.stop();
  });
}

// Runs on `control` once no connection is left: removes the last things that keep the event loop busy.
void Server::Impl::Finish() {
  grace_timer.cancel();
  if (signals) {
    boost::system::error_code ignored;
    signals->cancel(ignored);
  }
}

void Server::Impl::RunLoop() {
  // Completion handlers are written not to throw; should one do so anyway, keep serving.
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      log::Error("http_io_thread_exception", {{"error", e.what()}});
    } catch (...) {
      log::Error("http_io_thread_exception", {{"error", "unknown"}});
    }
  }
}

Server::Server(ServerOptions options, Handler handler, Random& random)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), random)) {}

Server::~Server() = default;

Status Server::Start() {
  try {
    return impl_->Start();
  } catch (const std::exception& e) {  // allocation failure or an Asio surprise: never let it escape
    return Internal(std::string("starting the HTTP server failed: ") + e.what());
  }
}

uint16_t Server::port() const { return impl_->port.load(); }

void Server::HandleSignals() {
  impl_->signals.emplace(impl_->control);
  boost::system::error_code ec;
  impl_->signals->add(SIGINT, ec);
  if (!ec) impl_->signals->add(SIGTERM, ec);
  if (ec) {
    // Not fatal: the server still runs and Shutdown() still works, only the signals are not ours.
    log::Error("http_signal_setup_failed", {{"error", ec.message()}});
  }
  impl_->WaitForSignal();
}

void Server::Run() {
  if (!impl_->started) return;
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->threads; ++i) extra.emplace_back([this] { impl_->RunLoop(); });
  impl_->RunLoop();
  for (auto& t : extra) t.join();
}

void Server::Shutdown() { impl_->RequestShutdown(); }

}  // namespace ap::http
