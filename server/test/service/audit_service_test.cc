// AuditService: which entries coalesce (anonymous failures and denials), the coalescing window, the cap on
// anonymous entries per window, and durable records.
#include "service/audit_service.h"

#include <gtest/gtest.h>

#include <memory>

#include "domain/ids.h"
#include "recording_store.h"
#include "status_matchers.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::service {
namespace {

class AuditServiceTest : public ::testing::Test {
 protected:
  AuditServiceTest() {
    auto opened = store::SqliteStore::Open({.path = ":memory:"});
    EXPECT_OK(opened);
    store_ = std::move(opened).value();
    recording_ = std::make_unique<testing::RecordingStore>(*store_);
  }

  AuditService Make(AuditOptions options = {}) { return AuditService(*recording_, clock_, random_, options); }

  static RequestContext Anonymous(const std::string& ip) {
    RequestContext c;
    c.client_ip = ip;
    c.user_agent = std::string(512, 'x');
    c.request_id = "req-anon";
    return c;
  }
  static RequestContext User() {
    RequestContext c;
    c.principal.authenticated = true;
    c.principal.user_id = "u_1";
    c.client_ip = "198.51.100.1";
    return c;
  }
  std::vector<domain::AuditEntry> All() {
    store::AuditFilter f;
    f.limit = 1000;
    auto page = store_->ListAudit(f);
    EXPECT_OK(page);
    return page.ok() ? page->items : std::vector<domain::AuditEntry>{};
  }

  FakeClock clock_;
  FakeRandom random_{7};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<testing::RecordingStore> recording_;
};

TEST_F(AuditServiceTest, AnonymousFailedAndThrottledLoginsCoalescePerTargetAddressAndOutcome) {
  AuditService audit = Make();
  for (int i = 0; i < 50; ++i) {
    audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "ada@example.com", Outcome::kFailure);
    clock_.Advance(std::chrono::seconds(1));
  }
  for (int i = 0; i < 30; ++i) {
    audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "ada@example.com", Outcome::kDenied,
                           "throttled");
  }
  audit.RecordBestEffort(Anonymous("198.51.100.2"), "auth.login", "user", "ada@example.com", Outcome::kFailure);
  auto entries = All();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].client_ip, "198.51.100.2");
  EXPECT_EQ(entries[0].count, 1);
  EXPECT_EQ(entries[1].outcome, "denied");
  EXPECT_EQ(entries[1].count, 30);
  EXPECT_EQ(entries[2].outcome, "failure");
  EXPECT_EQ(entries[2].actor_id, "anonymous");
  EXPECT_EQ(entries[2].count, 50);
  EXPECT_EQ(entries[2].last_at_ms - entries[2].at_ms, 49'000);
  for (const auto& w : recording_->audit_writes()) EXPECT_TRUE(w.coalesced) << w.action;
}

TEST_F(AuditServiceTest, AuthenticatedActorsAndSuccessesGetAnEntryPerEvent) {
  AuditService audit = Make();
  audit.RecordBestEffort(User(), "credentials.export", "account", "111111111111", Outcome::kDenied);
  audit.RecordBestEffort(User(), "credentials.export", "account", "111111111111", Outcome::kDenied);
  audit.RecordBestEffort(User(), "account.update", "account", "111111111111", Outcome::kFailure);
  audit.RecordBestEffort(User(), "account.update", "account", "111111111111", Outcome::kFailure);
  // An anonymous success (none exists today) would not coalesce either: only failures and denials repeat freely.
  audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "u_1", Outcome::kSuccess);
  audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "u_1", Outcome::kSuccess);
  auto entries = All();
  ASSERT_EQ(entries.size(), 6u);
  for (const auto& e : entries) EXPECT_EQ(e.count, 1);
  for (const auto& w : recording_->audit_writes()) EXPECT_FALSE(w.coalesced) << w.action;
}

TEST_F(AuditServiceTest, AFailureAfterTheWindowStartsANewEntry) {
  AuditService audit = Make({.coalesce_window = std::chrono::minutes(15)});
  audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "ada@example.com", Outcome::kFailure);
  clock_.Advance(std::chrono::minutes(14));
  audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "ada@example.com", Outcome::kFailure);
  clock_.Advance(std::chrono::minutes(2));  // 16 minutes after the entry's first event
  audit.RecordBestEffort(Anonymous("198.51.100.1"), "auth.login", "user", "ada@example.com", Outcome::kFailure);
  auto entries = All();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].count, 1);
  EXPECT_EQ(entries[1].count, 2);
}

