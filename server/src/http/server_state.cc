#include "http/server_state.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "common/encoding.h"

namespace ap::http {

std::string ServerState::NewRequestId() {
  std::array<uint8_t, 16> bytes;
  {
    // Random implementations need not be thread-safe (FakeRandom is not). Drawing a pool at a time keeps the
    // critical section tiny and saves a getrandom() system call per request with SecureRandom.
    std::lock_guard<std::mutex> lock(random_mu_);
    if (random_pos_ + bytes.size() > random_pool_.size()) {
      random_.Fill(random_pool_);
      random_pos_ = 0;
    }
    std::memcpy(bytes.data(), random_pool_.data() + random_pos_, bytes.size());
    random_pos_ += bytes.size();
  }
  return HexEncode(bytes);
}

void ServerState::Register(Session* session, std::weak_ptr<Session> weak) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.emplace(session, std::move(weak));
}

void ServerState::Unregister(Session* session) {
  std::function<void()> notify;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(session);
    if (sessions_.empty() && stopping_.load()) notify = on_drained_;
  }
  // Outside the lock: the callback posts to the event loop, which may run a session destructor inline.
  if (notify) notify();
}

size_t ServerState::connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerState::Snapshot() const {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard<std::mutex> lock(mu_);
  out.reserve(sessions_.size());
  for (const auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

void ServerState::set_on_drained(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  on_drained_ = std::move(fn);
}

}  // namespace ap::http
