// Conformance: accounts and contact information (account_store.h). Each test names the clause of the store interface it
// checks.
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

// The ids of the first page of a search for `query` (any status, any team).
std::vector<std::string> Search(AccountStore& store, const std::string& query) {
  AccountFilter f;
  f.search = query;
  auto page = store.ListAccounts(f);
  EXPECT_TRUE(IsOk(page)) << query;
  return page.ok() ? AccountIds(*page) : std::vector<std::string>{};
}

// The ids of every page of `f`, following the cursors from f.cursor to the last page; each page holds at most
// f.limit accounts.
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

// ---- Accounts -------------------------------------------------------------------------------------------

TEST_P(StoreConformance, CreateAccountThenGetRoundTripsEveryField) {
  Account a = MakeAccount("123456789012", "Production", {"blue", "red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account role = MakeAccount("210987654321", "Staging", {});
  role.credential_type = domain::CredentialType::kAssumeRole;
  role.access_key_id_masked = "";
  role.role_arn = "arn:aws:iam::210987654321:role/platform";
  role.status = AccountStatus::kInactive;
  role.version = 7;
  ASSERT_TRUE(IsOk(store().CreateAccount(role)));

  auto got = store().GetAccount("123456789012");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(a));
  auto got_role = store().GetAccount("210987654321");  // inactive accounts are returned
  ASSERT_TRUE(IsOk(got_role));
  EXPECT_EQ(Fields(*got_role), Fields(role));
}

TEST_P(StoreConformance, CreateAccountWithTakenIdIsAlreadyExistsWhateverItsStatus) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Old", {}, AccountStatus::kInactive))));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().CreateAccount(MakeAccount("111111111111", "New"))));
  EXPECT_EQ(store().GetAccount("111111111111")->account_name, "Old");
}

TEST_P(StoreConformance, GetAccountOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetAccount("999999999999")));
}

TEST_P(StoreConformance, GetAccountsReturnsThoseStoredAnyStatusLeavingOutAbsentAndDuplicateIds) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "One"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Two", {}, AccountStatus::kInactive))));
  std::vector<std::string> ids{"222222222222", "999999999999", "111111111111", "111111111111"};
  for (int i = 0; i < 150; ++i) ids.push_back(std::to_string(300000000000LL + i));  // more than one batch of 100
  auto got = store().GetAccounts(ids);
  ASSERT_TRUE(IsOk(got));
  std::set<std::string> found;
  for (const Account& a : *got) found.insert(a.account_id);
  EXPECT_EQ(got->size(), 2u);
  EXPECT_EQ(found, (std::set<std::string>{"111111111111", "222222222222"}));
  EXPECT_TRUE(IsOk(store().GetAccounts({})));
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().GetAccounts(std::vector<std::string>(1001, "111111111111"))));
}

TEST_P(StoreConformance, ListAccountsIsOrderedByNameCaseInsensitiveThenId) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "beta"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Alpha"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Beta"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "alpha"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("555555555555", "Charlie"))));
  auto page = store().ListAccounts({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AccountIds(*page),
            (std::vector<std::string>{"222222222222", "444444444444", "111111111111", "333333333333", "555555555555"}));
  EXPECT_EQ(page->items.size(), 5u);
}

TEST_P(StoreConformance, ListAccountsOnEmptyStoreIsEmpty) {
  auto page = store().ListAccounts({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->items.size(), 0u);
}

TEST_P(StoreConformance, ListAccountsFiltersByStatus) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B", {}, AccountStatus::kInactive))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "C"))));
  AccountFilter f;
  f.status = AccountStatus::kActive;
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "333333333333"}));
  f.status = AccountStatus::kInactive;
  auto inactive = store().ListAccounts(f);
  EXPECT_EQ(AccountIds(*inactive), std::vector<std::string>{"222222222222"});
  EXPECT_EQ(inactive->items.size(), 1u);
}

TEST_P(StoreConformance, ListAccountsFiltersByAnyOfTeams) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B", {"blue", "red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "C", {"blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "D", {}))));
  AccountFilter f;
  f.any_of_teams = {"red"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "222222222222"}));
  f.any_of_teams = {"blue", "green"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"222222222222", "333333333333"}));
  f.any_of_teams = {"blue", "red"};  // an account in both teams is listed once
  auto both = store().ListAccounts(f);
  EXPECT_EQ(AccountIds(*both), (std::vector<std::string>{"111111111111", "222222222222", "333333333333"}));
  EXPECT_EQ(both->items.size(), 3u);
  f.any_of_teams = {"green"};
  EXPECT_TRUE(store().ListAccounts(f)->items.empty());
  f.restrict_to_teams = true;  // restrict with a non-empty list behaves the same
  f.any_of_teams = {"red"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "222222222222"}));
}

