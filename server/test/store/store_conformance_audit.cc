// Conformance: the audit log (audit_store.h), and concurrent use. Each test names the clause of the store interface it
// checks.
#include "store/cursor.h"
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

// ---- Audit log ------------------------------------------------------------------------------------------

TEST_P(StoreConformance, AppendAuditStoresTheEntryAsGivenAndRefusesARepeatedId) {
  AuditEntry e = MakeAudit("a_1", 1000, "u_1", "account.create");
  auto first = store().AppendAudit(e);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(Fields(*first), Fields(e));
  for (int i = 2; i <= 5; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_" + std::to_string(i), 1000, "u_1", "account.update"))));
  }
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().AppendAudit(MakeAudit("a_1", 2000, "u_2", "auth.login"))));
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 5u);
  EXPECT_EQ(Fields(page->items.back()), Fields(e));  // every field round-trips; the repeat changed nothing
}

TEST_P(StoreConformance, AppendAuditStoresCountAndRaisesLastAtToAtLeastAt) {
  AuditEntry e = MakeAudit("a_1", 5000, "u_1", "auth.login");
  e.count = 3;
  e.last_at_ms = 0;
  auto stored = store().AppendAudit(e);
  ASSERT_TRUE(IsOk(stored));
  EXPECT_EQ(stored->count, 3);
  EXPECT_EQ(stored->last_at_ms, 5000);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].count, 3);
  EXPECT_EQ(page->items[0].last_at_ms, 5000);
  AuditEntry zero = MakeAudit("a_2", 5000, "u_1", "auth.login");
  zero.count = 0;
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().AppendAudit(zero)));
}

TEST_P(StoreConformance, AppendAuditDurableStoresTheEntryLikeANormalAppend) {
  AuditEntry e = MakeAudit("a_1", 1000, "u_1", "credentials.export");
  auto stored = store().AppendAudit(e, Durability::kSync);
  ASSERT_TRUE(IsOk(stored));
  auto after = store().AppendAudit(MakeAudit("a_2", 1000, "u_1", "account.update"));  // back to normal writes
  ASSERT_TRUE(IsOk(after));
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(Fields(page->items[1]), Fields(e));  // same at_ms: audit_id descending
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().AppendAudit(e, Durability::kSync)));
}

// An anonymous failed login from `ip` against `target` at `at_ms`.
AuditEntry FailedLogin(const std::string& id, int64_t at_ms, const std::string& target, const std::string& ip) {
  AuditEntry e = MakeAudit(id, at_ms, "anonymous", "auth.login", "user", target, "failure");
  e.actor_email = "";
  e.client_ip = ip;
  e.last_at_ms = 0;
  return e;
}

TEST_P(StoreConformance, AppendAuditCoalescedCountsTheSameKeyWithinTheWindowIntoOneEntry) {
  auto first = store().AppendAuditCoalesced(FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1"), 0);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(first->count, 1);
  EXPECT_EQ(first->last_at_ms, 1000);
  auto second = store().AppendAuditCoalesced(FailedLogin("a_2", 1500, "ada@example.com", "198.51.100.1"), 500);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(second->audit_id, "a_1");  // the first event's fields stay
  EXPECT_EQ(second->request_id, "req-a_1");
  EXPECT_EQ(second->count, 2);
  EXPECT_EQ(second->at_ms, 1000);
  EXPECT_EQ(second->last_at_ms, 1500);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].count, 2);
  EXPECT_EQ(page->items[0].last_at_ms, 1500);
}

