// Pieces shared by the background tasks that run "every interval": the jittered wait, and the thread that wakes
// when a run is due.
//
// Thread safety: Jittered() is as safe as the Random it is given. TickThread: Start() and Stop() are safe from any
// thread (idempotent); `next_due` and `tick` run on the tick thread only. Ownership: TickThread owns its thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/random.h"

namespace ap {

// `interval` × (1 ± jitter), drawn uniformly from `random`, and never under one second. Several instances (and
// many installations) that start together then do not act in the same second.
Duration Jittered(Duration interval, double jitter, Random& random);

// A thread that calls `tick` whenever the time `next_due` returns has passed on `clock`. Real time paces the
// thread (it waits until the due time, at least 1 s and at most 1 min per wait, so a jump of the injected clock is
// seen within a minute); the injected clock decides what is due, so tests drive the owner's Tick() directly with
// a FakeClock and the thread only repeats it. `tick` decides itself whether to act (it may run a little early
// or late).
class TickThread {
 public:
  TickThread(const Clock& clock, std::function<TimePoint()> next_due, std::function<void()> tick);
  ~TickThread();  // Stop()
  TickThread(const TickThread&) = delete;
  TickThread& operator=(const TickThread&) = delete;

  // Starts the thread; no-op when it runs already or after Stop().
  void Start();
  // Wakes and joins the thread (an ongoing tick finishes first). Idempotent.
  void Stop();

 private:
  const Clock& clock_;
  const std::function<TimePoint()> next_due_;
  const std::function<void()> tick_;
  Mutex mu_;  // guards stopping_ and thread_
  std::condition_variable cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_ GUARDED_BY(mu_);
};

}  // namespace ap
