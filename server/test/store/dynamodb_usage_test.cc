// DynamoDbStore's usage records (dynamodb_store_usage.cc) against dynalite, beyond the conformance suite: a
// snapshot write that stops after its commit leaves an intent that SweepIntents finishes (the index entries
// follow the snapshot), and the records have the shapes docs/dynamodb.md ("Usage") describes.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "status_matchers.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/intent.h"
#include "store/dynamodb/item.h"

namespace ap::store {
namespace {

using ddb::Item;
using testing::FailOnceDb;

bool PutsIndexEntry(std::string_view op, const boost::json::object& req) {
  if (op != "PutItem") return false;
  const boost::json::value* item = req.if_contains("Item");
  if (item == nullptr || !item->is_object()) return false;
  return ddb::GetS(item->as_object(), "pk").rfind("USAGEIDX#", 0) == 0;
}

UsageSnapshot Snapshot(double headroom) {
  UsageSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.teams = {"team-a"};
  s.polled_at_ms = 1000;
  domain::ModelUsage usage;
  for (domain::UsageWindow w : domain::kAllUsageWindows) {
    domain::WindowUsage& win = usage.windows.emplace_back();
    win.window = w;
    if (w == domain::UsageWindow::k24h) win.headroom_tpm = headroom;
  }
  s.models.push_back({"claude", usage});
  return s;
}

class DynamoDbUsageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<aws::DynamoDb*> db = testing::TestDynamoDb();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    Result<std::string> prefix = testing::NewTestTables();
    ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
    prefix_ = *prefix;
  }

  std::unique_ptr<DynamoDbStore> Open(aws::DynamoDb& db) {
    Result<std::unique_ptr<DynamoDbStore>> store = DynamoDbStore::Open(db, clock_, random_, {.table_prefix = prefix_});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  aws::DynamoDb* db_ = nullptr;
  std::string prefix_;
  FakeClock clock_;
  SecureRandom random_;
};

TEST_F(DynamoDbUsageTest, AWriterThatStopsAfterItsCommitIsFinishedBySweep) {
  FailOnceDb flaky(*db_, PutsIndexEntry);
  std::unique_ptr<DynamoDbStore> crashing = Open(flaky);
  std::unique_ptr<DynamoDbStore> store = Open(*db_);
  ASSERT_NE(crashing, nullptr);
  ASSERT_NE(store, nullptr);
  // The commit lands; the index entries do not: the call reports the failure, the snapshot is stored.
  EXPECT_FALSE(crashing->PutUsageSnapshot(Snapshot(0.25), 0).ok());
  ASSERT_OK_AND_ASSIGN(UsageSnapshot stored, store->GetUsageSnapshot("111111111111", "us-east-1"));
  EXPECT_EQ(stored.revision, 1);
  ASSERT_OK_AND_ASSIGN(HeadroomPage lagging, store->ListHeadroom("", "", 10));
  EXPECT_TRUE(lagging.items.empty()) << "the entries follow the commit from its intent";

  // Within the writer's claim nothing is swept; after it, the sweep writes the entries once.
  ASSERT_OK_AND_ASSIGN(int64_t early, store->SweepIntents(std::chrono::seconds(0), 100));
  EXPECT_EQ(early, 0);
  clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
  ASSERT_OK_AND_ASSIGN(int64_t swept, store->SweepIntents(std::chrono::seconds(1), 100));
  EXPECT_EQ(swept, 1);
  for (const std::string team : {"", "team-a"}) {
    ASSERT_OK_AND_ASSIGN(HeadroomPage page, store->ListHeadroom(team, "", 10));
    ASSERT_EQ(page.items.size(), 1u) << team;
    EXPECT_EQ(page.items[0].headroom, 0.25);
  }

  // The next write (through the same client: it fails once only) starts from the settled snapshot: the old entry
  // is replaced, not left behind.
  UsageSnapshot next = Snapshot(-0.5);
  next.teams = {};
  ASSERT_OK_AND_ASSIGN(int64_t revision, crashing->PutUsageSnapshot(next, 1));
  EXPECT_EQ(revision, 2);
  ASSERT_OK_AND_ASSIGN(HeadroomPage fleet, store->ListHeadroom("", "", 10));
  ASSERT_EQ(fleet.items.size(), 1u);
  EXPECT_EQ(fleet.items[0].headroom, -0.5);
  ASSERT_OK_AND_ASSIGN(HeadroomPage team, store->ListHeadroom("team-a", "", 10));
  EXPECT_TRUE(team.items.empty());
}

TEST_F(DynamoDbUsageTest, HourRecordsCarryTheTtlAttributeAndDeletionLeavesNoTombstone) {
  std::unique_ptr<DynamoDbStore> store = Open(*db_);
  ASSERT_NE(store, nullptr);
  const int64_t hour = 1'699'999'200;
  UsageSnapshot s = Snapshot(0.5);
  s.series.push_back(SeriesUsage{.series = "global.claude", .scope = "global"});
  ASSERT_OK(store->PutUsageSnapshot(s, 0).status());
  ASSERT_OK(store->PutUsageHours({UsageHour{.account_id = s.account_id,
                                            .region = s.region,
                                            .series = "global.claude",
                                            .hour = hour,
                                            .points = {domain::UsagePoint{.minute = hour}},
                                            .expires_at = hour + kUsageHourRetentionSeconds}}));
  boost::json::object scan = ddb::Request(store->tables().main);
  ASSERT_OK_AND_ASSIGN(boost::json::object all, db_->Call("Scan", scan));
  int hours = 0;
  for (const boost::json::value& v : all["Items"].as_array()) {
    const Item& item = v.as_object();
    if (ddb::GetS(item, "pk").rfind("USAGEH#", 0) != 0) continue;
    ++hours;
    EXPECT_EQ(ddb::GetN(item, "expires_at"), hour + kUsageHourRetentionSeconds);
    EXPECT_EQ(ddb::GetS(item, "sk"), "0000001699999200");
  }
  EXPECT_EQ(hours, 1);

  ASSERT_OK(store->DeleteAccountUsage(s.account_id, {s.region}));
  ASSERT_OK_AND_ASSIGN(all, db_->Call("Scan", scan));
  for (const boost::json::value& v : all["Items"].as_array()) {
    const std::string pk = ddb::GetS(v.as_object(), "pk");
    EXPECT_NE(pk.rfind("USAGE", 0), 0u) << "left behind: " << pk;
  }
}

}  // namespace
}  // namespace ap::store
