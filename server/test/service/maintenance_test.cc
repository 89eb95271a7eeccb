// MaintenanceRunner with a FakeClock: purges expired sessions and audit entries past the retention, in bounded
// batches, when due, plus added purges.
#include "service/maintenance.h"

#include <gtest/gtest.h>

#include <memory>

#include "status_matchers.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::service {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;

class MaintenanceTest : public ::testing::Test {
 protected:
  MaintenanceTest() {
    auto opened = store::SqliteStore::Open({.path = ":memory:"});
    EXPECT_OK(opened);
    store_ = std::move(opened).value();
    domain::User u;
    u.user_id = "u_1";
    u.email = "ada@example.com";
    u.password_hash = "x";
    EXPECT_OK(store_->CreateUser(u));
  }

  void AddSession(const std::string& hash, int64_t expires_at_ms) {
    domain::Session s;
    s.token_hash = hash;
    s.user_id = "u_1";
    s.created_at_ms = clock_.NowUnixMillis();
    s.expires_at_ms = expires_at_ms;
    ASSERT_OK(store_->CreateSession(s, 100));
  }
  void AddAudit(const std::string& id, int64_t at_ms) {
    domain::AuditEntry e;
    e.audit_id = id;
    e.at_ms = at_ms;
    e.actor_id = "u_1";
    e.action = "auth.login";
    e.outcome = "success";
    ASSERT_OK(store_->AppendAudit(e));
  }
  bool HasSession(const std::string& hash) { return store_->GetSession(hash).ok(); }
  int64_t AuditCount() { return static_cast<int64_t>(store_->ListAudit({.limit = 1000}).value().items.size()); }

  FakeClock clock_;
  FakeRandom random_{3};
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(MaintenanceTest, RunOncePurgesExpiredSessionsAndAuditOlderThanTheRetention) {
  const int64_t now = clock_.NowUnixMillis();
  AddSession("expired", now - 1);
  AddSession("expiring_now", now);
  AddSession("live", now + 1);
  AddAudit("too_old", now - 401 * kDayMs);
  AddAudit("just_old", now - 400 * kDayMs - 1);
  AddAudit("kept", now - 400 * kDayMs);
  AddAudit("recent", now - kDayMs);
  MaintenanceRunner runner(*store_, clock_, random_, {.audit_retention = std::chrono::hours(24 * 400)});
  auto results = runner.RunOnce();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].name, "sessions");
  EXPECT_OK(results[0].status);
  EXPECT_EQ(results[0].removed, 2);
  EXPECT_EQ(results[1].name, "audit_retention");
  EXPECT_EQ(results[1].removed, 2);
  EXPECT_FALSE(HasSession("expired"));
  EXPECT_FALSE(HasSession("expiring_now"));
  EXPECT_TRUE(HasSession("live"));
  EXPECT_EQ(AuditCount(), 2);
  // Idempotent: a second run (or another instance's) finds nothing more.
  results = runner.RunOnce();
  EXPECT_EQ(results[0].removed, 0);
  EXPECT_EQ(results[1].removed, 0);
}

TEST_F(MaintenanceTest, TickRunsWhenDueThenAJitteredIntervalLater) {
  MaintenanceRunner runner(*store_, clock_, random_, {.interval = std::chrono::minutes(10), .jitter = 0.1});
  AddSession("s", clock_.NowUnixMillis() + 5 * 60 * 1000);
  EXPECT_TRUE(runner.Tick());  // due at construction
  EXPECT_TRUE(HasSession("s"));
  auto wait = runner.next_run() - clock_.Now();
  EXPECT_GE(wait, std::chrono::minutes(9));
  EXPECT_LE(wait, std::chrono::minutes(11));
  clock_.Advance(std::chrono::minutes(8));
  EXPECT_FALSE(runner.Tick());
  EXPECT_TRUE(HasSession("s"));  // expired by now, but no run was due
  clock_.Advance(std::chrono::minutes(4));
  EXPECT_TRUE(runner.Tick());
  EXPECT_FALSE(HasSession("s"));
  EXPECT_FALSE(runner.Tick());
}

TEST_F(MaintenanceTest, AuditRetentionDeletesInBoundedBatchesAndLeavesTheRestToTheNextRun) {
  for (int i = 0; i < 5; ++i) AddAudit("old_" + std::to_string(i), clock_.NowUnixMillis() - 500 * kDayMs + i);
  AddAudit("recent", clock_.NowUnixMillis());
  MaintenanceRunner runner(*store_, clock_, random_, {.audit_batch = 2, .max_audit_batches = 2});
  EXPECT_EQ(runner.RunOnce()[1].removed, 4);
  EXPECT_EQ(AuditCount(), 2);
  EXPECT_EQ(runner.RunOnce()[1].removed, 1);
  EXPECT_EQ(AuditCount(), 1);
  EXPECT_EQ(store_->ListAudit({}).value().items[0].audit_id, "recent");
}

TEST_F(MaintenanceTest, ZeroRetentionKeepsTheAuditLogForever) {
  AddAudit("ancient", 1);
  MaintenanceRunner runner(*store_, clock_, random_, {.audit_retention = Duration::zero()});
  auto results = runner.RunOnce();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].name, "sessions");
  EXPECT_EQ(AuditCount(), 1);
}

TEST_F(MaintenanceTest, AddedPurgesRunAfterTheBuiltInOnesAndOneFailingStopsNoOther) {
  MaintenanceRunner runner(*store_, clock_, random_, {});
  int64_t seen_now = 0;
  runner.AddPurge("broken", [](int64_t) -> Result<int64_t> { return Unavailable("store down"); });
  runner.AddPurge("login_throttles", [&](int64_t now_ms) -> Result<int64_t> {
    seen_now = now_ms;
    return 7;
  });
  AddSession("expired", clock_.NowUnixMillis() - 1);
  auto results = runner.RunOnce();
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].removed, 1);
  EXPECT_EQ(results[2].name, "broken");
  EXPECT_EQ(results[2].status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(results[3].name, "login_throttles");
  EXPECT_OK(results[3].status);
  EXPECT_EQ(results[3].removed, 7);
  EXPECT_EQ(seen_now, clock_.NowUnixMillis());
}

TEST_F(MaintenanceTest, StartAndStopJoinTheThreadAndStopIsIdempotent) {
  MaintenanceRunner runner(*store_, clock_, random_, {});
  runner.Start();
  runner.Start();  // no second thread
  runner.Stop();
  runner.Stop();
}

}  // namespace
}  // namespace ap::service
