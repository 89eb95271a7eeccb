// ThreadPool: a fixed set of worker threads running submitted tasks in FIFO order. Used for blocking work
// (AWS calls) that must never run on an HTTP I/O thread.
//
// Thread safety: Submit() is safe from any thread, including from a task. Ownership: the pool owns its
// threads; the destructor stops accepting work, finishes the queued tasks and joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/mutex.h"

namespace ap {

class ThreadPool {
 public:
  // REQUIRES: threads >= 1.
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`. A task must not throw (an escaping exception terminates the process, as in std::thread).
  // Never refuses: for the server's own work, whose amount it controls.
  void Submit(std::function<void()> task);
  // Queues `task` only while fewer than `max_queued` tasks wait (running tasks do not count); returns false
  // and drops `task` otherwise. For work that clients ask for, so that a flood of requests cannot grow the
  // queue without bound.
  [[nodiscard]] bool TrySubmit(std::function<void()> task, size_t max_queued);

  size_t size() const { return workers_.size(); }
  // Tasks queued but not started (for metrics).
  size_t queued() const;

 private:
  void Work();

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace ap
