#include "common/timer_queue.h"

namespace ap {

TimerQueue::TimerQueue() : thread_([this] { Loop(); }) {}

TimerQueue::~TimerQueue() { Shutdown(); }

void TimerQueue::Shutdown() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
    items_ = {};
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void TimerQueue::At(SteadyTime when, std::function<void()> task) {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    items_.push(Item{when, next_seq_++, std::move(task)});
  }
  cv_.notify_all();
}

void TimerQueue::Loop() {
  MutexLock lock(mu_);
  while (!stopping_) {
    if (items_.empty()) {
      lock.Wait(cv_);
      continue;
    }
    auto when = items_.top().when;
    if (std::chrono::steady_clock::now() < when) {
      lock.WaitUntil(cv_, when);
      continue;
    }
    // priority_queue::top is const: move out through a copy of the handle.
    auto task = std::move(const_cast<Item&>(items_.top()).task);
    items_.pop();
    lock.Unlock();
    task();
    lock.Lock();
  }
}

}  // namespace ap
