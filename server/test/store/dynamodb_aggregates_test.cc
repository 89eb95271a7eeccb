// DynamoDbStore's maintained aggregates beyond the conformance suite: RebuildAggregates finds and repairs drift
// (counter items damaged behind the store's back, a snapshot counted in the wrong scope), and the key encodings
// the account indexes and aggregate items rely on.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"

namespace ap::store {
namespace {

using ddb::Item;

domain::Account Active(const std::string& id, std::vector<std::string> teams) {
  domain::Account a;
  a.account_id = id;
  a.account_name = "Account " + id;
  a.regions = {"us-east-1"};
  a.teams = std::move(teams);
  a.sealed_credentials = "sealed";
  a.version = 1;
  return a;
}

domain::QuotaSnapshot Snapshot(const std::string& account_id, double value) {
  domain::QuotaSnapshot s;
  s.account_id = account_id;
  s.region = "us-east-1";
  domain::QuotaValue v;
  v.quota_code = "L-00000001";
  v.value = value;
  v.state = domain::QuotaState::kOk;
  s.values = {v};
  return s;
}

// The shared client (a test failure when there is none).
aws::DynamoDb* Db() {
  Result<aws::DynamoDb*> db = testing::TestDynamoDb();
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? *db : nullptr;
}

// Adds `amount` to `attribute` of the item `key` of `table`, straight through the client (drift on purpose).
void Damage(const std::string& table, const Item& key, const std::string& attribute, int64_t amount) {
  aws::DynamoDb* db = Db();
  ASSERT_NE(db, nullptr);
  boost::json::object req = ddb::Request(table);
  req["Key"] = key;
  req["UpdateExpression"] = "ADD #a :v";
  req["ExpressionAttributeNames"] = {{"#a", attribute}};
  req["ExpressionAttributeValues"] = {{":v", ddb::N(amount)}};
  ASSERT_TRUE(db->Call("UpdateItem", req).ok());
}

class DynamoDbAggregates : public ::testing::Test {
 protected:
  void SetUp() override {
    aws::DynamoDb* db = Db();
    ASSERT_NE(db, nullptr);
    Result<std::string> prefix = testing::NewTestTables();
    ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
    Result<std::unique_ptr<DynamoDbStore>> store = DynamoDbStore::Open(*db, clock_, random_, {.table_prefix = *prefix});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->CreateAccount(Active("111111111111", {"red"})).ok());
    ASSERT_TRUE(store_->CreateAccount(Active("222222222222", {"blue", "red"})).ok());
    ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 10)).ok());
    ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("222222222222", 20)).ok());
  }

  // The fleet as read: accounts, pairs, and code L-00000001's (sum, fresh).
  std::tuple<int64_t, int64_t, double, int64_t> Fleet() {
    Result<ScopeAggregate> fleet = store_->GetFleetAggregate();
    EXPECT_TRUE(fleet.ok());
    if (!fleet.ok() || fleet->codes.size() != 1) return {-1, -1, -1, -1};
    return {fleet->active_accounts, fleet->account_regions, fleet->codes[0].sum, fleet->codes[0].fresh};
  }

  SystemClock clock_;
  SecureRandom random_;
  std::unique_ptr<DynamoDbStore> store_;
};

TEST_F(DynamoDbAggregates, RebuildFindsNoDriftAfterOrdinaryWrites) {
  Result<int64_t> corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_EQ(*corrected, 0);
  EXPECT_EQ(Fleet(), std::make_tuple(int64_t{2}, int64_t{2}, 30.0, int64_t{1 + 1}));
}

