// DynamoDbStore's value-sorted index beyond the conformance suite (dynamodb_store_sort_index.cc,
// sort_index_internal.h): the value key orders like the numbers, a writer that stops between the snapshot's commit
// and its entries leaves an intent that the sweep finishes, a rename's entries converge the same way, and
// RebuildAggregates / RebuildSortIndex repair damaged or missing entries (and give the snapshots written before the
// index existed theirs).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "dynamodb_store_fixture.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/sort_index_internal.h"

namespace ap::store {
namespace {

using ddb::Item;
using testing::FailOnceDb;

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

domain::QuotaSnapshot Snapshot(const std::string& account_id, double value) {
  domain::QuotaSnapshot s;
  s.account_id = account_id;
  s.region = "us-east-1";
  domain::QuotaValue v;
  v.quota_code = "L-1";
  v.value = value;
  v.state = domain::QuotaState::kOk;
  s.values = {v};
  return s;
}

struct Row {
  std::string account_id;
  std::string account_name;
  double value;
  bool operator==(const Row&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.account_id << "(" << r.account_name << ")=" << r.value;
}

class DynamoDbSortIndex : public testing::DynamoDbStoreFixture {
 protected:
  // Every row of L-1 (fleet, or the teams' scopes), in the query's order.
  std::vector<Row> Rows(bool descending, std::vector<std::string> teams = {}, bool fleet = true) {
    ValueSortQuery q;
    q.quota_code = "L-1";
    q.descending = descending;
    q.fleet = fleet;
    q.teams = std::move(teams);
    q.limit = 200;
    Result<ValueSortPage> page = store_->ListRowsByValue(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<Row> out;
    if (page.ok()) {
      for (const ValueSortRow& r : page->rows) out.push_back({r.account_id, r.account_name, r.value});
    }
    return out;
  }
  // The keys of every value-sort entry on `main` (a Scan: test only).
  std::vector<Item> Entries() {
    boost::json::object scan = ddb::Request(store_->tables().main);
    scan["ConsistentRead"] = true;
    scan["FilterExpression"] = "begins_with(pk, :sort)";
    scan["ExpressionAttributeValues"] = {{":sort", ddb::S(ddb::kSortPkPrefix)}};
    Result<std::vector<boost::json::object>> items = aws::QueryAll(*db_, scan, 0, "Scan");
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<Item>();
  }
  void Call(const char* op, boost::json::object req) {
    Result<boost::json::object> done = db_->Call(op, req);
    ASSERT_TRUE(done.ok()) << op << ": " << done.status().ToString();
  }
  void Sweep() {
    clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
    Result<int64_t> swept = store_->SweepIntents(std::chrono::seconds(1), 100);
    ASSERT_TRUE(swept.ok()) << swept.status().ToString();
    EXPECT_GE(*swept, 1);
  }
};

bool IsBatchWrite(std::string_view op, const boost::json::object&) { return op == "BatchWriteItem"; }

TEST(DynamoDbSortKeys, ValueKeysOrderLikeTheNumbersAndReadBack) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> ordered = {-inf,
                                       -1e300,
                                       -2.5,
                                       -1,
                                       -std::numeric_limits<double>::denorm_min(),
                                       0,
                                       std::numeric_limits<double>::denorm_min(),
                                       1e-300,
                                       1,
                                       400,
                                       2e6,
                                       1e300,
                                       inf};
  for (size_t i = 0; i < ordered.size(); ++i) {
    const std::string key = ddb::SortValueKey(ordered[i]);
    EXPECT_EQ(key.size(), 16u);
    EXPECT_EQ(ddb::SortValueOfKey(key, false), ordered[i]);
    if (i > 0) EXPECT_LT(ddb::SortValueKey(ordered[i - 1]), key) << ordered[i - 1] << " < " << ordered[i];
  }
  EXPECT_EQ(ddb::SortValueKey(-0.0), ddb::SortValueKey(0.0));
  EXPECT_FALSE(ddb::SortValueOfKey("xyz", false));
  EXPECT_FALSE(ddb::SortValueOfKey("0123456789ABCDEF", false));
}

TEST_F(DynamoDbSortIndex, AWriterThatStopsBeforeTheEntriesIsFinishedByTheSweep) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "alpha", {"red"})).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 400)).ok());
  ASSERT_TRUE(store_->CreateAccount(Named("222222222222", "beta", {})).ok());
  // The writer commits the new snapshot (its counters move too), then dies before its entries are written.
  FailOnceDb flaky(*db_, IsBatchWrite);
  std::unique_ptr<DynamoDbStore> crashing = Open(flaky);
  ASSERT_NE(crashing, nullptr);
  EXPECT_FALSE(crashing->PutQuotaSnapshot(Snapshot("222222222222", 900)).ok());
  EXPECT_EQ(Rows(true), (std::vector<Row>{{"111111111111", "alpha", 400}})) << "the entries lag their snapshot";
  Sweep();
  EXPECT_EQ(Rows(true), (std::vector<Row>{{"222222222222", "beta", 900}, {"111111111111", "alpha", 400}}));
  EXPECT_EQ(Rows(false), (std::vector<Row>{{"111111111111", "alpha", 400}, {"222222222222", "beta", 900}}));
  // The value moves: the old entries go (a second stop, then the next writer of the snapshot finishes it first).
  FailOnceDb flaky2(*db_, IsBatchWrite);
  std::unique_ptr<DynamoDbStore> crashing2 = Open(flaky2);
  EXPECT_FALSE(crashing2->PutQuotaSnapshot(Snapshot("222222222222", 100)).ok());
  clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("222222222222", 50)).ok());
  EXPECT_EQ(Rows(false), (std::vector<Row>{{"222222222222", "beta", 50}, {"111111111111", "alpha", 400}}));
  EXPECT_EQ(Entries().size(), 16u) << "8 entries per counted value, none left behind";
}

