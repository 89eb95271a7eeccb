// Conformance: accounts and contact information (account_store.h). Each test names the clause of the store interface it
// checks.
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

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

TEST_P(StoreConformance, ListAccountsSearchesNameCaseInsensitively) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Production EU"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "staging"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "PRODUCTION US"))));
  AccountFilter f;
  f.search = "duct";  // a substring, not only a prefix
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "333333333333"}));
  f.search = "StAg";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"222222222222"});
  f.search = "qa";
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);
}

TEST_P(StoreConformance, ListAccountsSearchMatchesAccountIdByPrefixOnly) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("123456789012", "First"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("912345678901", "Second"))));
  AccountFilter f;
  f.search = "1234";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"123456789012"});
  f.search = "123456789012";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"123456789012"});
  f.search = "9012";  // inside both ids, a prefix of neither
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 0u);
}

TEST_P(StoreConformance, ListAccountsSearchTreatsWildcardCharactersLiterally) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "100% prod"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "1000 prod"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "dev_box"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "devXbox"))));
  AccountFilter f;
  f.search = "0%";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"111111111111"});
  f.search = "v_b";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"333333333333"});
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
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = store().ListAccounts(f);
    ASSERT_TRUE(IsOk(page));
    ++pages;
    EXPECT_LE(page->items.size(), 3u);
    for (const Account& a : page->items) seen.push_back(a.account_id);
    if (page->next.empty()) break;
    f.cursor = page->next;
  }
  EXPECT_EQ(pages, 3);
  std::vector<std::string> want;
  for (int i = 0; i < 7; ++i) want.push_back(std::string(11, '0') + std::to_string(i));
  EXPECT_EQ(seen, want);

  f.cursor = "not-a-cursor";
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListAccounts(f)));
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