TEST_P(StoreConformance, ListAccountsRestrictedToNoTeamsMatchesNothing) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B", {}))));
  AccountFilter f;
  f.restrict_to_teams = true;
  auto page = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->items.size(), 0u);
  f.restrict_to_teams = false;  // an empty list without restriction means "any team or none"
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 2u);
}

TEST_P(StoreConformance, ListAccountsSearchesNameWordPrefixesCaseInsensitively) {
  CreateNamed(store(), {"Production EU", "staging", "PRODUCTION US", "my-prod box"});
  using Ids = std::vector<std::string>;
  // The prefix of a word, wherever the word is in the name; ordered by the matched text ("prod box" first).
  EXPECT_EQ(Search(store(), "PROD"), (Ids{"444444444444", "111111111111", "333333333333"}));
  EXPECT_EQ(Search(store(), "StAg"), Ids{"222222222222"});
  EXPECT_EQ(Search(store(), "duct"), Ids{});                              // inside a word: not a word prefix
  EXPECT_EQ(Search(store(), "  production   eu "), Ids{"111111111111"});  // words as they appear, spaces collapsed
  EXPECT_EQ(Search(store(), "prod box"), Ids{"444444444444"});
  EXPECT_EQ(Search(store(), "production us eu"), Ids{});
  EXPECT_EQ(Search(store(), "   ").size(), 4u);  // nothing to search for: no search
}

TEST_P(StoreConformance, ListAccountsSearchFoldsUnicodeCase) {
  CreateNamed(store(), {"Straße Nord", "ΣΊΣΥΦΟΣ", "東京 本番", "ＦＵＬＬ width"});
  using Ids = std::vector<std::string>;
  EXPECT_EQ(Search(store(), "STRASSE"), Ids{"111111111111"});
  EXPECT_EQ(Search(store(), "σίσυφος"), Ids{"222222222222"});
  EXPECT_EQ(Search(store(), "本番"), Ids{"333333333333"});
  EXPECT_EQ(Search(store(), "full"), Ids{"444444444444"});
}

TEST_P(StoreConformance, ListAccountsSearchListsAnAccountOnceAtItsFirstMatchingTerm) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "prod production", {"red", "blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "prodigy", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "Alpha prod", {"blue"}))));
  AccountFilter f;
  f.search = "prod";
  // Terms matched: "prod" (333), "prod production" (111), "prodigy" (222), "production" (111 again: skipped).
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)),
            (std::vector<std::string>{"333333333333", "111111111111", "222222222222"}));
  f.any_of_teams = {"red", "blue"};  // and once across teams
  f.limit = 1;
  EXPECT_EQ(AllPages(store(), f), (std::vector<std::string>{"333333333333", "111111111111", "222222222222"}));
}

TEST_P(StoreConformance, ListAccountsSearchMatchesAccountIdByPrefixOnly) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("123456789012", "First"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("912345678901", "Second"))));
  using Ids = std::vector<std::string>;
  EXPECT_EQ(Search(store(), "1234"), Ids{"123456789012"});
  EXPECT_EQ(Search(store(), "123456789012"), Ids{"123456789012"});
  EXPECT_EQ(Search(store(), "9012"), Ids{});  // inside both ids, a prefix of neither
}

TEST_P(StoreConformance, ListAccountsSearchTreatsWildcardCharactersLiterally) {
  CreateNamed(store(), {"100% prod", "1000 prod", "dev_box", "devXbox"});
  using Ids = std::vector<std::string>;
  EXPECT_EQ(Search(store(), "100%"), Ids{"111111111111"});
  EXPECT_EQ(Search(store(), "dev_"), Ids{"333333333333"});
  EXPECT_EQ(Search(store(), "%"), Ids{});
}

TEST_P(StoreConformance, ListAccountsSearchFollowsCursorsAcrossPartitions) {
  for (int i = 0; i < 9; ++i) {
    std::string id = std::string(11, '0') + std::to_string(i);
    std::vector<std::string> teams = {i % 2 == 0 ? "red" : "blue"};
    if (i % 3 == 0) teams.push_back("green");
    ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount(
        id, "Bench " + std::to_string(i), teams, i % 4 == 0 ? AccountStatus::kInactive : AccountStatus::kActive))));
  }
  AccountFilter f;
  f.search = "bench";
  f.any_of_teams = {"red", "blue", "green"};
  f.limit = 2;
  EXPECT_FALSE(store().ListAccounts(f)->total.has_value());  // no total for a search
  std::vector<std::string> want;
  for (int i = 0; i < 9; ++i) want.push_back(std::string(11, '0') + std::to_string(i));
  EXPECT_EQ(AllPages(store(), f), want);

  f.cursor = "";
  f.status = AccountStatus::kInactive;
  f.limit = 50;
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)),
            (std::vector<std::string>{"000000000000", "000000000004", "000000000008"}));
}

