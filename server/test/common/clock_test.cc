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

TEST(Iso8601, RejectsImpossibleDatesInsteadOfNormalisingThem) {
  TimePoint t;
  EXPECT_FALSE(ParseIso8601("2026-13-45T00:00:00Z", &t));
  EXPECT_FALSE(ParseIso8601("2026-02-29T00:00:00Z", &t));
  EXPECT_TRUE(ParseIso8601("2024-02-29T00:00:00Z", &t));
  EXPECT_FALSE(ParseIso8601("2026-01-01T24:00:00Z", &t));
  EXPECT_FALSE(ParseIso8601("2999-01-01T00:00:00Z", &t));  // past what system_clock can hold
}

}  // namespace
}  // namespace ap
