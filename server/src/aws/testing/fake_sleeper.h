// FakeSleeper: a Sleeper that never blocks; it advances a FakeClock by the requested duration and records it.
//
// Thread safety: safe from many threads.
#pragma once

#include <mutex>
#include <vector>

#include "aws/sleeper.h"
#include "common/mutex.h"

namespace ap::aws::testing {

class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(FakeClock* clock = nullptr) : clock_(clock) {}

  void SleepFor(Duration d) override {
    MutexLock lock(mu_);
    sleeps_.push_back(d);
    if (clock_ != nullptr && d > Duration::zero()) clock_->Advance(d);
  }

  std::vector<Duration> sleeps() const {
    MutexLock lock(mu_);
    return sleeps_;
  }
  Duration total() const {
    MutexLock lock(mu_);
    Duration sum{};
    for (Duration d : sleeps_) sum += d;
    return sum;
  }

 private:
  FakeClock* clock_;
  mutable Mutex mu_;
  std::vector<Duration> sleeps_ GUARDED_BY(mu_);
};

}  // namespace ap::aws::testing