TEST_F(DynamoDbAggregates, RebuildRepairsDamagedCounterItems) {
  const std::string& main = store_->tables().main;
  Damage(main, ddb::MainKey(ddb::kFleetPk, ddb::kAggSk), "active_accounts", 5);
  Damage(main, ddb::MainKey(ddb::kFleetPk, ddb::kAggSk), ddb::SumAttr("L-00000001"), 7'000'000);
  Damage(main, ddb::MainKey(ddb::TeamSetPk({"red"}), ddb::kAggSk), ddb::FreshAttr("L-00000001"), 1);
  Damage(main, ddb::MainKey(ddb::kCounterPk, ddb::kAccountCounterSk), "inactive", 3);
  ASSERT_EQ(Fleet(), std::make_tuple(int64_t{7}, int64_t{2}, 37.0, int64_t{2}));  // the damage shows

  Result<int64_t> corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_EQ(*corrected, 3);  // the fleet item, the {red} item and the account counts
  EXPECT_EQ(Fleet(), std::make_tuple(int64_t{2}, int64_t{2}, 30.0, int64_t{2}));
  Result<std::vector<ScopeAggregate>> red = store_->GetTeamAggregates({"red"});
  ASSERT_TRUE(red.ok());
  ASSERT_EQ(red->size(), 2u);
  EXPECT_EQ((*red)[1].teams, std::vector<std::string>{"red"});
  ASSERT_EQ((*red)[1].codes.size(), 1u);
  EXPECT_EQ((*red)[1].codes[0].fresh, 1);
  EXPECT_EQ((*red)[1].codes[0].sum, 10.0);
  Result<AccountCounts> counts = store_->CountAccounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->active, 2);
  EXPECT_EQ(counts->inactive, 0);

  // Repaired counters keep counting right, and a second rebuild finds nothing.
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 15)).ok());
  EXPECT_EQ(Fleet(), std::make_tuple(int64_t{2}, int64_t{2}, 35.0, int64_t{2}));
  corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(*corrected, 0);
}

TEST_F(DynamoDbAggregates, RebuildRestoresAMissingTeamLookup) {
  aws::DynamoDb* db = Db();
  ASSERT_NE(db, nullptr);
  boost::json::object del = ddb::Request(store_->tables().main);
  del["Key"] = ddb::MainKey(ddb::TeamLookupPk("blue"), ddb::TeamSetPk({"blue", "red"}));
  ASSERT_TRUE(db->Call("DeleteItem", del).ok());
  ASSERT_TRUE(store_->GetTeamAggregates({"blue"})->empty());

  Result<int64_t> corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_EQ(*corrected, 1);
  Result<std::vector<ScopeAggregate>> blue = store_->GetTeamAggregates({"blue"});
  ASSERT_TRUE(blue.ok());
  ASSERT_EQ(blue->size(), 1u);
  EXPECT_EQ((*blue)[0].active_accounts, 1);
}

TEST_F(DynamoDbAggregates, RebuildMovesASnapshotCountedInTheWrongScope) {
  // The snapshot of 111111111111 claims to count in {blue}: its next write would take its values out of {blue}.
  aws::DynamoDb* db = Db();
  ASSERT_NE(db, nullptr);
  boost::json::object req = ddb::Request(store_->tables().quota_cache);
  req["Key"] = Item{{"account_id", ddb::S("111111111111")}, {"region", ddb::S("us-east-1")}};
  req["UpdateExpression"] = "SET #c = :c";
  req["ExpressionAttributeNames"] = {{"#c", "counted"}};
  req["ExpressionAttributeValues"] = {{":c", ddb::S(ddb::TeamSetPk({"blue"}))}};
  ASSERT_TRUE(db->Call("UpdateItem", req).ok());

  Result<int64_t> corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_GE(*corrected, 1);
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 12)).ok());
  EXPECT_EQ(Fleet(), std::make_tuple(int64_t{2}, int64_t{2}, 32.0, int64_t{2}));
  Result<std::vector<ScopeAggregate>> red = store_->GetTeamAggregates({"red"});
  ASSERT_TRUE(red.ok());
  ASSERT_EQ(red->size(), 2u);
  ASSERT_EQ((*red)[1].codes.size(), 1u);
  EXPECT_EQ((*red)[1].codes[0].sum, 12.0);
  corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(*corrected, 0);
}

