// DynamoDbStore's alerts beyond the conformance suite: what the owner commit + intent model (dynamodb_store.h)
// means for them. A PutAlert whose writer stopped right after its commit has happened (the alert is the truth);
// its outbox entry and rule-index record follow when the next writer of that alert, or the intent sweep, finishes
// the intent; an outbox entry the alert has moved on from is never served. Against dynalite (dynamodb_test_env.h).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_store_fixture.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store_conformance_fixtures.h"

namespace ap::store {
namespace {

// Forwards to a real DynamoDb, but only the first PutItem (the commit): every later write fails (Unavailable,
// nothing sent), as for a writer that stopped right after its commit.
class StopAfterCommitDb final : public aws::DynamoDb {
 public:
  explicit StopAfterCommitDb(aws::DynamoDb& inner) : inner_(inner) {}
  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override {
    const bool write = operation == "PutItem" || operation == "DeleteItem" || operation == "UpdateItem";
    if (write && committed_) return Unavailable("injected: the writer stopped");
    if (operation == "PutItem") committed_ = true;
    return inner_.Call(operation, request);
  }

 private:
  aws::DynamoDb& inner_;
  bool committed_ = false;
};

class DynamoDbAlertsTest : public testing::DynamoDbStoreFixture {
 protected:
  static domain::Alert Alert(int64_t pending_since_ms) {
    domain::Alert a;
    a.rule_id = "r1";
    a.target = domain::AlertTarget{"111122223333", "us-east-1", "claude"};
    a.key = domain::AlertKey(a.rule_id, a.target);
    a.started_at_ms = 100;
    a.pending_notice = domain::AlertNotice::kFiring;
    a.pending_since_ms = pending_since_ms;
    return a;
  }

  // PutAlert by a writer that stops after its commit; then its claim on the intent expires.
  void PutAndStop(const domain::Alert& alert, int64_t expected_revision) {
    StopAfterCommitDb stopping(*db_);
    std::unique_ptr<DynamoDbStore> writer = Open(stopping);
    ASSERT_NE(writer, nullptr);
    Result<int64_t> rev = writer->PutAlert(alert, expected_revision);
    ASSERT_TRUE(rev.ok()) << rev.status().ToString();  // the commit happened
    EXPECT_EQ(*rev, expected_revision + 1);
    clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
  }

  std::vector<domain::Alert> Pending() {
    Result<std::vector<domain::Alert>> got = store_->ListPendingAlerts(1'000'000, 100);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<domain::Alert>{};
  }

  size_t ListedForRule() {
    AlertFilter f;
    f.rule_id = "r1";
    Result<AlertPage> page = store_->ListAlerts(f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->items.size() : 0;
  }
};

TEST_F(DynamoDbAlertsTest, ACommittedAlertWhoseWriterStoppedIsFinishedByTheSweep) {
  PutAndStop(Alert(500), 0);
  Result<domain::Alert> got = store_->GetAlert(Alert(500).key);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->revision, 1);
  EXPECT_TRUE(Pending().empty());  // the outbox entry is not written yet
  EXPECT_EQ(ListedForRule(), 0u);

  Result<int64_t> swept = store_->SweepIntents(std::chrono::seconds(0), 100);
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 1);
  ASSERT_EQ(Pending().size(), 1u);
  EXPECT_EQ(Pending()[0].pending_since_ms, 500);
  EXPECT_EQ(ListedForRule(), 1u);
}

TEST_F(DynamoDbAlertsTest, TheNextWriterFinishesTheStoppedIntentFirstAndTheOutboxKeepsOneEntry) {
  ASSERT_TRUE(store_->PutAlert(Alert(500), 0).ok());
  PutAndStop(Alert(600), 1);  // moves the notice: the entry at 500 should go, one at 600 come
  // The entry at 500 is still there, but the alert has moved on: it is not served.
  EXPECT_TRUE(Pending().empty());

  Result<int64_t> rev = store_->PutAlert(Alert(700), 2);
  ASSERT_TRUE(rev.ok()) << rev.status().ToString();
  EXPECT_EQ(*rev, 3);
  std::vector<domain::Alert> pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].pending_since_ms, 700);
  EXPECT_EQ(pending[0].revision, 3);
  EXPECT_EQ(ListedForRule(), 1u);

  // Cleared: the alert leaves the outbox and the outbox partition is empty (no leftover entry).
  domain::Alert delivered = Alert(700);
  delivered.pending_notice = domain::AlertNotice::kNone;
  ASSERT_TRUE(store_->PutAlert(delivered, 3).ok());
  EXPECT_TRUE(Pending().empty());
  Result<int64_t> swept = store_->SweepIntents(std::chrono::seconds(0), 100);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 0);
}

}  // namespace
}  // namespace ap::store
