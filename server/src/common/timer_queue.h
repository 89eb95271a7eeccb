// TimerQueue: runs tasks at a given time on one timer thread, for work that must wait without holding a worker
// (pacing AWS calls to the API rate). Tasks should be short: typically they hand work to a ThreadPool.
//
// Time is the steady clock (waiting, not timestamps). Thread safety: safe from any thread. Ownership: the
// destructor drops tasks not yet due and joins the timer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "common/mutex.h"

namespace ap {

class TimerQueue {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  TimerQueue();
  ~TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Runs `task` on the timer thread at `when` (at once if it is past). Tasks due at the same time run in the
  // order they were added. After Shutdown() the task is dropped.
  void At(SteadyTime when, std::function<void()> task);
  // Drops the pending tasks, stops the timer thread and makes later At() calls no-ops. Idempotent. Lets the
  // owner stop timers before the objects their tasks use, while those objects may still call At().
  void Shutdown();

 private:
  struct Item {
    SteadyTime when;
    uint64_t seq;
    std::function<void()> task;
    bool operator>(const Item& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };
  void Loop();

  Mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> items_ GUARDED_BY(mu_);
  uint64_t next_seq_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ap
