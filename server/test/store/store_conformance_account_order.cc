// Conformance: the order of account lists (account_store.h, "Ordering"): natural and locale-aware through
// CollationKey (common/collation.h), across pages and partitions, and the cursors made before it refused.
#include "store/cursor.h"
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

// Creates one active account per name, with ids 111111111111, 222222222222, ... in order.
void CreateNamed(AccountStore& store, const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(IsOk(store.CreateAccount(MakeAccount(std::string(12, static_cast<char>('1' + i)), names[i]))));
  }
}

// The ids of every page of `f`, following the cursors to the last page; each page holds at most f.limit accounts.
std::vector<std::string> AllPages(AccountStore& store, AccountFilter f) {
  std::vector<std::string> seen;
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

TEST_P(StoreConformance, ListAccountsIsOrderedByCollatedNameIgnoringCase) {
  CreateNamed(store(), {"Éclair", "éclair", "STRASSE", "straße", "Zulu"});
  // Collated (common/collation.h): "éclair" (é next to e; twice, then by id), "strasse" = "straße" (ß is ss when
  // case is ignored; by id), "zulu".
  EXPECT_EQ(AccountIds(*store().ListAccounts({})),
            (std::vector<std::string>{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555"}));
}

TEST_P(StoreConformance, ListAccountsIsInNaturalOrderAcrossPages) {
  CreateNamed(store(), {"bench-10", "Bench-100", "bench-2", "account 10", "Account 9", "bench-1"});
  const std::vector<std::string> natural = {"555555555555", "444444444444", "666666666666",
                                            "333333333333", "111111111111", "222222222222"};
  EXPECT_EQ(AccountIds(*store().ListAccounts({})), natural);
  for (int64_t limit : {1, 2, 4}) {
    AccountFilter f;
    f.limit = limit;
    EXPECT_EQ(AllPages(store(), f), natural) << "limit " << limit;
  }
  AccountFilter active;
  active.status = AccountStatus::kActive;
  active.limit = 2;
  EXPECT_EQ(AllPages(store(), active), natural);
}

TEST_P(StoreConformance, ListAccountsPutsLatinBeforeHanAndHanInPinyinOrder) {
  CreateNamed(store(), {"深圳", "上海", "北京", "zulu", "阿里 2", "Alpha"});
  // Alpha, zulu, then 阿里 (a li) < 北京 (bei jing) < 上海 (shang hai) < 深圳 (shen zhen).
  const std::vector<std::string> want = {"666666666666", "444444444444", "555555555555",
                                         "333333333333", "222222222222", "111111111111"};
  EXPECT_EQ(AccountIds(*store().ListAccounts({})), want);
  AccountFilter f;
  f.limit = 4;
  EXPECT_EQ(AllPages(store(), f), want);
}

TEST_P(StoreConformance, ListAccountsOfTeamsIsInNaturalOrderAcrossPages) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "node-10", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "node-9", {"blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "Node-100", {"red", "blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "node-1", {"green"}))));
  AccountFilter f;
  f.any_of_teams = {"red", "blue"};
  f.limit = 1;
  EXPECT_EQ(AllPages(store(), f), (std::vector<std::string>{"222222222222", "111111111111", "333333333333"}));
}

TEST_P(StoreConformance, ListAccountsSearchOrdersByMatchedTermThenNaturalName) {
  CreateNamed(store(), {"bench-2", "bench-10", "web 2", "Web 10", "bench-1"});
  // "bench": the matched terms differ ("bench-1" < "bench-2" < "bench-10": term keys order digit runs as
  // numbers, store_conformance_search_order.cc), so they decide.
  AccountFilter f;
  f.search = "bench";
  f.limit = 1;
  EXPECT_EQ(AllPages(store(), f), (std::vector<std::string>{"555555555555", "111111111111", "222222222222"}));
  // "1": terms "1" (bench-1), "10" (bench-10 and Web 10: the same term, so the collated name orders them),
  // "111111111111" (the id of bench-2).
  f.search = "1";
  EXPECT_EQ(AllPages(store(), f),
            (std::vector<std::string>{"555555555555", "222222222222", "444444444444", "111111111111"}));
}

TEST_P(StoreConformance, ListAccountsRefusesCursorsMadeBeforeNaturalOrder) {
  CreateNamed(store(), {"Prod A", "Prod B"});
  // What a cursor held before the name keys were collation keys: the folded name and the id.
  AccountFilter f;
  f.cursor = EncodeCursor("accounts", {"prod a", "111111111111"});
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
  f.search = "prod";
  f.cursor = EncodeCursor("account-search", {"prod a", "prod a", "111111111111"});
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
}

}  // namespace
}  // namespace ap::store::testing
