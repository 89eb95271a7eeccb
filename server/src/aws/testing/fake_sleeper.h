// FakeSleeper: a Sleeper that never blocks; it advances a FakeClock by the requested duration and records it.
//
// Thread safety: safe from many threads.
#pragma once

#include <mutex>
#include <vector>

#include "aws/sleeper.h"

namespace ap::aws::testing {

class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(FakeClock* clock = nullptr) : clock_(clock) {}

  void SleepFor(Duration d) override {
    std::lock_guard lock(mu_);
    sleeps_.push_back(d);
    if (clock_ != nullptr && d > Duration::zero()) clock_->Advance(d);
  }

  std::vector<Duration> sleeps() const {
    std::lock_guard lock(mu_);
    return sleeps_;
  }
  Duration total() const {
    std::lock_guard lock(mu_);
    Duration sum{};
    for (Duration d : sleeps_) sum += d;
    return sum;
  }

 private:
  FakeClock* clock_;
  mutable std::mutex mu_;
  std::vector<Duration> sleeps_;
};

}  // namespace ap::aws::testing