TEST_P(StoreConformance, ListAccountsCombinesFilters) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod A", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Prod B", {"red"}, AccountStatus::kInactive))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "Prod C", {"blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "Dev D", {"red"}))));
  AccountFilter f;
  f.status = AccountStatus::kActive;
  f.any_of_teams = {"red"};
  f.search = "prod";
  auto page = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AccountIds(*page), std::vector<std::string>{"111111111111"});
  EXPECT_EQ(page->items.size(), 1u);
  f.search = "4444";  // id prefix combined with status and team
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"444444444444"});
}

TEST_P(StoreConformance, ListAccountsFollowsCursorsToTheLastPage) {
  for (int i = 0; i < 7; ++i) {
    std::string id = std::string(11, '0') + std::to_string(i);
    ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount(id, "Account " + std::to_string(i), {"red"}))));
  }
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("999999999999", "Other", {"blue"}))));
  AccountFilter f;
  f.any_of_teams = {"red"};
  f.limit = 3;
  std::vector<std::string> want;
  for (int i = 0; i < 7; ++i) want.push_back(std::string(11, '0') + std::to_string(i));
  EXPECT_EQ(AllPages(store(), f), want);

  f.cursor = "not-a-cursor";
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
}

TEST_P(StoreConformance, ListAccountsCursorIsStableUnderConcurrentInserts) {
  for (int i : {1, 3, 5, 7}) {
    ASSERT_TRUE(IsOk(
        store().CreateAccount(MakeAccount(std::string(11, '0') + std::to_string(i), "acct " + std::to_string(i)))));
  }
  AccountFilter f;
  f.limit = 2;
  auto first = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(AccountIds(*first), (std::vector<std::string>{"000000000001", "000000000003"}));
  // Between the pages: one account before the cursor, one after it.
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("000000000000", "acct 0"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("000000000006", "acct 6"))));
  f.cursor = first->next;
  auto second = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(AccountIds(*second), (std::vector<std::string>{"000000000005", "000000000006"}));
  f.cursor = second->next;
  auto third = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(third));
  EXPECT_EQ(AccountIds(*third), std::vector<std::string>{"000000000007"});
  EXPECT_TRUE(third->next.empty());
}

TEST_P(StoreConformance, ListAccountsRefusesCursorsOfAnotherListAndLimitsOutOfRange) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod A"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Prod B"))));
  AccountFilter f;
  f.limit = 1;
  const std::string list_cursor = store().ListAccounts(f)->next;
  ASSERT_FALSE(list_cursor.empty());
  f.search = "prod";
  const std::string search_cursor = store().ListAccounts(f)->next;
  ASSERT_FALSE(search_cursor.empty());
  f.cursor = list_cursor;  // a list cursor given to a search
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
  f.search = "";
  f.cursor = search_cursor;  // and the other way round
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
  f.cursor = "";
  for (int64_t bad : {0, -1, 1001}) {
    f.limit = bad;
    EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f))) << bad;
  }
  f.limit = 1000;
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 2u);
}

TEST_P(StoreConformance, ListAccountsOfSeveralTeamsListsSharedAccountsOnceAcrossPages) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(IsOk(store().CreateAccount(
        MakeAccount(std::string(11, '0') + std::to_string(i), "A " + std::to_string(i), {"blue", "red"}))));
  }
  AccountFilter f;
  f.any_of_teams = {"red", "blue", "red"};
  f.limit = 4;
  auto first = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(first->items.size(), 4u);
  EXPECT_FALSE(first->total.has_value());  // no total for a team list
  f.cursor = first->next;
  auto second = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(AccountIds(*second), (std::vector<std::string>{"000000000004", "000000000005"}));
  EXPECT_TRUE(second->next.empty());
}

