// Latch: signals once, however often it is notified (e.g. "the refresh found the lease held"); Wait() returns once
// it was. Thread safety: safe from any thread.
#pragma once

#include <future>
#include <mutex>

namespace ap::testing {

class Latch {
 public:
  void Notify() {
    std::call_once(once_, [this] { promise_.set_value(); });
  }
  void Wait() { future_.wait(); }

 private:
  std::once_flag once_;
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
};

}  // namespace ap::testing
