// Conformance: leases and epochs (coordination_store.h). Each test names the clause it checks; every test goes
// through the CoordinationStore interface only.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kTtl = 30'000;

TEST_P(StoreConformance, LeaseFreeIsTakenWithTokenOne) {
  ASSERT_OK_AND_ASSIGN(Lease got, store().AcquireLease("fleet-job", "i_a", kNow, kTtl));
  EXPECT_EQ(got, (Lease{.name = "fleet-job", .holder = "i_a", .token = 1, .expires_at_ms = kNow + kTtl}));
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("fleet-job"));
  EXPECT_EQ(stored, got);
  EXPECT_EQ(store().GetLease("other").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, LeaseHeldByAnotherIsRefusedAndUnchanged) {
  ASSERT_OK(store().AcquireLease("fleet-job", "i_a", kNow, kTtl));
  auto refused = store().AcquireLease("fleet-job", "i_b", kNow + kTtl - 1, kTtl);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("i_a"), std::string::npos) << refused.status().message();
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("fleet-job"));
  EXPECT_EQ(stored.holder, "i_a");
  EXPECT_EQ(stored.token, 1);
  EXPECT_EQ(stored.expires_at_ms, kNow + kTtl);
}

TEST_P(StoreConformance, LeaseExpiredIsTakenByAnotherWithTheNextToken) {
  ASSERT_OK(store().AcquireLease("fleet-job", "i_a", kNow, kTtl));
  // Free from expires_at_ms on (not after).
  ASSERT_OK_AND_ASSIGN(Lease got, store().AcquireLease("fleet-job", "i_b", kNow + kTtl, kTtl));
  EXPECT_EQ(got.holder, "i_b");
  EXPECT_EQ(got.token, 2);
  EXPECT_EQ(got.expires_at_ms, kNow + 2 * kTtl);
}

