#include "common/periodic.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace ap {
namespace {

TEST(Jittered, StaysWithinTheSpreadAndNeverUnderOneSecond) {
  FakeRandom random;
  for (int i = 0; i < 1000; ++i) {
    Duration d = Jittered(std::chrono::minutes(10), 0.1, random);
    EXPECT_GE(d, std::chrono::minutes(9));
    EXPECT_LE(d, std::chrono::minutes(11));
  }
  EXPECT_EQ(Jittered(std::chrono::minutes(10), 0.0, random), std::chrono::minutes(10));
  EXPECT_EQ(Jittered(std::chrono::milliseconds(10), 0.5, random), std::chrono::seconds(1));
}

TEST(TickThread, TicksWhenDueAndStopJoins) {
  FakeClock clock;
  std::promise<void> ticked;
  int ticks = 0;  // only the tick thread writes it; read after Stop() joined
  TickThread thread(
      clock, [&] { return clock.Now(); },  // always due
      [&] {
        if (++ticks == 1) ticked.set_value();
      });
  thread.Start();
  ASSERT_EQ(ticked.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  thread.Stop();
  thread.Stop();  // idempotent
  EXPECT_GE(ticks, 1);
  thread.Start();  // no-op after Stop
}

}  // namespace
}  // namespace ap