TEST_P(StoreConformance, CountAccountsFollowsCreatesAndStatusChanges) {
  auto none = store().CountAccounts();
  ASSERT_TRUE(IsOk(none));
  EXPECT_EQ(none->active, 0);
  EXPECT_EQ(none->inactive, 0);
  Account a = MakeAccount("111111111111", "A");
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "C", {}, AccountStatus::kInactive))));
  EXPECT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "dup"))) == false);  // refused: not counted
  EXPECT_EQ(store().CountAccounts()->active, 2);
  EXPECT_EQ(store().CountAccounts()->inactive, 1);

  Account renamed = a;  // an update that keeps the status leaves the counts
  renamed.account_name = "A2";
  renamed.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(renamed, 1)));
  EXPECT_EQ(store().CountAccounts()->active, 2);
  Account off = renamed;
  off.status = AccountStatus::kInactive;
  off.version = 3;
  ASSERT_TRUE(IsOk(store().UpdateAccount(off, 2)));
  EXPECT_EQ(store().CountAccounts()->active, 1);
  EXPECT_EQ(store().CountAccounts()->inactive, 2);
  EXPECT_FALSE(IsOk(store().UpdateAccount(off, 2)));  // stale: refused, not counted
  EXPECT_EQ(store().CountAccounts()->inactive, 2);

  // The unfiltered list carries the count of its status; all statuses: the sum.
  AccountFilter f;
  f.limit = 1;
  EXPECT_EQ(store().ListAccounts(f)->total, 3);
  f.status = AccountStatus::kActive;
  EXPECT_EQ(store().ListAccounts(f)->total, 1);
  f.status = AccountStatus::kInactive;
  EXPECT_EQ(store().ListAccounts(f)->total, 2);
}

TEST_P(StoreConformance, UpdateAccountMovesItsListAndSearchEntries) {
  Account a = MakeAccount("111111111111", "Alpha", {"red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account b = a;
  b.account_name = "Omega";
  b.status = AccountStatus::kInactive;
  b.teams = {"blue"};
  b.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(b, 1)));
  AccountFilter f;
  f.search = "alpha";
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);
  f.search = "omega";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"111111111111"});
  f.status = AccountStatus::kActive;
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);
  f.status = AccountStatus::kInactive;
  f.any_of_teams = {"blue"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"111111111111"});
  f.any_of_teams = {"red"};
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);
}

TEST_P(StoreConformance, UpdateAccountWithTheStoredVersionReplacesIt) {
  Account a = MakeAccount("111111111111", "Prod", {"red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account b = a;
  b.account_name = "Production";
  b.regions = {"us-west-2"};
  b.teams = {"blue"};
  b.status = AccountStatus::kInactive;
  b.credential_type = domain::CredentialType::kAssumeRole;
  b.access_key_id_masked = "";
  b.role_arn = "arn:aws:iam::111111111111:role/x";
  b.sealed_credentials = std::string("\x00new", 4);
  b.updated_at_ms = 1'800'000'000'000;
  b.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(b, 1)));
  EXPECT_EQ(Fields(*store().GetAccount("111111111111")), Fields(b));

  // The team index follows the update.
  AccountFilter f;
  f.any_of_teams = {"red"};
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);
  f.any_of_teams = {"blue"};
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 1u);

  Account c = b;
  c.version = 3;
  EXPECT_TRUE(IsOk(store().UpdateAccount(c, 2)));
  EXPECT_EQ(store().GetAccount("111111111111")->version, 3);
}

TEST_P(StoreConformance, UpdateAccountWithAStaleVersionIsFailedPreconditionAndChangesNothing) {
  Account a = MakeAccount("111111111111", "Prod", {"red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account first = a;
  first.account_name = "First writer";
  first.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(first, 1)));

  Account second = a;  // read before the first update: still believes version 1
  second.account_name = "Second writer";
  second.teams = {"blue"};
  second.version = 2;
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().UpdateAccount(second, 1)));
  EXPECT_EQ(Fields(*store().GetAccount("111111111111")), Fields(first));
  AccountFilter f;
  f.any_of_teams = {"blue"};
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);

  second.version = 4;  // a version from the future is just as stale
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().UpdateAccount(second, 3)));
}

TEST_P(StoreConformance, UpdateAccountOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().UpdateAccount(MakeAccount("999999999999", "X"), 1)));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetAccount("999999999999")));
}

// ---- Contact information --------------------------------------------------------------------------------

TEST_P(StoreConformance, GetContactInfoBeforeAnyPutIsNotFound) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod"))));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("111111111111")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("999999999999")));
}

TEST_P(StoreConformance, PutContactInfoCreatesThenReplaces) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Dev"))));
  ContactInfo c = MakeContact("Ada Lovelace");
  ASSERT_TRUE(IsOk(store().PutContactInfo("111111111111", c)));
  auto got = store().GetContactInfo("111111111111");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(c));

  ContactInfo d = MakeContact("Grace Hopper");
  d.address_line2 = "";
  d.address_line3 = "";
  d.updated_at_ms = 1'800'000'000'000;
  ASSERT_TRUE(IsOk(store().PutContactInfo("111111111111", d)));
  EXPECT_EQ(Fields(*store().GetContactInfo("111111111111")), Fields(d));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("222222222222")));  // per account
}

TEST_P(StoreConformance, PutContactInfoOnUnknownAccountIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().PutContactInfo("999999999999", MakeContact("Nobody"))));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("999999999999")));
}

}  // namespace
}  // namespace ap::store::testing
