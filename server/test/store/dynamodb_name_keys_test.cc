// DynamoDbStore's account name keys beyond the conformance suite (dynamodb_store_name_keys.cc): entries written with
// another key function (the folded-name keys of earlier versions) are rebuilt once per collator version by
// EnsureAccountNameKeys, and RebuildAccountIndex keeps what is right and removes what no account has.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/collation.h"
#include "common/text_fold.h"
#include "dynamodb_store_fixture.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/item.h"

namespace ap::store {
namespace {

using ddb::Item;

domain::Account Named(const std::string& id, const std::string& name, std::vector<std::string> teams) {
  domain::Account a;
  a.account_id = id;
  a.account_name = name;
  a.regions = {"us-east-1"};
  a.teams = std::move(teams);
  a.sealed_credentials = "sealed";
  a.version = 1;
  return a;
}

class DynamoDbNameKeys : public testing::DynamoDbStoreFixture {
 protected:
  void Call(const char* op, boost::json::object req) {
    Result<boost::json::object> done = db_->Call(op, req);
    ASSERT_TRUE(done.ok()) << op << ": " << done.status().ToString();
  }
  // The sort keys stored in index partition `pk`.
  std::vector<std::string> Partition(const std::string& pk) {
    boost::json::object q = ddb::Request(store_->tables().main);
    q["ConsistentRead"] = true;
    q["KeyConditionExpression"] = "pk = :pk";
    q["ExpressionAttributeValues"] = {{":pk", ddb::S(pk)}};
    Result<std::vector<boost::json::object>> items = aws::QueryAll(*db_, q, 0);
    EXPECT_TRUE(items.ok());
    std::vector<std::string> out;
    if (items.ok()) {
      for (const Item& item : *items) out.push_back(ddb::GetS(item, "sk"));
    }
    return out;
  }
  // Replaces every entry of the account with the ones earlier versions wrote (name key = FoldCase(name)), and
  // forgets that the current keys were recorded: the state an upgrade starts from.
  void Downgrade(const domain::Account& a) {
    for (const auto& [pk, sk] : ddb::AccountIndexEntries(a)) {
      boost::json::object del = ddb::Request(store_->tables().main);
      del["Key"] = ddb::MainKey(pk, sk);
      Call("DeleteItem", del);
      Result<std::vector<std::string>> fields = ddb::SplitKey(sk);
      ASSERT_TRUE(fields.ok());
      (*fields)[fields->size() - 2] = FoldCase(a.account_name);
      boost::json::object put = ddb::Request(store_->tables().main);
      put["Item"] = ddb::MainKey(pk, ddb::JoinKey(*fields));
      Call("PutItem", put);
    }
  }
  void ForgetVersion() {
    boost::json::object del = ddb::Request(store_->tables().main);
    del["Key"] = ddb::MainKey("SETTING#" + ddb::NameKeySetting(), "SETTING");
    Call("DeleteItem", del);
  }
  std::vector<std::string> Names(AccountFilter f) {
    std::vector<std::string> names;
    for (int i = 0; i < 20; ++i) {
      Result<AccountPage> page = store_->ListAccounts(f);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (const auto& a : page->items) names.push_back(a.account_name);
      if (page->next.empty()) break;
      f.cursor = page->next;
    }
    return names;
  }
};

TEST_F(DynamoDbNameKeys, EnsureRebuildsEntriesMadeWithAnotherKeyOncePerVersion) {
  const std::vector<domain::Account> accounts = {Named("111111111111", "bench-10", {"red"}),
                                                 Named("222222222222", "bench-2", {"red", "blue"}),
                                                 Named("333333333333", "上海", {}), Named("444444444444", "北京", {})};
  for (const auto& a : accounts) ASSERT_TRUE(store_->CreateAccount(a).ok());
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());  // records the version
  for (const auto& a : accounts) Downgrade(a);
  // Entries with other keys are skipped (they are not their account's): the list is empty until the rebuild.
  EXPECT_TRUE(Names({}).empty());
  // The version is recorded: nothing to do.
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());
  EXPECT_TRUE(Names({}).empty());

  ForgetVersion();
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());
  AccountFilter paged;
  paged.limit = 1;
  EXPECT_EQ(Names(paged), (std::vector<std::string>{"bench-2", "bench-10", "北京", "上海"}));
  AccountFilter red;
  red.any_of_teams = {"red", "blue"};
  EXPECT_EQ(Names(red), (std::vector<std::string>{"bench-2", "bench-10"}));
  AccountFilter search;
  search.search = "bench";
  EXPECT_EQ(Names(search).size(), 2u);
  // Only the entries of the current key function are left.
  EXPECT_EQ(Partition(ddb::ListPk("all", "active")).size(), 4u);
  EXPECT_EQ(Partition(ddb::ListPk("team:red", "active")).size(), 2u);
  for (const std::string& sk : Partition(ddb::TermPk("all", "active"))) {
    Result<std::vector<std::string>> fields = ddb::SplitKey(sk);
    ASSERT_TRUE(fields.ok());
    EXPECT_EQ(fields->at(1).find_first_not_of("0123456789abcdef"), std::string::npos) << sk;
  }
  // An account written after the rebuild moves its own entries as usual.
  domain::Account renamed = accounts[0];
  renamed.account_name = "bench-1";
  renamed.version = 2;
  ASSERT_TRUE(store_->UpdateAccount(renamed, 1).ok());
  EXPECT_EQ(Names({}), (std::vector<std::string>{"bench-1", "bench-2", "北京", "上海"}));
  EXPECT_EQ(Partition(ddb::ListPk("all", "active")).size(), 4u);
}

