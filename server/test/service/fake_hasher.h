// FakeHasher: a PasswordHasher for tests that counts verifications and can hold them at a gate, so that tests
// can assert "one verification per login" and fill the hash pool's queue without sleeps. Its "hash" of p is
// "fake:" + p.
//
// Thread safety: safe from any thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

#include "service/crypto.h"

namespace ap::testing {

class FakeHasher final : public service::PasswordHasher {
 public:
  Result<std::string> Hash(std::string_view password) override { return "fake:" + std::string(password); }
  bool Verify(std::string_view password, std::string_view encoded) override {
    std::unique_lock lock(mu_);
    ++verifications_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    return encoded == "fake:" + std::string(password);
  }

  int verifications() const {
    std::lock_guard lock(mu_);
    return verifications_;
  }
  // Verifications wait at the gate until Open().
  void Close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Returns once `n` verifications have started (in total).
  void WaitForVerifications(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return verifications_ >= n; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int verifications_ = 0;
  bool open_ = true;
};

}  // namespace ap::testing
