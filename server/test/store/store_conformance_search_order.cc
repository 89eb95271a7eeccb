// Conformance: the order of account search results (account_store.h, AccountPage): by the matched term's
// NaturalTermKey (common/text_fold.h), so digit runs order as numbers across matched terms, across pages, in team
// partitions and through updates; each account listed once; cursors of the plain-term order refused.
#include "store/cursor.h"
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders
using Ids = std::vector<std::string>;

// Creates one active account per name, with ids 111111111111, 222222222222, ... in order.
void CreateNamed(AccountStore& store, const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(IsOk(store.CreateAccount(MakeAccount(std::string(12, static_cast<char>('1' + i)), names[i]))));
  }
}

// The ids of every page of `f`, following the cursors to the last page; each page holds at most f.limit accounts.
Ids AllPages(AccountStore& store, AccountFilter f) {
  Ids seen;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = store.ListAccounts(f);
    EXPECT_TRUE(IsOk(page));
    if (!page.ok()) break;
    EXPECT_LE(static_cast<int64_t>(page->items.size()), f.limit);
    for (const Account& a : page->items) seen.push_back(a.account_id);
    if (page->next.empty()) break;
    f.cursor = page->next;
  }
  return seen;
}

// AllPages of the search `q` with limits 1, 2, 4 and 50, which must agree; returns the one answer.
Ids Search(AccountStore& store, const std::string& q, AccountFilter f = {}) {
  f.search = q;
  f.limit = 50;
  const Ids all = AllPages(store, f);
  for (int64_t limit : {1, 2, 4}) {
    f.limit = limit;
    EXPECT_EQ(AllPages(store, f), all) << "search " << q << ", limit " << limit;
  }
  return all;
}

TEST_P(StoreConformance, SearchIsInNaturalOrderAcrossMatchedTerms) {
  CreateNamed(store(), {"bench-10", "Bench-100", "bench-2", "bench-1", "bench-9", "web 2"});
  EXPECT_EQ(Search(store(), "bench"),
            (Ids{"444444444444", "333333333333", "555555555555", "111111111111", "222222222222"}));  // 1, 2, 9, 10, 100
  EXPECT_EQ(Search(store(), "BENCH-"),
            (Ids{"444444444444", "333333333333", "555555555555", "111111111111", "222222222222"}));
  // A trailing digit run may be the start of a longer number: "bench-1" finds 1, 10 and 100, not 2 or 9.
  EXPECT_EQ(Search(store(), "bench-1"), (Ids{"444444444444", "111111111111", "222222222222"}));
  EXPECT_EQ(Search(store(), "bench-10"), (Ids{"111111111111", "222222222222"}));
  EXPECT_EQ(Search(store(), "bench-100"), (Ids{"222222222222"}));
  EXPECT_EQ(Search(store(), "bench-1000"), Ids{});
  // Digit-only terms: "2" (bench-2, web 2: the same term, then the name) before "222222222222" (an id).
  EXPECT_EQ(Search(store(), "2"), (Ids{"333333333333", "666666666666", "222222222222"}));
  // Account ids stay searchable by any prefix.
  EXPECT_EQ(Search(store(), "5555"), (Ids{"555555555555"}));
}

TEST_P(StoreConformance, SearchCountsLeadingZerosAndKeepsLettersAfterDigits) {
  CreateNamed(store(), {"a007", "a8", "a10", "ab", "a 1"});
  // Digit runs by length, then digits ("007" has three); a digit run before a space and letters.
  EXPECT_EQ(Search(store(), "a"), (Ids{"222222222222", "333333333333", "111111111111", "555555555555",
                                       "444444444444"}));  // a8, a10, a007, a 1, ab
  EXPECT_EQ(Search(store(), "a0"), (Ids{"111111111111"}));
  EXPECT_EQ(Search(store(), "a00"), (Ids{"111111111111"}));
  EXPECT_EQ(Search(store(), "a007"), (Ids{"111111111111"}));
}

TEST_P(StoreConformance, SearchListsEachAccountOnceAtItsFirstMatchingTerm) {
  // "node 1 node 10" matches "node" with two terms ("node 1 node 10" and "node 10"): listed once, at the first.
  CreateNamed(store(), {"node 10", "node 2", "node 1 node 10", "node-3 x"});
  EXPECT_EQ(Search(store(), "node"), (Ids{"333333333333", "222222222222", "111111111111", "444444444444"}));
  EXPECT_EQ(Search(store(), "node 1"), (Ids{"333333333333", "111111111111"}));
  EXPECT_EQ(Search(store(), "1"), (Ids{"333333333333", "111111111111"}));  // "1 node 10" < "10" < id 1111…
}

TEST_P(StoreConformance, SearchOfTeamsIsInNaturalOrderAcrossPagesAndStatuses) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "gpu-10", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "gpu-9", {"blue"}, AccountStatus::kInactive))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "GPU-100", {"red", "blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "gpu-1", {"green"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("555555555555", "gpu-2", {"blue", "green"}))));
  AccountFilter teams;
  teams.any_of_teams = {"red", "blue"};
  EXPECT_EQ(Search(store(), "gpu", teams), (Ids{"555555555555", "222222222222", "111111111111", "333333333333"}));
  EXPECT_EQ(Search(store(), "gpu-1", teams), (Ids{"111111111111", "333333333333"}));
  teams.status = AccountStatus::kActive;
  EXPECT_EQ(Search(store(), "gpu", teams), (Ids{"555555555555", "111111111111", "333333333333"}));
  AccountFilter none;
  none.restrict_to_teams = true;
  EXPECT_EQ(Search(store(), "gpu", none), Ids{});
}

TEST_P(StoreConformance, SearchFollowsRenamesStatusAndTeamChanges) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "db-10", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "db-2", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "db-3", {"red"}))));
  // Rename db-10 to db-1: it moves from after db-3 to first; the old term no longer matches.
  Account renamed = MakeAccount("111111111111", "db-1", {"red"});
  renamed.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(renamed, 1)));
  EXPECT_EQ(Search(store(), "db"), (Ids{"111111111111", "222222222222", "333333333333"}));
  EXPECT_EQ(Search(store(), "db-10"), Ids{});
  // db-2 made inactive and moved out of red: gone from active and red searches, found with any status.
  Account moved = MakeAccount("222222222222", "db-2", {"blue"}, AccountStatus::kInactive);
  moved.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(moved, 1)));
  AccountFilter active;
  active.status = AccountStatus::kActive;
  EXPECT_EQ(Search(store(), "db", active), (Ids{"111111111111", "333333333333"}));
  AccountFilter red;
  red.any_of_teams = {"red"};
  EXPECT_EQ(Search(store(), "db", red), (Ids{"111111111111", "333333333333"}));
  EXPECT_EQ(Search(store(), "db"), (Ids{"111111111111", "222222222222", "333333333333"}));
}

TEST_P(StoreConformance, SearchMatchesNothingForAControlCharacter) {
  CreateNamed(store(), {"bench-1"});
  EXPECT_EQ(Search(store(), std::string("bench\x01")), Ids{});
  EXPECT_EQ(Search(store(), std::string("\x02")), Ids{});
}

TEST_P(StoreConformance, SearchRefusesCursorsOfThePlainTermOrder) {
  CreateNamed(store(), {"bench-1", "bench-2"});
  AccountFilter f;
  f.search = "bench";
  f.cursor = EncodeCursor("account-search.n", {"bench-1", "x", "111111111111"});
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
}

}  // namespace
}  // namespace ap::store::testing