TEST_F(DynamoDbSortIndex, ARenameThatStopsPartWayConvergesAfterTheSweep) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "alpha", {"red"})).ok());
  ASSERT_TRUE(store_->CreateAccount(Named("222222222222", "beta", {"red"})).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 400)).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("222222222222", 400)).ok());
  EXPECT_EQ(Rows(false), (std::vector<Row>{{"111111111111", "alpha", 400}, {"222222222222", "beta", 400}}));
  // The account commits the rename; its recount commits the snapshot; the entries' move is what fails.
  FailOnceDb flaky(*db_, IsBatchWrite);
  std::unique_ptr<DynamoDbStore> crashing = Open(flaky);
  domain::Account renamed = Named("111111111111", "zulu", {"red"});
  renamed.version = 2;
  EXPECT_FALSE(crashing->UpdateAccount(renamed, 1).ok());
  Sweep();
  const std::vector<Row> want = {{"222222222222", "beta", 400}, {"111111111111", "zulu", 400}};
  EXPECT_EQ(Rows(false), want);
  EXPECT_EQ(Rows(true), want) << "ties stay A→Z when descending";
  EXPECT_EQ(Rows(false, {"red"}, false), want);
  Result<int64_t> drift = store_->RebuildSortIndex();
  ASSERT_TRUE(drift.ok()) << drift.status().ToString();
  EXPECT_EQ(*drift, 0);
}

TEST_F(DynamoDbSortIndex, RebuildRepairsEntriesAndIndexesSnapshotsWrittenBeforeTheIndex) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "alpha", {"red"})).ok());
  ASSERT_TRUE(store_->CreateAccount(Named("222222222222", "beta", {"blue"})).ok());
  ASSERT_TRUE(store_->CreateAccount(Named("333333333333", "gamma", {})).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 1)).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("222222222222", 2)).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("333333333333", 3)).ok());
  Result<int64_t> clean = store_->RebuildAggregates();
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(*clean, 0) << "no drift after ordinary writes";
  const std::vector<Row> want = {
      {"111111111111", "alpha", 1}, {"222222222222", "beta", 2}, {"333333333333", "gamma", 3}};
  ASSERT_EQ(Rows(false), want);
  const size_t entries = Entries().size();

  // Damage: one entry lost, one stray entry of no snapshot, one entry with a wrong name, and a snapshot as written
  // before the index existed (no recorded state, no entries).
  std::vector<Item> stored = Entries();
  ASSERT_EQ(stored.size(), 24u);
  for (const Item& e : stored) {
    Result<std::vector<std::string>> f = ddb::SplitKey(ddb::GetS(e, "sk"));
    ASSERT_TRUE(f.ok());
    const std::string& id = (*f)[2];
    if (id == "111111111111") {
      boost::json::object del = ddb::Request(store_->tables().main);
      del["Key"] = ddb::MainKey(ddb::GetS(e, "pk"), ddb::GetS(e, "sk"));
      Call("DeleteItem", del);
    } else if (id == "222222222222") {
      Item wrong = e;
      wrong["n"] = ddb::S("stale name");
      boost::json::object put = ddb::Request(store_->tables().main);
      put["Item"] = wrong;
      Call("PutItem", put);
    }
  }
  {
    boost::json::object put = ddb::Request(store_->tables().main);
    put["Item"] = Item{{"pk", ddb::S(ddb::SortPk(ddb::kFleetPk, "L-1", "", false))},
                       {"sk", ddb::S(ddb::JoinKey({ddb::SortValueKey(7), "ab", "999999999999", "us-east-1"}))},
                       {"n", ddb::S("ghost")}};
    Call("PutItem", put);
    boost::json::object update = ddb::Request(store_->tables().quota_cache);
    update["Key"] = Item{{"account_id", ddb::S("111111111111")}, {"region", ddb::S("us-east-1")}};
    update["UpdateExpression"] = "REMOVE sort_key, sort_name";
    Call("UpdateItem", update);
  }
  EXPECT_NE(Rows(false), want);

  Result<int64_t> repaired = store_->RebuildAggregates();
  ASSERT_TRUE(repaired.ok()) << repaired.status().ToString();
  EXPECT_GT(*repaired, 0);
  EXPECT_EQ(Rows(false), want);
  EXPECT_EQ(Rows(true), (std::vector<Row>{want[2], want[1], want[0]}));
  EXPECT_EQ(Rows(false, {"blue"}, false), (std::vector<Row>{want[1]}));
  EXPECT_EQ(Entries().size(), entries);
  Result<int64_t> again = store_->RebuildSortIndex();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 0) << "the repair is complete";
}