TEST_P(StoreConformance, AppendAuditCoalescedFromAnotherAddressOrTargetOrOutcomeIsANewEntry) {
  ASSERT_TRUE(IsOk(store().AppendAuditCoalesced(FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1"), 0)));
  auto other_ip = store().AppendAuditCoalesced(FailedLogin("a_2", 1001, "ada@example.com", "198.51.100.2"), 0);
  auto other_target = store().AppendAuditCoalesced(FailedLogin("a_3", 1002, "bob@example.com", "198.51.100.1"), 0);
  AuditEntry denied = FailedLogin("a_4", 1003, "ada@example.com", "198.51.100.1");
  denied.outcome = "denied";
  auto other_outcome = store().AppendAuditCoalesced(denied, 0);
  AuditEntry logout = FailedLogin("a_5", 1004, "ada@example.com", "198.51.100.1");
  logout.action = "auth.logout";
  auto other_action = store().AppendAuditCoalesced(logout, 0);
  for (const auto* r : {&other_ip, &other_target, &other_outcome, &other_action}) {
    ASSERT_TRUE(IsOk(*r));
    EXPECT_EQ((*r)->count, 1);
  }
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_5", "a_4", "a_3", "a_2", "a_1"}));
}

TEST_P(StoreConformance, AppendAuditCoalescedAfterTheWindowIsANewEntry) {
  ASSERT_TRUE(IsOk(store().AppendAuditCoalesced(FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1"), 0)));
  ASSERT_TRUE(IsOk(store().AppendAuditCoalesced(FailedLogin("a_2", 1500, "ada@example.com", "198.51.100.1"), 900)));
  // The window starts after the first event of the entry: a new entry, which later events then join.
  auto later = store().AppendAuditCoalesced(FailedLogin("a_3", 2500, "ada@example.com", "198.51.100.1"), 1001);
  ASSERT_TRUE(IsOk(later));
  EXPECT_EQ(later->audit_id, "a_3");
  EXPECT_EQ(later->count, 1);
  auto joined = store().AppendAuditCoalesced(FailedLogin("a_4", 2600, "ada@example.com", "198.51.100.1"), 0);
  ASSERT_TRUE(IsOk(joined));
  EXPECT_EQ(joined->audit_id, "a_3");  // the newest matching entry
  EXPECT_EQ(joined->count, 2);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].count, 2);
  EXPECT_EQ(page->items[1].count, 2);
}

TEST_P(StoreConformance, AppendAuditCoalescedNeverMatchesPlainEntries) {
  AuditEntry plain = FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1");
  ASSERT_TRUE(IsOk(store().AppendAudit(plain)));
  auto coalesced = store().AppendAuditCoalesced(FailedLogin("a_2", 1001, "ada@example.com", "198.51.100.1"), 0);
  ASSERT_TRUE(IsOk(coalesced));
  EXPECT_EQ(coalesced->audit_id, "a_2");
  EXPECT_EQ(coalesced->count, 1);
}

TEST_P(StoreConformance, AppendAuditCoalescedFromManyThreadsLosesNoCount) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store().AppendAuditCoalesced(FailedLogin("a_" + std::to_string(t) + "_" + std::to_string(i), 1000 + i,
                                                          "ada@example.com", "198.51.100.1"),
                                              0);
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].count, kThreads * kEach);
}

TEST_P(StoreConformance, DeleteAuditBeforeDeletesOldestFirstInBoundedBatches) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("old_" + std::to_string(i), 1000 + i, "u_1", "auth.login"))));
  }
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("edge", 2000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("new", 3000, "u_1", "auth.login"))));
  auto first = store().DeleteAuditBefore(2000, 2);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(*first, 2);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"new", "edge", "old_5", "old_4", "old_3"}));
  auto rest = store().DeleteAuditBefore(2000, 1000);  // at_ms < cutoff only: "edge" (2000) stays
  ASSERT_TRUE(IsOk(rest));
  EXPECT_EQ(*rest, 3);
  EXPECT_EQ(AuditIds(*store().ListAudit({})), (std::vector<std::string>{"new", "edge"}));
  EXPECT_EQ(*store().DeleteAuditBefore(2000, 1000), 0);  // idempotent
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().DeleteAuditBefore(2000, 0)));
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().DeleteAuditBefore(2000, 100001)));
}

TEST_P(StoreConformance, ListAuditIsNewestFirstByTimeThenId) {
  // By (at_ms, audit_id) descending, whatever the append order; the id breaks ties within a millisecond.
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_1", 3000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_2", 1000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_4", 2000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_3", 2000, "u_1", "auth.login"))));
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_1", "a_4", "a_3", "a_2"}));
  EXPECT_TRUE(page->next.empty());
}

