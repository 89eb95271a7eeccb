#include "common/clock.h"

#include <gtest/gtest.h>

namespace ap {
namespace {

TEST(FakeClock, StandsStillUntilAdvanced) {
  FakeClock clock;
  auto t0 = clock.Now();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(std::chrono::seconds(90));
  EXPECT_EQ(clock.Now() - t0, std::chrono::seconds(90));
  EXPECT_EQ(clock.NowUnixSeconds(), 1'700'000'090);
}

TEST(Iso8601, FormatsAndParsesUtc) {
  TimePoint t = TimePoint(std::chrono::seconds(1'764'318'041));
  EXPECT_EQ(FormatIso8601(t), "2025-11-28T08:20:41Z");
  TimePoint back;
  ASSERT_TRUE(ParseIso8601("2025-11-28T08:20:41Z", &back));
  EXPECT_EQ(back, t);
  EXPECT_FALSE(ParseIso8601("2025-11-28 08:20:41", &back));
}

}  // namespace
}  // namespace ap