TEST_P(StoreConformance, LeaseAcquiredAgainByItsLiveHolderIsRenewedKeepingTheToken) {
  ASSERT_OK(store().AcquireLease("fleet-job", "i_a", kNow, kTtl));
  ASSERT_OK_AND_ASSIGN(Lease again, store().AcquireLease("fleet-job", "i_a", kNow + 10, kTtl));
  EXPECT_EQ(again.token, 1);
  EXPECT_EQ(again.expires_at_ms, kNow + 10 + kTtl);
  ASSERT_OK_AND_ASSIGN(Lease renewed, store().RenewLease("fleet-job", "i_a", 1, kNow + 20, 5'000));
  EXPECT_EQ(renewed, (Lease{.name = "fleet-job", .holder = "i_a", .token = 1, .expires_at_ms = kNow + 20 + 5'000}));
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("fleet-job"));
  EXPECT_EQ(stored, renewed);
}

TEST_P(StoreConformance, LeaseRenewedAfterExpiryWhenNobodyTookIt) {
  ASSERT_OK(store().AcquireLease("fleet-job", "i_a", kNow, kTtl));
  ASSERT_OK_AND_ASSIGN(Lease renewed, store().RenewLease("fleet-job", "i_a", 1, kNow + 2 * kTtl, kTtl));
  EXPECT_EQ(renewed.token, 1);
  EXPECT_EQ(renewed.expires_at_ms, kNow + 3 * kTtl);
}

TEST_P(StoreConformance, LeaseTakenAgainAfterLosingItIsANewTenure) {
  // Expired: its last holder takes it again, with a new token (its old one may be on writes made before).
  ASSERT_OK(store().AcquireLease("l", "i_a", kNow, kTtl));
  ASSERT_OK_AND_ASSIGN(Lease again, store().AcquireLease("l", "i_a", kNow + kTtl, kTtl));
  EXPECT_EQ(again.token, 2);
  EXPECT_EQ(store().RenewLease("l", "i_a", 1, kNow + kTtl, kTtl).status().code(), StatusCode::kFailedPrecondition);
  // Released: the same.
  ASSERT_OK(store().ReleaseLease("l", "i_a", 2));
  ASSERT_OK_AND_ASSIGN(Lease third, store().AcquireLease("l", "i_a", kNow + kTtl, kTtl));
  EXPECT_EQ(third.token, 3);
}

TEST_P(StoreConformance, LeaseTokensGrowWithEachNewHolder) {
  std::vector<int64_t> tokens;
  const std::vector<std::string> holders = {"i_a", "i_b", "i_c", "i_a", "i_b"};
  int64_t now = kNow;
  for (const std::string& h : holders) {
    ASSERT_OK_AND_ASSIGN(Lease got, store().AcquireLease("fleet-job", h, now, kTtl));
    EXPECT_EQ(got.holder, h);
    tokens.push_back(got.token);
    now += kTtl;  // each lease expires before the next holder comes
  }
  EXPECT_EQ(tokens, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST_P(StoreConformance, LeaseRenewAfterTakeoverFailsAndChangesNothing) {
  ASSERT_OK(store().AcquireLease("fleet-job", "i_a", kNow, kTtl));
  ASSERT_OK_AND_ASSIGN(Lease b, store().AcquireLease("fleet-job", "i_b", kNow + kTtl, kTtl));
  auto stale = store().RenewLease("fleet-job", "i_a", 1, kNow + kTtl + 1, kTtl);
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  // A wrong token alone is refused too, even for the current holder's id.
  EXPECT_EQ(store().RenewLease("fleet-job", "i_b", 1, kNow + kTtl + 1, kTtl).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("fleet-job"));
  EXPECT_EQ(stored, b);
}

TEST_P(StoreConformance, LeaseRenewOfAReleasedOrUnknownLeaseFails) {
  EXPECT_EQ(store().RenewLease("never", "i_a", 1, kNow, kTtl).status().code(), StatusCode::kNotFound);
  ASSERT_OK(store().AcquireLease("l", "i_a", kNow, kTtl));
  ASSERT_OK(store().ReleaseLease("l", "i_a", 1));
  EXPECT_EQ(store().RenewLease("l", "i_a", 1, kNow + 1, kTtl).status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(StoreConformance, LeaseReleaseFreesItKeepingHolderAndToken) {
  ASSERT_OK(store().AcquireLease("l", "i_a", kNow, kTtl));
  ASSERT_OK(store().ReleaseLease("l", "i_a", 1));
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("l"));
  EXPECT_EQ(stored, (Lease{.name = "l", .holder = "i_a", .token = 1, .expires_at_ms = 0}));
  // Free at once for anyone, with the next token.
  ASSERT_OK_AND_ASSIGN(Lease b, store().AcquireLease("l", "i_b", kNow + 1, kTtl));
  EXPECT_EQ(b.token, 2);
}

TEST_P(StoreConformance, LeaseReleaseIsIdempotentAndNeverFreesAnothersLease) {
  EXPECT_OK(store().ReleaseLease("never", "i_a", 1));  // nothing to release
  ASSERT_OK(store().AcquireLease("l", "i_a", kNow, kTtl));
  ASSERT_OK_AND_ASSIGN(Lease b, store().AcquireLease("l", "i_b", kNow + kTtl, kTtl));
  EXPECT_OK(store().ReleaseLease("l", "i_a", 1));  // the old holder's release: OK, nothing written
  EXPECT_OK(store().ReleaseLease("l", "i_b", 1));  // the right holder with a wrong token: the same
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("l"));
  EXPECT_EQ(stored, b);
  EXPECT_OK(store().ReleaseLease("l", "i_b", 2));
  EXPECT_OK(store().ReleaseLease("l", "i_b", 2));  // again: still OK, still released
  ASSERT_OK_AND_ASSIGN(Lease released, store().GetLease("l"));
  EXPECT_EQ(released.expires_at_ms, 0);
  EXPECT_EQ(released.token, 2);
}

TEST_P(StoreConformance, LeasesAreIndependentByName) {
  ASSERT_OK(store().AcquireLease("refresh/111111111111/us-east-1", "i_a", kNow, kTtl));
  ASSERT_OK_AND_ASSIGN(Lease other, store().AcquireLease("refresh/111111111111/eu-west-1", "i_b", kNow, kTtl));
  EXPECT_EQ(other.token, 1);
  EXPECT_EQ(other.holder, "i_b");
}

TEST_P(StoreConformance, LeaseRacedForByManyHoldersHasExactlyOneWinner) {
  constexpr int kThreads = 16;
  std::atomic<int> wins{0};
  std::atomic<int> refused{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  std::vector<int64_t> tokens(kThreads, 0);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto r = store().AcquireLease("fleet-job", "i_" + std::to_string(i), kNow, kTtl);
      if (r.ok()) {
        ++wins;
        tokens[i] = r->token;
      } else if (r.status().code() == StatusCode::kFailedPrecondition) {
        ++refused;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  ASSERT_OK_AND_ASSIGN(Lease stored, store().GetLease("fleet-job"));
  EXPECT_EQ(stored.token, 1);
  const int winner = std::stoi(stored.holder.substr(2));
  EXPECT_EQ(tokens[winner], 1);
}

TEST_P(StoreConformance, LeaseArgumentsAreValidated) {
  auto field = [](const Status& s) { return s.code() == StatusCode::kInvalidArgument ? s.field() : "<not invalid>"; };
  EXPECT_EQ(field(store().AcquireLease("", "i_a", kNow, kTtl).status()), "name");
  EXPECT_EQ(field(store().AcquireLease(std::string(513, 'n'), "i_a", kNow, kTtl).status()), "name");
  EXPECT_EQ(field(store().AcquireLease("l", "", kNow, kTtl).status()), "holder");
  EXPECT_EQ(field(store().AcquireLease("l", std::string(513, 'h'), kNow, kTtl).status()), "holder");
  EXPECT_EQ(field(store().AcquireLease("l", "i_a", kNow, 0).status()), "ttl_ms");
  EXPECT_EQ(field(store().AcquireLease("l", "i_a", kNow, -1).status()), "ttl_ms");
  EXPECT_EQ(field(store().AcquireLease("l", "i_a", kNow, kMaxLeaseTtlMs + 1).status()), "ttl_ms");
  EXPECT_EQ(field(store().RenewLease("", "i_a", 1, kNow, kTtl).status()), "name");
  EXPECT_EQ(field(store().RenewLease("l", "", 1, kNow, kTtl).status()), "holder");
  EXPECT_EQ(field(store().RenewLease("l", "i_a", 1, kNow, 0).status()), "ttl_ms");
  EXPECT_EQ(field(store().ReleaseLease("", "i_a", 1)), "name");
  EXPECT_EQ(field(store().ReleaseLease("l", "", 1)), "holder");
  EXPECT_EQ(field(store().GetLease("").status()), "name");
  EXPECT_EQ(field(store().BumpEpoch("").status()), "name");
  EXPECT_EQ(field(store().GetEpoch("").status()), "name");
  // Nothing was written by the refused calls; the limits themselves are accepted.
  EXPECT_EQ(store().GetLease("l").status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(Lease longest, store().AcquireLease("l", std::string(512, 'h'), kNow, kMaxLeaseTtlMs));
  EXPECT_EQ(longest.expires_at_ms, kNow + kMaxLeaseTtlMs);
  EXPECT_OK(store().AcquireLease(std::string(512, 'n'), "i_a", kNow, 1));
}

TEST_P(StoreConformance, EpochStartsAtZeroAndCountsBumps) {
  ASSERT_OK_AND_ASSIGN(int64_t zero, store().GetEpoch("sessions"));
  EXPECT_EQ(zero, 0);
  ASSERT_OK_AND_ASSIGN(int64_t one, store().BumpEpoch("sessions"));
  EXPECT_EQ(one, 1);
  ASSERT_OK_AND_ASSIGN(int64_t two, store().BumpEpoch("sessions"));
  EXPECT_EQ(two, 2);
  ASSERT_OK_AND_ASSIGN(int64_t read, store().GetEpoch("sessions"));
  EXPECT_EQ(read, 2);
  ASSERT_OK_AND_ASSIGN(int64_t other, store().GetEpoch("users"));
  EXPECT_EQ(other, 0);
}

TEST_P(StoreConformance, EpochConcurrentBumpsLoseNone) {
  constexpr int kThreads = 8;
  constexpr int kBumps = 25;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> seen(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < kBumps; ++n) {
        auto v = store().BumpEpoch("accounts");
        if (v.ok()) seen[i].push_back(*v);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_OK_AND_ASSIGN(int64_t final_value, store().GetEpoch("accounts"));
  EXPECT_EQ(final_value, kThreads * kBumps);
  // Every bump returned a value of its own: 1..N, each once.
  std::set<int64_t> values;
  for (const auto& s : seen) values.insert(s.begin(), s.end());
  EXPECT_EQ(values.size(), static_cast<size_t>(kThreads * kBumps));
  EXPECT_EQ(*values.begin(), 1);
  EXPECT_EQ(*values.rbegin(), kThreads * kBumps);
}

}  // namespace
}  // namespace ap::store::testing
