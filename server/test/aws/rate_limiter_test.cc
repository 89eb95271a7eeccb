#include "aws/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/testing/fake_sleeper.h"

namespace ap::aws {
namespace {

using std::chrono::milliseconds;

RateLimiterOptions Exact() {
  RateLimiterOptions o;
  o.headroom = 1.0;
  return o;
}

TEST(RateLimiter, BurstThenSteadyRate) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper, Exact());
  TimePoint start = clock.Now();
  for (int i = 0; i < 5; ++i) limiter.Acquire("AKID", "us-east-1", "GetServiceQuota");
  EXPECT_EQ(clock.Now(), start);  // the burst of 5 passes at once
  std::vector<TimePoint> times;
  for (int i = 0; i < 10; ++i) {
    limiter.Acquire("AKID", "us-east-1", "GetServiceQuota");
    times.push_back(clock.Now());
  }
  // Then one every 200 ms: 10 more calls take 2 s.
  EXPECT_EQ(times.back() - start, std::chrono::seconds(2));
  for (size_t i = 1; i < times.size(); ++i) EXPECT_EQ(times[i] - times[i - 1], milliseconds(200));
}

TEST(RateLimiter, NoMoreThanRatePlusBurstInAnyWindow) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper, Exact());
  TimePoint start = clock.Now();
  for (int i = 0; i < 50; ++i) limiter.Acquire("AKID", "us-east-1", "ListServiceQuotas");
  // 10 at once, then 40 at 10/s.
  EXPECT_EQ(clock.Now() - start, std::chrono::seconds(4));
}

TEST(RateLimiter, BucketsAreSeparatePerKeyRegionAndOperation) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper, Exact());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(limiter.Reserve("A", "us-east-1", "GetServiceQuota"), Duration::zero());
    EXPECT_EQ(limiter.Reserve("B", "us-east-1", "GetServiceQuota"), Duration::zero());
    EXPECT_EQ(limiter.Reserve("A", "eu-west-1", "GetServiceQuota"), Duration::zero());
    EXPECT_EQ(limiter.Reserve("A", "us-east-1", "GetAWSDefaultServiceQuota"), Duration::zero());
  }
  EXPECT_EQ(limiter.Reserve("A", "us-east-1", "GetServiceQuota"), milliseconds(200));
  EXPECT_EQ(limiter.bucket_count(), 4u);
}

TEST(RateLimiter, ReservationsQueue) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper, Exact());
  for (int i = 0; i < 3; ++i) limiter.Reserve("A", "r", "RequestServiceQuotaIncrease");  // burst 3
  // Without time passing, the next callers wait 1/3 s, 2/3 s, 1 s.
  EXPECT_NEAR(std::chrono::duration<double>(limiter.Reserve("A", "r", "RequestServiceQuotaIncrease")).count(), 1.0 / 3,
              1e-6);
  EXPECT_NEAR(std::chrono::duration<double>(limiter.Reserve("A", "r", "RequestServiceQuotaIncrease")).count(), 2.0 / 3,
              1e-6);
  EXPECT_NEAR(std::chrono::duration<double>(limiter.Reserve("A", "r", "RequestServiceQuotaIncrease")).count(), 1.0,
              1e-6);
}

TEST(RateLimiter, RefillsOverTimeUpToBurst) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper, Exact());
  for (int i = 0; i < 5; ++i) limiter.Reserve("A", "r", "GetServiceQuota");
  clock.Advance(std::chrono::hours(1));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Reserve("A", "r", "GetServiceQuota"), Duration::zero());
  EXPECT_GT(limiter.Reserve("A", "r", "GetServiceQuota"), Duration::zero());
}

TEST(RateLimiter, HeadroomSlowsTheRefill) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper);  // default headroom 0.9
  for (int i = 0; i < 5; ++i) limiter.Reserve("A", "r", "GetServiceQuota");
  EXPECT_NEAR(std::chrono::duration<double>(limiter.Reserve("A", "r", "GetServiceQuota")).count(), 1 / 4.5, 1e-6);
}

TEST(RateLimiter, UnlimitedOperationsPassAndAccountLimitsHaveBursts) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiter limiter(clock, sleeper, Exact());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Reserve("A", "r", "SomethingElse"), Duration::zero());
  for (int i = 0; i < 15; ++i) EXPECT_EQ(limiter.Reserve("A", "us-east-1", "GetContactInformation"), Duration::zero());
  EXPECT_EQ(limiter.Reserve("A", "us-east-1", "GetContactInformation"), milliseconds(100));
  EXPECT_EQ(DefaultRateLimits().at("ListAWSDefaultServiceQuotas").rate, 10);
  EXPECT_EQ(DefaultRateLimits().at("PutContactInformation").burst, 8);
}

TEST(RateLimiter, ThreadSafeTotalWaitMatchesRate) {
  FakeClock clock;
  testing::FakeSleeper sleeper;  // does not move the clock: reservations pile up
  RateLimiter limiter(clock, sleeper, Exact());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) limiter.Acquire("A", "r", "GetServiceQuota");
    });
  }
  for (auto& th : threads) th.join();
  // 100 calls: 5 free, then waits of 0.2, 0.4, … 19 s (one per queued token).
  auto sleeps = sleeper.sleeps();
  ASSERT_EQ(sleeps.size(), 95u);
  Duration longest = *std::max_element(sleeps.begin(), sleeps.end());
  EXPECT_EQ(longest, std::chrono::seconds(19));
}

TEST(RateLimiter, PrunesIdleBuckets) {
  FakeClock clock;
  testing::FakeSleeper sleeper(&clock);
  RateLimiterOptions o = Exact();
  o.max_buckets = 10;
  RateLimiter limiter(clock, sleeper, o);
  for (int i = 0; i < 10; ++i) limiter.Reserve(std::string(1, static_cast<char>('a' + i)), "r", "GetServiceQuota");
  clock.Advance(std::chrono::seconds(10));
  limiter.Reserve("new", "r", "GetServiceQuota");
  EXPECT_EQ(limiter.bucket_count(), 1u);
}

}  // namespace
}  // namespace ap::aws