TEST_F(DynamoDbSortIndex, ANewNameKeyFunctionMovesTheEntriesOnceAtStart) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "alpha", {})).ok());
  ASSERT_TRUE(store_->CreateAccount(Named("222222222222", "beta", {})).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 400)).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("222222222222", 400)).ok());
  // alpha's entries and snapshot as an earlier collator wrote them (a key that sorts after beta's), and the setting
  // of the current key version forgotten: the state an upgrade starts from.
  for (const Item& e : Entries()) {
    Result<std::vector<std::string>> f = ddb::SplitKey(ddb::GetS(e, "sk"));
    ASSERT_TRUE(f.ok());
    if ((*f)[2] != "111111111111") continue;
    boost::json::object del = ddb::Request(store_->tables().main);
    del["Key"] = ddb::MainKey(ddb::GetS(e, "pk"), ddb::GetS(e, "sk"));
    Call("DeleteItem", del);
    (*f)[1] = "ffff";
    Item moved = e;
    moved["sk"] = ddb::S(ddb::JoinKey(*f));
    boost::json::object put = ddb::Request(store_->tables().main);
    put["Item"] = moved;
    Call("PutItem", put);
  }
  boost::json::object update = ddb::Request(store_->tables().quota_cache);
  update["Key"] = Item{{"account_id", ddb::S("111111111111")}, {"region", ddb::S("us-east-1")}};
  update["UpdateExpression"] = "SET sort_key = :k";
  update["ExpressionAttributeValues"] = {{":k", ddb::S("ffff")}};
  Call("UpdateItem", update);
  boost::json::object forget = ddb::Request(store_->tables().main);
  forget["Key"] = ddb::MainKey("SETTING#" + ddb::NameKeySetting(), "SETTING");
  Call("DeleteItem", forget);
  ASSERT_EQ(Rows(false), (std::vector<Row>{{"222222222222", "beta", 400}, {"111111111111", "alpha", 400}}));

  ASSERT_TRUE(store_->EnsureAccountNameKeys(std::chrono::seconds(5)).ok());
  const std::vector<Row> want = {{"111111111111", "alpha", 400}, {"222222222222", "beta", 400}};
  EXPECT_EQ(Rows(false), want);
  EXPECT_EQ(Rows(true), want);
  EXPECT_EQ(Entries().size(), 16u) << "the old key's entries are gone";
}

TEST_F(DynamoDbSortIndex, AnUnchangedSnapshotWriteMovesNoEntry) {
  ASSERT_TRUE(store_->CreateAccount(Named("111111111111", "alpha", {})).ok());
  ASSERT_TRUE(store_->PutQuotaSnapshot(Snapshot("111111111111", 400)).ok());
  // A refresh that reads the same values (a new read time, stale) writes no entry.
  FailOnceDb watch(*db_, IsBatchWrite);
  std::unique_ptr<DynamoDbStore> writer = Open(watch);
  domain::QuotaSnapshot again = Snapshot("111111111111", 400);
  again.values[0].state = domain::QuotaState::kStale;
  again.values[0].read_at_ms = 5;
  ASSERT_TRUE(writer->PutQuotaSnapshot(again).ok()) << "no BatchWriteItem was sent (it would have failed)";
  EXPECT_EQ(Rows(false), (std::vector<Row>{{"111111111111", "alpha", 400}}));
}

}  // namespace
}  // namespace ap::store
