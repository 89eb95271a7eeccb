// Sleeper: the injected way to wait (retry backoff, rate limiting), so that tests never sleep. Production uses
// RealSleeper; tests use testing/fake_sleeper.h, which advances a FakeClock instead.
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <thread>

#include "common/clock.h"

namespace ap::aws {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Blocks the calling thread for about `d` (returns at once when d <= 0).
  virtual void SleepFor(Duration d) = 0;
};

class RealSleeper final : public Sleeper {
 public:
  void SleepFor(Duration d) override {
    if (d > Duration::zero()) std::this_thread::sleep_for(d);
  }
  // A process-wide instance, for app/ wiring.
  static RealSleeper& Instance() {
    static RealSleeper instance;
    return instance;
  }
};

}  // namespace ap::aws