// Search entries of the plain-term scheme (before NaturalTermKey, setting without ";terms2") are rebuilt once: the
// old entries are removed and search lists digit runs in natural order.
TEST_F(DynamoDbNameKeys, EnsureRebuildsPlainSearchTermsForTheNaturalTermScheme) {
  const std::vector<domain::Account> accounts = {Named("111111111111", "bench-10", {"red"}),
                                                 Named("222222222222", "bench-2", {"red"}),
                                                 Named("333333333333", "bench-1", {})};
  for (const auto& a : accounts) ASSERT_TRUE(store_->CreateAccount(a).ok());
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());
  size_t expected_terms = 0;
  for (const auto& a : accounts) {
    // What the previous binary wrote: the folded terms themselves.
    for (const auto& [pk, sk] : ddb::AccountIndexEntries(a)) {
      if (pk.rfind("TERM#", 0) != 0) continue;
      ++expected_terms;
      boost::json::object del = ddb::Request(store_->tables().main);
      del["Key"] = ddb::MainKey(pk, sk);
      Call("DeleteItem", del);
    }
    std::vector<std::string> plain = SearchTerms(a.account_name);
    plain.push_back(a.account_id);
    std::vector<std::string> scopes = {"all"};
    for (const std::string& team : a.teams) scopes.push_back("team:" + team);
    for (const std::string& scope : scopes) {
      for (const std::string& term : plain) {
        boost::json::object put = ddb::Request(store_->tables().main);
        put["Item"] = ddb::MainKey(ddb::TermPk(scope, "active"),
                                   ddb::JoinKey({term, CollationKey(a.account_name), a.account_id}));
        Call("PutItem", put);
      }
    }
  }
  ForgetVersion();
  // The setting the previous binary recorded (no term scheme) does not count.
  ASSERT_TRUE(store_->PutSettingIfAbsent("account_name_keys:" + CollationVersion(), CollationVersion()).ok());
  AccountFilter search;
  search.search = "bench";
  search.limit = 1;
  EXPECT_TRUE(Names(search).empty());  // plain-term entries are not their accounts' (never served twice)
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());
  EXPECT_TRUE(store_->GetSetting(ddb::NameKeySetting()).ok());
  EXPECT_EQ(Names(search), (std::vector<std::string>{"bench-1", "bench-2", "bench-10"}));
  search.search = "bench-1";
  EXPECT_EQ(Names(search), (std::vector<std::string>{"bench-1", "bench-10"}));
  search.search = "bench";
  search.any_of_teams = {"red"};
  EXPECT_EQ(Names(search), (std::vector<std::string>{"bench-2", "bench-10"}));
  AccountFilter by_id;
  by_id.search = "2222";
  EXPECT_EQ(Names(by_id), std::vector<std::string>{"bench-2"});
  // Only the new entries are left.
  EXPECT_EQ(Partition(ddb::TermPk("all", "active")).size() + Partition(ddb::TermPk("team:red", "active")).size(),
            expected_terms);
  for (const std::string& sk : Partition(ddb::TermPk("all", "active"))) {
    Result<std::vector<std::string>> fields = ddb::SplitKey(sk);
    ASSERT_TRUE(fields.ok());
    EXPECT_TRUE(fields->at(0).find_first_of("0123456789") == std::string::npos ||
                fields->at(0).find_first_of(std::string("\x01\x02\x0c", 3)) != std::string::npos)
        << sk;
  }
}

TEST_F(DynamoDbNameKeys, RebuildKeepsCurrentEntriesAndRemovesOrphans) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "node-10", {"red"})).ok());
  ASSERT_TRUE(store_->CreateAccount(Named("222222222222", "node-9", {})).ok());
  // An entry no account has (e.g. left by an older binary for a name since changed).
  boost::json::object put = ddb::Request(store_->tables().main);
  put["Item"] = ddb::MainKey(ddb::ListPk("team:red", "active"), ddb::JoinKey({"node-x", "111111111111"}));
  Call("PutItem", put);
  Result<int64_t> changed = store_->RebuildAccountIndex();
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(Partition(ddb::ListPk("team:red", "active")).size(), 1u);
  changed = store_->RebuildAccountIndex();
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 0);
  EXPECT_EQ(Names({}), (std::vector<std::string>{"node-9", "node-10"}));
}

TEST_F(DynamoDbNameKeys, AnInstanceFindingTheLeaseHeldWaitsThenServes) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "a", {})).ok());
  ForgetVersion();
  ASSERT_TRUE(store_->AcquireLease("account-name-keys", "someone-else", clock_.NowUnixMillis(), 60'000).ok());
  // Held by another instance that never finishes: this one gives up waiting and serves (nothing recorded).
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());
  EXPECT_FALSE(store_->GetSetting(ddb::NameKeySetting()).ok());
  clock_.Advance(std::chrono::minutes(2));  // the holder's lease expired: the next start rebuilds
  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(0)).ok());
  EXPECT_TRUE(store_->GetSetting(ddb::NameKeySetting()).ok());
}

}  // namespace
}  // namespace ap::store
