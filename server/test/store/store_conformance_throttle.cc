// Conformance: login attempt counters (store.h "Login throttle").
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

LoginThrottlePolicy Policy() {
  LoginThrottlePolicy p;
  p.free_attempts = 3;
  p.base_wait_ms = 1000;
  p.max_wait_ms = 4000;
  p.forget_after_ms = 60'000;
  return p;
}

TEST_P(StoreConformance, LoginThrottleCountsThenLocksWithDoublingWaits) {
  auto p = Policy();
  for (int i = 1; i <= 2; ++i) {
    auto d = store().CountLoginAttempt("k", kNow, p);
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed);
    EXPECT_EQ(d->state.attempts, i);
    EXPECT_EQ(d->state.locked_until_ms, 0);
    EXPECT_EQ(d->state.expires_at_ms, kNow + 60'000);
  }
  auto third = store().CountLoginAttempt("k", kNow, p);  // the free_attempts-th attempt sets the first wait
  ASSERT_OK(third);
  EXPECT_TRUE(third->allowed);
  EXPECT_EQ(third->state.locked_until_ms, kNow + 1000);
  EXPECT_EQ(third->state.expires_at_ms, kNow + 1000 + 60'000);
  auto refused = store().CountLoginAttempt("k", kNow + 999, p);
  ASSERT_OK(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->state.attempts, 3);  // not counted
  EXPECT_EQ(refused->state.locked_until_ms, kNow + 1000);
  auto fourth = store().CountLoginAttempt("k", kNow + 1000, p);
  ASSERT_OK(fourth);
  EXPECT_TRUE(fourth->allowed);
  EXPECT_EQ(fourth->state.locked_until_ms, kNow + 1000 + 2000);
  auto fifth = store().CountLoginAttempt("k", kNow + 3000, p);
  ASSERT_OK(fifth);
  EXPECT_EQ(fifth->state.locked_until_ms, kNow + 3000 + 4000);
  auto sixth = store().CountLoginAttempt("k", kNow + 7000, p);  // capped at max_wait_ms
  ASSERT_OK(sixth);
  EXPECT_EQ(sixth->state.locked_until_ms, kNow + 7000 + 4000);
  auto got = store().GetLoginThrottle("k", kNow + 7000);
  ASSERT_OK(got);
  EXPECT_EQ(got->attempts, 6);
  EXPECT_EQ(got->locked_until_ms, kNow + 11'000);
  // Other keys are independent.
  EXPECT_EQ(store().GetLoginThrottle("other", kNow).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, LoginThrottleKeysExpireAndArePurged) {
  auto p = Policy();
  ASSERT_OK(store().CountLoginAttempt("old", kNow, p));
  ASSERT_OK(store().CountLoginAttempt("new", kNow + 30'000, p));
  // Expired counts as absent, even before the purge.
  EXPECT_EQ(store().GetLoginThrottle("old", kNow + 60'000).status().code(), StatusCode::kNotFound);
  auto fresh = store().CountLoginAttempt("old", kNow + 60'000, p);
  ASSERT_OK(fresh);
  EXPECT_EQ(fresh->state.attempts, 1);
  auto purged = store().DeleteExpiredLoginThrottles(kNow + 90'000);
  ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1);  // "new" (expired at +90 s); "old" was renewed
  EXPECT_EQ(store().GetLoginThrottle("new", kNow).status().code(), StatusCode::kNotFound);
  EXPECT_OK(store().GetLoginThrottle("old", kNow + 90'000));
}

TEST_P(StoreConformance, LoginThrottleClearAndRefund) {
  auto p = Policy();
  for (int i = 0; i < 3; ++i) ASSERT_OK(store().CountLoginAttempt("k", kNow, p));
  ASSERT_OK(store().RefundLoginAttempt("k"));
  auto got = store().GetLoginThrottle("k", kNow);
  ASSERT_OK(got);
  EXPECT_EQ(got->attempts, 2);
  EXPECT_EQ(got->locked_until_ms, kNow + 1000);  // a refund keeps the lock
  ASSERT_OK(store().ClearLoginFailures("k"));
  EXPECT_EQ(store().GetLoginThrottle("k", kNow).status().code(), StatusCode::kNotFound);
  auto d = store().CountLoginAttempt("k", kNow, p);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->state.attempts, 1);
  // Absent keys: both are no-ops.
  EXPECT_OK(store().RefundLoginAttempt("absent"));
  EXPECT_OK(store().ClearLoginFailures("absent"));
  ASSERT_OK(store().RefundLoginAttempt("k"));
  ASSERT_OK(store().RefundLoginAttempt("k"));
  got = store().GetLoginThrottle("k", kNow);
  ASSERT_OK(got);
  EXPECT_EQ(got->attempts, 0);  // never below zero
}

// Check and count are one step: parallel attempts on one key allow exactly free_attempts.
TEST_P(StoreConformance, LoginThrottleCountsParallelAttemptsAtomically) {
  auto p = Policy();
  std::atomic<int> allowed{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto d = store().CountLoginAttempt("k", kNow, p);
        if (!d.ok())
          ++errors;
        else if (d->allowed)
          ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(allowed.load(), 3);
}

// No key is dropped to make room: a locked key stays locked however many other keys are counted. (5,000 keys
// keep the file-backed run short; AuthService's test sprays 100,500 logins through the in-memory store.)
TEST_P(StoreConformance, LoginThrottleNeverDropsALockedKeyForOthers) {
  auto p = Policy();
  p.max_wait_ms = p.base_wait_ms = 15 * 60 * 1000;
  for (int i = 0; i < 3; ++i) ASSERT_OK(store().CountLoginAttempt("victim", kNow, p));
  for (int i = 0; i < 5'000; ++i) {
    auto d = store().CountLoginAttempt("spray-" + std::to_string(i), kNow + 1, p);
    ASSERT_OK(d);
  }
  auto d = store().CountLoginAttempt("victim", kNow + 2, p);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(d->state.locked_until_ms, kNow + 15 * 60 * 1000);
}

}  // namespace
}  // namespace ap::store::testing