TEST_F(AuditServiceTest, PastTheCapAnonymousEntriesOfManyTargetsShareOneOverflowEntry) {
  AuditService audit = Make({.coalesce_window = std::chrono::minutes(15), .max_anonymous_entries_per_window = 3});
  clock_.Set(TimePoint(std::chrono::hours(24 * 20000)));  // the start of a window
  for (int i = 0; i < 100; ++i) {
    audit.RecordBestEffort(Anonymous("198.51.100." + std::to_string(i)), "auth.login", "user",
                           "user" + std::to_string(i) + "@example.com", Outcome::kFailure);
  }
  auto entries = All();
  ASSERT_EQ(entries.size(), 4u);  // three with their own target and address, then one for the rest
  EXPECT_EQ(entries[0].target_id, "*");
  EXPECT_EQ(entries[0].client_ip, "*");
  EXPECT_EQ(entries[0].user_agent, "");
  EXPECT_EQ(entries[0].count, 97);
  EXPECT_EQ(entries[3].target_id, "user0@example.com");
  int64_t sum = 0;
  for (const auto& e : entries) sum += e.count;
  EXPECT_EQ(sum, 100);
  // The cap counts per window: the next one starts afresh.
  clock_.Advance(std::chrono::minutes(15));
  audit.RecordBestEffort(Anonymous("203.0.113.1"), "auth.login", "user", "ada@example.com", Outcome::kFailure);
  entries = All();
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].target_id, "ada@example.com");
}

TEST_F(AuditServiceTest, EntryIdsAreTimeOrderedAndIncreaseWithinOneMillisecond) {
  AuditService audit = Make();
  for (int i = 0; i < 20; ++i)
    audit.RecordBestEffort(User(), "account.update", "account", std::to_string(i), Outcome::kSuccess);
  clock_.Advance(std::chrono::milliseconds(1));
  audit.RecordBestEffort(User(), "account.update", "account", "later", Outcome::kSuccess);
  auto entries = All();
  ASSERT_EQ(entries.size(), 21u);
  EXPECT_EQ(entries[0].target_id, "later");
  for (int i = 1; i <= 20; ++i) EXPECT_EQ(entries[i].target_id, std::to_string(20 - i)) << "append order kept";
  for (const auto& e : entries) EXPECT_EQ(domain::TimeOfId("a_", e.audit_id), e.at_ms) << e.audit_id;
  for (size_t i = 1; i < entries.size(); ++i) EXPECT_GT(entries[i - 1].audit_id, entries[i].audit_id);
}

TEST_F(AuditServiceTest, ListPagesByCursorAndNamesPageSize) {
  AuditService audit = Make();
  for (int i = 0; i < 5; ++i) {
    audit.RecordBestEffort(User(), "account.update", "account", std::to_string(i), Outcome::kSuccess);
    clock_.Advance(std::chrono::milliseconds(1));
  }
  store::AuditFilter f;
  f.limit = 3;
  auto first = audit.List(f);
  ASSERT_OK(first);
  EXPECT_EQ(first->items.size(), 3u);
  f.cursor = first->next;
  auto rest = audit.List(f);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[1].target_id, "0");
  EXPECT_TRUE(rest->next.empty());
  f.limit = 0;
  EXPECT_EQ(audit.List(f).status().field(), "page_size");
  f.limit = 10;
  f.cursor = "bad";
  EXPECT_EQ(audit.List(f).status().field(), "cursor");
}

TEST_F(AuditServiceTest, RecordDurablyAsksTheStoreForASyncedEntryAndReportsItsFailure) {
  AuditService audit = Make();
  ASSERT_OK(audit.RecordDurably(User(), "credentials.export", "account", "111111111111", Outcome::kSuccess));
  ASSERT_OK(audit.Record(User(), "account.update", "account", "111111111111", Outcome::kSuccess));
  auto writes = recording_->audit_writes();
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0].durability, store::Durability::kSync);
  EXPECT_FALSE(writes[0].coalesced);
  EXPECT_EQ(writes[1].durability, store::Durability::kNormal);
  recording_->FailDurableAppends(true);
  Status failed = audit.RecordDurably(User(), "credentials.export", "account", "111111111111", Outcome::kSuccess);
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ap::service
