// CallGate: what the scripted fakes share to make concurrency testable without sleeps: it counts the calls that
// pass through it, lets a test wait until a number of calls have started, and can hold calls until released (to
// keep a call in flight, fill a queue, or make callers arrive while one runs).
//
// Thread safety: safe from any thread.
#pragma once

#include <condition_variable>
#include <mutex>

namespace ap::testing {

class CallGate {
 public:
  // Counts a call, then waits while the gate is held.
  void Pass() {
    std::unique_lock lock(mu_);
    ++calls_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !held_; });
  }
  // Calls wait in Pass() from now until Release().
  void Hold() {
    std::lock_guard lock(mu_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_all();
  }
  // Returns once `n` calls have passed or wait at the gate (in total).
  void WaitForCalls(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return calls_ >= n; });
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int calls_ = 0;
  bool held_ = false;
};

}  // namespace ap::testing
