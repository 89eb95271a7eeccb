// Clock: the injected source of time. Production code never calls std::chrono::*::now() directly, so that tests
// can pin or advance time (FakeClock) and expiry, rate limits and schedules are testable.
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ap {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC). May jump; use only for timestamps and expiry stored across restarts.
  virtual TimePoint Now() const = 0;

  int64_t NowUnixMillis() const;
  int64_t NowUnixSeconds() const;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  // A process-wide instance, for app/ wiring only.
  static SystemClock& Instance();
};

// A clock that stands still until told to move. For tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
      : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(Duration(now_.load())); }
  void Advance(Duration d) { now_ += d.count(); }
  void Set(TimePoint t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<Duration::rep> now_;
};

// "2026-11-28T08:20:41Z" (whole seconds, UTC) and back. Parse returns false on anything else.
std::string FormatIso8601(TimePoint t);
std::string FormatIso8601Millis(int64_t unix_millis);
bool ParseIso8601(std::string_view text, TimePoint* out);

}  // namespace ap