// Snapshot writes racing account writes that move the snapshots between scopes (status, teams, regions): each
// change of a scope's totals is owned by one snapshot or account write, so once they are done the maintained
// counters equal a recomputation (RebuildAggregates corrects nothing).
TEST_F(DynamoDbAggregates, ConcurrentSnapshotAndAccountWritesLeaveNoDrift) {
  std::atomic<bool> failed{false};
  std::thread snapshots([&] {
    for (int i = 0; i < 40 && !failed; ++i) {
      for (const char* region : {"us-east-1", "eu-west-1"}) {
        domain::QuotaSnapshot s = Snapshot("111111111111", 100 + i);
        s.region = region;
        if (!store_->PutQuotaSnapshot(s).ok()) failed = true;
      }
    }
  });
  std::thread accounts([&] {
    for (int i = 0; i < 20 && !failed; ++i) {
      Result<domain::Account> a = store_->GetAccount("111111111111");
      if (!a.ok()) {
        failed = true;
        break;
      }
      domain::Account next = *a;
      next.version = a->version + 1;
      next.teams = i % 2 == 0 ? std::vector<std::string>{"blue"} : std::vector<std::string>{"red"};
      next.regions =
          i % 3 == 0 ? std::vector<std::string>{"eu-west-1", "us-east-1"} : std::vector<std::string>{"us-east-1"};
      next.status = i % 5 == 4 ? domain::AccountStatus::kInactive : domain::AccountStatus::kActive;
      if (!store_->UpdateAccount(next, a->version).ok()) failed = true;
    }
  });
  snapshots.join();
  accounts.join();
  ASSERT_FALSE(failed);
  Result<int64_t> corrected = store_->RebuildAggregates();
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_EQ(*corrected, 0);
}

// ---- Key encodings (no DynamoDB needed) ----

TEST(DynamoDbKeys, JoinKeyOrdersByteWiseAsTheTupleOfItsFields) {
  const std::vector<std::vector<std::string>> tuples = {{"a", "2"},
                                                        {"a b", "1"},
                                                        {"a", "1"},
                                                        {"ab", "0"},
                                                        {"", "9"},
                                                        {std::string("a\x00", 2), "0"},
                                                        {std::string("a\x01", 2), "0"},
                                                        {"a\x02", "0"},
                                                        {"\xc3\xa9", "0"}};
  for (const auto& x : tuples) {
    for (const auto& y : tuples) {
      EXPECT_EQ(x < y, ddb::JoinKey(x) < ddb::JoinKey(y))
          << ::testing::PrintToString(x) << " vs " << ::testing::PrintToString(y);
    }
    EXPECT_EQ(ddb::JoinKey(x).find('\0'), std::string::npos);
    Result<std::vector<std::string>> back = ddb::SplitKey(ddb::JoinKey(x));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, x);
  }
  // A prefix search on the first field is a prefix of the joined key.
  EXPECT_EQ(ddb::JoinKey({"prod box", "x"}).rfind(ddb::EscapeKeyField("prod"), 0), 0u);
}

TEST(DynamoDbKeys, TeamSetPkRoundTripsAnyTeams) {
  for (const std::vector<std::string>& teams :
       std::vector<std::vector<std::string>>{{}, {"red"}, {"blue", "red"}, {"a:b", "3:x", ""}}) {
    Result<std::vector<std::string>> back = ddb::TeamsOfSetPk(ddb::TeamSetPk(teams));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, teams);
  }
  EXPECT_NE(ddb::TeamSetPk({"ab"}), ddb::TeamSetPk({"a", "b"}));
  EXPECT_FALSE(ddb::TeamsOfSetPk("AGG#fleet").ok());
  EXPECT_FALSE(ddb::TeamsOfSetPk("AGG#set:9:short").ok());
}

}  // namespace
}  // namespace ap::store
