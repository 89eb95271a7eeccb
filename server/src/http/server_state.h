// What the listener and every session of one Server share: options, the handler, the static files, request-id
// generation and the registry of live sessions used for max_connections and graceful shutdown. Private to http/.
//
// Thread safety: everything here is safe from any thread (immutable after construction, atomics or mutexes).
// Ownership: shared (std::shared_ptr) by the Server, the listener and each session, so that a session that
// outlives the accept loop still finds it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
  void Register(Session* session, std::weak_ptr<Session> weak);
  void Unregister(Session* session);
  size_t connections() const;
  std::vector<std::shared_ptr<Session>> Snapshot() const;

  // Called (from the thread that destroys the last session) when stopping() and no session is left; the Server
  // uses it to end the grace period early. Cleared before the event loop is destroyed.
  void set_on_drained(std::function<void()> fn);

 private:
  const ServerOptions options_;
  const Handler handler_;
  std::optional<StaticFiles> static_files_;

  std::mutex random_mu_;
  Random& random_;
  std::array<uint8_t, 1024> random_pool_{};  // request-id bytes drawn ahead; guarded by random_mu_
  size_t random_pos_ = sizeof(random_pool_);  // all used: the first id fills the pool

  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::function<void()> on_drained_;
};

}  // namespace ap::http
