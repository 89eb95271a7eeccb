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
    MutexLock lock(random_mu_);
    if (random_pos_ + bytes.size() > random_pool_.size()) {
      random_.Fill(random_pool_);
      random_pos_ = 0;
    }
    std::memcpy(bytes.data(), random_pool_.data() + random_pos_, bytes.size());
    random_pos_ += bytes.size();
  }
  return HexEncode(bytes);
}

void ServerState::Register(Session* session, std::weak_ptr<Session> weak, std::string address_key) {
  MutexLock lock(mu_);
  ++per_address_[address_key];
  sessions_.emplace(session, Entry{std::move(weak), std::move(address_key)});
  connections_.store(sessions_.size(), std::memory_order_relaxed);
}

void ServerState::Unregister(Session* session) {
  std::function<void()> notify;
  {
    MutexLock lock(mu_);
    auto it = sessions_.find(session);
    if (it != sessions_.end()) {
      auto count = per_address_.find(it->second.address_key);
      if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
      sessions_.erase(it);
    }
    connections_.store(sessions_.size(), std::memory_order_relaxed);
    if (sessions_.empty() && stopping_.load()) notify = on_drained_;
  }
  // Outside the lock: the callback posts to the event loop, which may run a session destructor inline.
  if (notify) notify();
}

size_t ServerState::connections_from(const std::string& address_key) const {
  MutexLock lock(mu_);
  auto it = per_address_.find(address_key);
  return it == per_address_.end() ? 0 : it->second;
}

std::vector<std::shared_ptr<Session>> ServerState::Snapshot() const {
  std::vector<std::shared_ptr<Session>> out;
  MutexLock lock(mu_);
  out.reserve(sessions_.size());
  for (const auto& [ptr, entry] : sessions_) {
    if (auto s = entry.session.lock()) out.push_back(std::move(s));
  }
  return out;
}

uint64_t ServerState::EnterIdle(std::weak_ptr<Session> session) {
  MutexLock lock(mu_);
  uint64_t ticket = next_idle_ticket_++;
  idle_.emplace(ticket, std::move(session));
  return ticket;
}

void ServerState::LeaveIdle(uint64_t ticket) {
  MutexLock lock(mu_);
  idle_.erase(ticket);
}

std::vector<std::pair<std::shared_ptr<Session>, uint64_t>> ServerState::TakeOldestIdle(size_t n) {
  std::vector<std::pair<std::shared_ptr<Session>, uint64_t>> out;
  MutexLock lock(mu_);
  while (out.size() < n && !idle_.empty()) {
    auto it = idle_.begin();
    if (auto s = it->second.lock()) out.emplace_back(std::move(s), it->first);
    idle_.erase(it);
  }
  return out;
}

void ServerState::set_on_drained(std::function<void()> fn) {
  MutexLock lock(mu_);
  on_drained_ = std::move(fn);
}

}  // namespace ap::http
