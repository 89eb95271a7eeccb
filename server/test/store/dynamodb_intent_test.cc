// The intent runner (store/dynamodb/intent.h) against dynalite: derived writes land once, a writer that stops at
// any step leaves an intent that a later runner (or DynamoDbStore::SweepIntents) finishes without counting twice.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/intent.h"
#include "store/dynamodb/item.h"

namespace ap::store {
namespace {

using ddb::DerivedWrite;
using ddb::Intent;
using ddb::Item;
using testing::FailOnceDb;

bool UpdateContains(std::string_view op, const boost::json::object& req, std::string_view text) {
  if (op != "UpdateItem") return false;
  const boost::json::value* e = req.if_contains("UpdateExpression");
  return e != nullptr && e->is_string() && std::string_view(e->as_string()).find(text) != std::string_view::npos;
}

class IntentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<aws::DynamoDb*> db = testing::TestDynamoDb();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    Result<std::string> prefix = testing::NewTestTables();
    ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
    main_ = DynamoDbTables::WithPrefix(*prefix).main;
    prefix_ = *prefix;
  }

  static Item Key(const std::string& pk) { return Item{{"pk", ddb::S(pk)}, {"sk", ddb::S("-")}}; }

  // The owner's commit write: the owner item with the intent (as a store would write it).
  void Commit(const std::string& owner_pk, const Intent& intent) {
    Item owner = Key(owner_pk);
    owner["payload"] = ddb::S("v1");
    ddb::AddIntent(owner, intent, clock_.NowUnixMillis());
    boost::json::object put = ddb::Request(main_);
    put["Item"] = owner;
    put["ConditionExpression"] = ddb::kNoPendingIntent;
    ASSERT_TRUE(db_->Call("PutItem", put).ok());
  }

  Item Read(const std::string& pk) {
    boost::json::object get = ddb::Request(main_);
    get["Key"] = Key(pk);
    get["ConsistentRead"] = true;
    Result<boost::json::object> answer = db_->Call("GetItem", get);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    const Item* item = answer.ok() ? ddb::ItemOf(*answer) : nullptr;
    return item == nullptr ? Item() : *item;
  }

  Intent CounterIntent(const std::string& op) {
    Intent intent;
    intent.op_id = op;
    intent.writes.push_back(DerivedWrite::Put(main_, Item{{"pk", ddb::S("INDEX#x")}, {"sk", ddb::S("-")}}));
    intent.writes.push_back(DerivedWrite::Delete(main_, Key("INDEX#old")));
    intent.writes.push_back(DerivedWrite::Add(main_, Key("COUNTER#c"), {{"n", 2}, {"m", -1}}));
    return intent;
  }

  aws::DynamoDb* db_ = nullptr;
  std::string main_;
  std::string prefix_;
  FakeClock clock_;
  SecureRandom random_;
};

TEST_F(IntentTest, ApplyWritesEveryDerivedRecordOnceAndClearsTheIntent) {
  ASSERT_TRUE(db_->Call("PutItem", boost::json::object{{"TableName", main_}, {"Item", Key("INDEX#old")}}).ok());
  Intent intent = CounterIntent("op1");
  Commit("OWNER#1", intent);
  ddb::IntentRunner runner(*db_, clock_, nullptr);
  ASSERT_TRUE(runner.Apply(main_, Key("OWNER#1"), intent).ok());

  EXPECT_FALSE(Read("INDEX#x").empty());
  EXPECT_TRUE(Read("INDEX#old").empty());
  Item counter = Read("COUNTER#c");
  EXPECT_EQ(ddb::GetN(counter, "n"), 2);
  EXPECT_EQ(ddb::GetN(counter, "m"), -1);
  EXPECT_FALSE(counter.contains("g_op1")) << "the guard is removed once the intent is done";
  Item owner = Read("OWNER#1");
  EXPECT_EQ(ddb::GetS(owner, "payload"), "v1");
  for (const char* attr : {"intent", "intent_op", "intent_at", "intent_shard", "intent_phase", "intent_claim_until"})
    EXPECT_FALSE(owner.contains(attr)) << attr;

  // A second commit on the owner is allowed again (no pending intent).
  Intent next = CounterIntent("op2");
  Commit("OWNER#1", next);
  ASSERT_TRUE(runner.Apply(main_, Key("OWNER#1"), next).ok());
  EXPECT_EQ(ddb::GetN(Read("COUNTER#c"), "n"), 4);
}

TEST_F(IntentTest, ACommitIsRefusedWhileTheOwnerHasAPendingIntent) {
  Commit("OWNER#1", CounterIntent("op1"));
  Item owner = Key("OWNER#1");
  ddb::AddIntent(owner, CounterIntent("op2"), clock_.NowUnixMillis());
  boost::json::object put = ddb::Request(main_);
  put["Item"] = owner;
  put["ConditionExpression"] = ddb::kNoPendingIntent;
  EXPECT_TRUE(aws::IsConditionFailed(db_->Call("PutItem", put).status()));
}

