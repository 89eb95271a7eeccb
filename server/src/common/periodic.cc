#include "common/periodic.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace ap {

Duration Jittered(Duration interval, double jitter, Random& random) {
  auto base = std::chrono::duration_cast<std::chrono::milliseconds>(interval).count();
  auto spread = static_cast<int64_t>(static_cast<double>(base) * jitter);
  int64_t offset =
      spread > 0 ? static_cast<int64_t>(random.Uniform(static_cast<uint64_t>(2 * spread + 1))) - spread : 0;
  return std::chrono::milliseconds(std::max<int64_t>(1000, base + offset));
}

TickThread::TickThread(const Clock& clock, std::function<TimePoint()> next_due, std::function<void()> tick)
    : clock_(clock), next_due_(std::move(next_due)), tick_(std::move(tick)) {}

TickThread::~TickThread() { Stop(); }

void TickThread::Start() {
  MutexLock lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] {
    MutexLock lock(mu_);
    while (!stopping_) {
      auto wait = std::clamp<Duration>(next_due_() - clock_.Now(), std::chrono::seconds(1), std::chrono::minutes(1));
      lock.WaitFor(cv_, wait);
      if (stopping_) break;
      lock.Unlock();
      tick_();
      lock.Lock();
    }
  });
}

void TickThread::Stop() {
  std::thread thread;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  cv_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace ap
