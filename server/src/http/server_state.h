// What the listener and every session of one Server share: options, the handler, the static files, request-id
// generation and the registry of live sessions used for max_connections, the per-address cap, reclaiming idle
// connections under pressure and graceful shutdown. Private to http/.
//
// Thread safety: everything here is safe from any thread (immutable after construction, atomics or mutexes).
// Ownership: shared (std::shared_ptr) by the Server, the listener and each session, so that a session that
// outlives the accept loop still finds it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/mutex.h"
#include "common/random.h"
#include "http/message.h"
#include "http/server.h"
#include "http/static_files.h"

namespace ap::http {

class Session;

class ServerState {
 public:
  ServerState(ServerOptions options, Handler handler, Random& random)
      : options_(std::move(options)), handler_(std::move(handler)), random_(random) {}

  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  // Null when options().web_root is empty. REQUIRES: set before the first session starts.
  const StaticFiles* static_files() const { return static_files_ ? &*static_files_ : nullptr; }
  void set_static_files(StaticFiles files) { static_files_.emplace(std::move(files)); }

  // 16 random bytes, hex (32 characters): a fresh request id.
  std::string NewRequestId();

  // Set once by Server::Shutdown(); sessions read it before waiting for another request.
  bool stopping() const { return stopping_.load(); }
  void set_stopping() { stopping_.store(true); }

  // Session registry. Register() is called by a session when it starts, Unregister() from its destructor.
  // `address_key` (AddressKey() of the client address) counts the session for max_connections_per_ip.
  void Register(Session* session, std::weak_ptr<Session> weak, std::string address_key);
  void Unregister(Session* session);
  size_t connections() const { return connections_.load(std::memory_order_relaxed); }
  // Open connections counted under `address_key`.
  size_t connections_from(const std::string& address_key) const;
  std::vector<std::shared_ptr<Session>> Snapshot() const;

  // True while more than 3/4 of max_connections are open: idle waits are short and idle connections are
  // reclaimed (see ServerOptions::idle_timeout_under_pressure).
  bool under_pressure() const { return connections() > high_water(); }
  size_t high_water() const { return options_.max_connections - options_.max_connections / 4; }

  // Idle registry: sessions waiting for a request's first byte, oldest first. EnterIdle() returns a ticket
  // (never 0) that LeaveIdle() takes back; leaving twice, or after the ticket was reclaimed, is harmless.
  uint64_t EnterIdle(std::weak_ptr<Session> session);
  void LeaveIdle(uint64_t ticket);
  // Removes up to `n` of the oldest idle sessions from the registry and returns them with their tickets; the
  // caller asks each to close (Session::Reclaim), outside any lock of ours.
  std::vector<std::pair<std::shared_ptr<Session>, uint64_t>> TakeOldestIdle(size_t n);

  // Called (from the thread that destroys the last session) when stopping() and no session is left; the Server
  // uses it to end the grace period early. Cleared before the event loop is destroyed.
  void set_on_drained(std::function<void()> fn);

 private:
  const ServerOptions options_;
  const Handler handler_;
  std::optional<StaticFiles> static_files_;

  Mutex random_mu_;
  Random& random_ GUARDED_BY(random_mu_);
  std::array<uint8_t, 1024> random_pool_
      GUARDED_BY(random_mu_){};  // request-id bytes drawn ahead; guarded by random_mu_
  size_t random_pos_ GUARDED_BY(random_mu_) = sizeof(random_pool_);  // all used: the first id fills the pool

  std::atomic<bool> stopping_{false};

  struct Entry {
    std::weak_ptr<Session> session;
    std::string address_key;
  };
  mutable Mutex mu_;
  std::unordered_map<Session*, Entry> sessions_ GUARDED_BY(mu_);
  std::unordered_map<std::string, size_t> per_address_
      GUARDED_BY(mu_);  // address key → open connections (entries > 0 only)
  std::map<uint64_t, std::weak_ptr<Session>> idle_ GUARDED_BY(mu_);  // ticket (increasing) → idle session
  uint64_t next_idle_ticket_ GUARDED_BY(mu_) = 1;
  std::atomic<size_t> connections_{0};  // sessions_.size(), readable without the lock
  std::function<void()> on_drained_ GUARDED_BY(mu_);
};

}  // namespace ap::http