TEST_F(IntentTest, AWriterThatStopsAfterTheCounterIsFinishedBySweepWithoutCountingTwice) {
  Intent intent = CounterIntent("op1");
  Commit("OWNER#1", intent);
  // The writer dies after its counter ADD, before it marks the intent applied.
  FailOnceDb flaky(*db_, [](std::string_view op, const boost::json::object& req) {
    return UpdateContains(op, req, "intent_phase");
  });
  ddb::IntentRunner crashing(flaky, clock_, nullptr);
  EXPECT_FALSE(crashing.Apply(main_, Key("OWNER#1"), intent).ok());
  EXPECT_EQ(ddb::GetN(Read("COUNTER#c"), "n"), 2);
  EXPECT_TRUE(Read("OWNER#1").contains("intent_op"));

  Result<std::unique_ptr<DynamoDbStore>> store = DynamoDbStore::Open(*db_, clock_, random_, {.table_prefix = prefix_});
  ASSERT_TRUE(store.ok());
  // Within the writer's claim nothing is swept (the writer might still be working).
  Result<int64_t> early = (*store)->SweepIntents(std::chrono::seconds(0), 100);
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_EQ(*early, 0);
  clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
  Result<int64_t> swept = (*store)->SweepIntents(std::chrono::seconds(1), 100);
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 1);
  Item counter = Read("COUNTER#c");
  EXPECT_EQ(ddb::GetN(counter, "n"), 2) << "the guard kept the repeated ADD from counting twice";
  EXPECT_EQ(ddb::GetN(counter, "m"), -1);
  EXPECT_FALSE(counter.contains("g_op1"));
  EXPECT_FALSE(Read("INDEX#x").empty());
  EXPECT_FALSE(Read("OWNER#1").contains("intent_op"));
}

TEST_F(IntentTest, AFailedFollowUpIsRunAgainButTheCountersAreNot) {
  Intent intent = CounterIntent("op1");
  intent.writes.push_back(DerivedWrite::FollowUp("recount A"));
  Commit("OWNER#1", intent);
  std::vector<std::string> runs;
  bool fail = true;
  ddb::IntentRunner runner(*db_, clock_, [&](const std::string& instruction) {
    runs.push_back(instruction);
    if (fail) return Unavailable("follow-up failed");
    return Status::Ok();
  });
  EXPECT_FALSE(runner.Apply(main_, Key("OWNER#1"), intent).ok());
  fail = false;
  clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1));
  ASSERT_TRUE(runner.ApplyPending(main_, Key("OWNER#1"), Read("OWNER#1")).ok());
  EXPECT_EQ(runs, (std::vector<std::string>{"recount A", "recount A"}));
  EXPECT_EQ(ddb::GetN(Read("COUNTER#c"), "n"), 2);
  EXPECT_FALSE(Read("OWNER#1").contains("intent_op"));
}

TEST_F(IntentTest, ATombstoneOwnerIsDeletedOnceItsIntentIsApplied) {
  Intent intent = CounterIntent("op1");
  intent.delete_owner = true;
  Item owner = Key("OWNER#1");
  owner["deleted"] = ddb::B(true);
  ddb::AddIntent(owner, intent, clock_.NowUnixMillis());
  ASSERT_TRUE(db_->Call("PutItem", boost::json::object{{"TableName", main_}, {"Item", owner}}).ok());
  ddb::IntentRunner runner(*db_, clock_, nullptr);
  ASSERT_TRUE(runner.Apply(main_, Key("OWNER#1"), intent).ok());
  EXPECT_TRUE(Read("OWNER#1").empty());
  EXPECT_EQ(ddb::GetN(Read("COUNTER#c"), "n"), 2);
}

TEST_F(IntentTest, PendingIntentRoundTripsEveryKindOfWrite) {
  Intent intent = CounterIntent("op9");
  intent.writes.push_back(DerivedWrite::FollowUp("recount B"));
  intent.delete_owner = true;
  Item owner = Key("OWNER#9");
  ddb::AddIntent(owner, intent, 5);
  Result<std::optional<Intent>> back = ddb::PendingIntent(owner);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  const Intent& got = **back;
  EXPECT_EQ(got.op_id, "op9");
  EXPECT_TRUE(got.delete_owner);
  ASSERT_EQ(got.writes.size(), 4u);
  EXPECT_EQ(got.writes[0].kind, DerivedWrite::Kind::kPut);
  EXPECT_EQ(got.writes[1].kind, DerivedWrite::Kind::kDelete);
  EXPECT_EQ(got.writes[2].kind, DerivedWrite::Kind::kAdd);
  EXPECT_EQ(got.writes[2].add, (std::vector<std::pair<std::string, double>>{{"n", 2}, {"m", -1}}));
  EXPECT_EQ(got.writes[3].follow_up, "recount B");
  EXPECT_FALSE(ddb::PendingIntent(Key("OWNER#none"))->has_value());
}

}  // namespace
}  // namespace ap::store