void AppendFilterFixture(Store& store) {
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_1", 1000, "u_1", "account.create", "account", "111111111111"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_2", 2000, "u_2", "account.update", "account", "222222222222"))));
  ASSERT_TRUE(IsOk(
      store.AppendAudit(MakeAudit("a_3", 3000, "u_1", "credentials.export", "account", "111111111111", "denied"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_4", 4000, "anonymous", "auth.login", "session", "", "failure"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_5", 5000, "u_2", "accounting.report", "report", "r1"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_6", 6000, "system", "account", "account", "111111111111"))));
}

TEST_P(StoreConformance, ListAuditFiltersByActor) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.actor_id = "u_1";
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_3", "a_1"}));
}

TEST_P(StoreConformance, ListAuditFiltersByExactAction) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.action = "account.update";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_2"});
  f.action = "account";  // exact: neither "account.create" nor "accounting.report"
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_6"});
}

TEST_P(StoreConformance, ListAuditFiltersByActionPrefixWhenItEndsWithADot) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.action = "account.";  // not "accounting.report", not the bare "account"
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_2", "a_1"}));
  f.action = "auth.";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_4"});
  f.action = "nothing.";
  EXPECT_TRUE(store().ListAudit(f)->items.empty());
}

TEST_P(StoreConformance, ListAuditFiltersByADeeperActionPrefix) {
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_1", 1000, "u_1", "quota.config.update"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_2", 2000, "u_1", "quota.changed"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_3", 3000, "u_1", "quota.config.import"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_4", 4000, "u_1", "quota.configure"))));
  AuditFilter f;
  f.action = "quota.config.";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), (std::vector<std::string>{"a_3", "a_1"}));
  f.action = "quota.";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), (std::vector<std::string>{"a_4", "a_3", "a_2", "a_1"}));
  f.limit = 1;  // pages of a filtered index still follow the cursor
  f.action = "quota.config.";
  auto first = store().ListAudit(f);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(AuditIds(*first), std::vector<std::string>{"a_3"});
  f.cursor = first->next;
  auto second = store().ListAudit(f);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(AuditIds(*second), std::vector<std::string>{"a_1"});
  EXPECT_TRUE(second->next.empty());
}

TEST_P(StoreConformance, ListAuditFiltersByTargetAndOutcome) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.target_type = "account";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), (std::vector<std::string>{"a_6", "a_3", "a_2", "a_1"}));
  f.target_id = "111111111111";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), (std::vector<std::string>{"a_6", "a_3", "a_1"}));
  f.outcome = "denied";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_3"});
  AuditFilter by_outcome;
  by_outcome.outcome = "failure";
  EXPECT_EQ(AuditIds(*store().ListAudit(by_outcome)), std::vector<std::string>{"a_4"});
  AuditFilter by_id_only;
  by_id_only.target_id = "r1";
  EXPECT_EQ(AuditIds(*store().ListAudit(by_id_only)), std::vector<std::string>{"a_5"});
}

TEST_P(StoreConformance, ListAuditTimeRangeIsFromInclusiveToExclusive) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.from_ms = 2000;
  f.to_ms = 4000;
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_3", "a_2"}));
  AuditFilter from_only;
  from_only.from_ms = 5000;
  EXPECT_EQ(AuditIds(*store().ListAudit(from_only)), (std::vector<std::string>{"a_6", "a_5"}));
  AuditFilter to_only;
  to_only.to_ms = 2000;
  EXPECT_EQ(AuditIds(*store().ListAudit(to_only)), std::vector<std::string>{"a_1"});
}

TEST_P(StoreConformance, ListAuditCombinesFilters) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.actor_id = "u_1";
  f.action = "account.";
  f.target_type = "account";
  f.from_ms = 500;
  f.to_ms = 10000;
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), std::vector<std::string>{"a_1"});
}

// Follows `f`'s cursors from its first page; the ids served, newest first, and how many pages it took.
std::vector<std::string> AllAuditIds(Store& store, AuditFilter f, int* pages = nullptr) {
  std::vector<std::string> ids;
  f.cursor.clear();
  for (int n = 1; n <= 1000; ++n) {
    auto page = store.ListAudit(f);
    EXPECT_TRUE(IsOk(page));
    if (!page.ok()) break;
    for (const AuditEntry& e : page->items) ids.push_back(e.audit_id);
    if (pages) *pages = n;
    if (page->next.empty()) break;
    f.cursor = page->next;
  }
  return ids;
}

TEST_P(StoreConformance, ListAuditPagesByCursorUntilNextIsEmpty) {
  for (int i = 1; i <= 12; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_" + std::to_string(100 + i), i, "u_1", "auth.login"))));
  }
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("other", 99, "u_2", "auth.login"))));
  AuditFilter f;
  f.actor_id = "u_1";
  f.limit = 5;
  int pages = 0;
  std::vector<std::string> want;
  for (int i = 12; i >= 1; --i) want.push_back("a_" + std::to_string(100 + i));
  EXPECT_EQ(AllAuditIds(store(), f, &pages), want);
  EXPECT_EQ(pages, 3);
  f.limit = 12;  // exactly one full page: no further page is announced
  auto one = store().ListAudit(f);
  ASSERT_TRUE(IsOk(one));
  EXPECT_EQ(one->items.size(), 12u);
  EXPECT_TRUE(one->next.empty());
}

TEST_P(StoreConformance, ListAuditCursorIsStableUnderInserts) {
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_" + std::to_string(i), 1000 * i, "u_1", "auth.login"))));
  }
  AuditFilter f;
  f.limit = 3;
  auto first = store().ListAudit(f);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(AuditIds(*first), (std::vector<std::string>{"a_6", "a_5", "a_4"}));
  // Meanwhile a newer entry arrives, and two in the cursor's millisecond: a_9 sorts before the cursor (a_4)
  // in the list order, so it belongs with the pages already served; a_0 sorts after it.
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_7", 7000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_9", 4000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_0", 4000, "u_1", "auth.login"))));
  f.cursor = first->next;
  auto second = store().ListAudit(f);
  ASSERT_TRUE(IsOk(second));
  // Nothing already served comes again and nothing after the cursor is skipped.
  EXPECT_EQ(AuditIds(*second), (std::vector<std::string>{"a_0", "a_3", "a_2"}));
  f.cursor = second->next;
  auto third = store().ListAudit(f);
  ASSERT_TRUE(IsOk(third));
  EXPECT_EQ(AuditIds(*third), std::vector<std::string>{"a_1"});
  EXPECT_TRUE(third->next.empty());
}

TEST_P(StoreConformance, ListAuditRefusesABadCursorAndALimitOutOfRange) {
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_1", 1000, "u_1", "auth.login"))));
  AuditFilter f;
  f.cursor = "not a cursor";
  auto bad = store().ListAudit(f);
  ASSERT_TRUE(Is(StatusCode::kInvalidArgument, bad));
  EXPECT_EQ(bad.status().field(), "cursor");
  f.cursor = EncodeCursor("users", {"x"});  // another list's cursor
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAudit(f)));
  for (int64_t limit : {0, -1, 1001}) {
    AuditFilter l;
    l.limit = limit;
    auto r = store().ListAudit(l);
    ASSERT_TRUE(Is(StatusCode::kInvalidArgument, r)) << limit;
    EXPECT_EQ(r.status().field(), "limit");
  }
  AuditFilter max;
  max.limit = 1000;
  EXPECT_TRUE(IsOk(store().ListAudit(max)));
}

// ---- Concurrency ----------------------------------------------------------------------------------------

TEST_P(StoreConformance, ConcurrentAuditWritesAndAccountReadsAllSucceed) {
  for (int i = 0; i < 10; ++i) {
    std::string id = "11111111110" + std::to_string(i);
    ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount(id, "Account " + std::to_string(i), {"red"}))));
  }
  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = store().AppendAudit(
            MakeAudit("a_" + std::to_string(t) + "_" + std::to_string(i), i, "u_" + std::to_string(t), "auth.login"));
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << r.status().ToString();
        }
      }
    });
  }
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        AccountFilter f;
        f.any_of_teams = {"red"};
        auto page = store().ListAccounts(f);
        if (!page.ok() || page->items.size() != 10) {
          ++failures;
          ADD_FAILURE() << (page.ok() ? "wrong count " + std::to_string(page->items.size()) : page.status().ToString());
        }
        auto one = store().GetAccount("111111111100");
        if (!one.ok()) {
          ++failures;
          ADD_FAILURE() << one.status().ToString();
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  AuditFilter all;
  all.limit = 1000;
  auto page = store().ListAudit(all);
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), static_cast<size_t>(kWriters * kPerThread));
  std::set<std::string> ids;
  for (const AuditEntry& e : page->items) ids.insert(e.audit_id);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kWriters * kPerThread)) << "every entry is listed once";
  for (size_t i = 1; i < page->items.size(); ++i) {
    const AuditEntry& a = page->items[i - 1];
    const AuditEntry& b = page->items[i];
    EXPECT_TRUE(a.at_ms > b.at_ms || (a.at_ms == b.at_ms && a.audit_id > b.audit_id)) << i;
  }
}

}  // namespace
}  // namespace ap::store::testing
