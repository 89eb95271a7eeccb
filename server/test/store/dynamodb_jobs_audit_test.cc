// DynamoDbStore's jobs and audit log beyond the conformance suite: what its consistency model (owner commit +
// intent, dynamodb_store.h) adds to them: an AddJobItems whose writer stopped after its commit is finished before
// anything builds on it; concurrent adds of one job count every item once; the audit log's coalescing heads
// outlive retention batches that do not reach their entry. Against dynalite (dynamodb_test_env.h).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_store_fixture.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/paging.h"
#include "store_conformance_fixtures.h"

namespace ap::store {
namespace {

// Forwards to a real DynamoDb, except that every BatchWriteItem fails (Unavailable, nothing sent): a writer that
// stops right after its commit.
class NoBatchWritesDb final : public aws::DynamoDb {
 public:
  explicit NoBatchWritesDb(aws::DynamoDb& inner) : inner_(inner) {}
  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override {
    if (operation == "BatchWriteItem") return Unavailable("injected: the writer stopped");
    return inner_.Call(operation, request);
  }

 private:
  aws::DynamoDb& inner_;
};

// Forwards to a real DynamoDb; runs `before` once, right before forwarding the first UpdateItem (another writer
// slipping in between a writer's reads and its commit).
class InterleavingDb final : public aws::DynamoDb {
 public:
  InterleavingDb(aws::DynamoDb& inner, std::function<void()> before) : inner_(inner), before_(std::move(before)) {}
  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override {
    if (operation == "UpdateItem" && before_) std::exchange(before_, nullptr)();
    return inner_.Call(operation, request);
  }

 private:
  aws::DynamoDb& inner_;
  std::function<void()> before_;
};

class DynamoDbJobsAuditTest : public testing::DynamoDbStoreFixture {
 protected:
  static domain::Job Job(const std::string& id) {
    domain::Job j;
    j.job_id = id;
    j.kind = "quota_refresh_all";
    j.created_by = "u_admin";
    j.created_at_ms = j.updated_at_ms = 100;
    return j;
  }

  static std::vector<domain::JobItem> Items(int64_t first, int64_t n) {
    std::vector<domain::JobItem> out;
    for (int64_t seq = first; seq < first + n; ++seq) {
      domain::JobItem item;
      item.seq = seq;
      item.account_id = std::to_string(100000000000 + seq);
      item.region = "us-east-1";
      out.push_back(item);
    }
    return out;
  }

  static JobItemResult Ok(int64_t at_ms) {
    JobItemResult r;
    r.outcome = domain::JobItemOutcome::kOk;
    r.values_ok = 3;
    r.finished_at_ms = at_ms;
    return r;
  }

  // An add whose writer stopped after its commit (its item writes never happened), then the claim of that
  // writer expired.
  void AddAndStop(const std::string& job_id, const std::vector<domain::JobItem>& items) {
    NoBatchWritesDb stopping(*db_);
    std::unique_ptr<DynamoDbStore> writer = Open(stopping);
    ASSERT_NE(writer, nullptr);
    // The commit happened, so the add has: OK (the derived writes are left to whoever comes next).
    ASSERT_TRUE(writer->AddJobItems(job_id, items).ok());
    clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
  }

  std::vector<int64_t> Seqs(const std::string& job_id) {
    std::vector<int64_t> out;
    JobItemFilter f;
    f.limit = 1000;
    auto page = store_->ListJobItems(job_id, f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok())
      for (const domain::JobItem& i : page->items) out.push_back(i.seq);
    return out;
  }
};

TEST_F(DynamoDbJobsAuditTest, AnAddWhoseWriterStoppedIsFinishedBeforeOneOfItsItemsIs) {
  ASSERT_TRUE(store_->CreateJob(Job("j_1")).ok());
  AddAndStop("j_1", Items(0, 3));
  EXPECT_TRUE(Seqs("j_1").empty());  // not written yet
  // Finishing one of its items first finishes the add (the items, the total), then counts the finish.
  Status finished = store_->FinishJobItem("j_1", 1, Ok(500));
  ASSERT_TRUE(finished.ok()) << finished.ToString();
  auto job = store_->GetJob("j_1");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->counters, (domain::JobCounters{.total = 3, .ok = 1}));
  EXPECT_EQ(job->updated_at_ms, 500);
  EXPECT_EQ(Seqs("j_1"), (std::vector<int64_t>{0, 1, 2}));
  // Whoever applied the add, it never runs again over the finished item.
  JobItemFilter ok;
  ok.outcome = domain::JobItemOutcome::kOk;
  auto done = store_->ListJobItems("j_1", ok);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->items.size(), 1u);
  EXPECT_EQ(done->items[0].seq, 1);
  EXPECT_EQ(store_->FinishJobItem("j_1", 1, Ok(600)).code(), StatusCode::kFailedPrecondition);
}

TEST_F(DynamoDbJobsAuditTest, AnAddWhoseWriterStoppedIsFinishedBeforeTheNextAdd) {
  ASSERT_TRUE(store_->CreateJob(Job("j_1")).ok());
  AddAndStop("j_1", Items(0, 3));
  // The next add finishes the pending one first, so it sees seq 2 taken.
  EXPECT_EQ(store_->AddJobItems("j_1", Items(2, 2)).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_->AddJobItems("j_1", Items(3, 2)).ok());
  EXPECT_EQ(store_->GetJob("j_1")->counters.total, 5);
  EXPECT_EQ(Seqs("j_1"), (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST_F(DynamoDbJobsAuditTest, AnAddWhoseWriterStoppedIsFinishedByTheSweep) {
  ASSERT_TRUE(store_->CreateJob(Job("j_1")).ok());
  AddAndStop("j_1", Items(0, 3));
  auto swept = store_->SweepIntents(std::chrono::seconds(1), 100);
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(store_->GetJob("j_1")->counters.total, 3);
  EXPECT_EQ(Seqs("j_1"), (std::vector<int64_t>{0, 1, 2}));
}

TEST_F(DynamoDbJobsAuditTest, AnAddCommittedAfterAnotherChecksItsSeqsAgain) {
  ASSERT_TRUE(store_->CreateJob(Job("j_1")).ok());
  // Between this writer's check (seqs 0..2 absent) and its commit, another add of seqs 2..3 commits and lands.
  InterleavingDb interleaving(*db_, [&] { ASSERT_TRUE(store_->AddJobItems("j_1", Items(2, 2)).ok()); });
  std::unique_ptr<DynamoDbStore> writer = Open(interleaving);
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->AddJobItems("j_1", Items(0, 3)).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetJob("j_1")->counters.total, 2);
  EXPECT_EQ(Seqs("j_1"), (std::vector<int64_t>{2, 3}));
}

TEST_F(DynamoDbJobsAuditTest, ConcurrentAddsToOneJobCountEveryItemOnce) {
  // Each add of a job commits on its header: concurrent ones are serialized by the "no pending intent" condition.
  constexpr int kThreads = 3, kBatches = 4, kBatch = 10;
  ASSERT_TRUE(store_->CreateJob(Job("j_1")).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        Status s = store_->AddJobItems("j_1", Items((t * kBatches + b) * kBatch, kBatch));
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << s.ToString();
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->GetJob("j_1")->counters.total, kThreads * kBatches * kBatch);
  EXPECT_EQ(Seqs("j_1").size(), static_cast<size_t>(kThreads * kBatches * kBatch));
}

domain::AuditEntry FailedLogin(const std::string& id, int64_t at_ms) {
  return testing::fixtures::MakeAudit(id, at_ms, "anonymous", "auth.login", "user", "ada@example.com", "failure");
}

TEST_F(DynamoDbJobsAuditTest, RetentionThatStopsBeforeACoalescedEntryKeepsItsHead) {
  domain::AuditEntry plain = FailedLogin("a_0", 100);
  plain.action = "auth.logout";
  ASSERT_TRUE(store_->AppendAudit(plain).ok());
  ASSERT_TRUE(store_->AppendAuditCoalesced(FailedLogin("a_1", 200), 0).ok());
  // One entry per call: only a_0 goes; the head of a_1's key stays, so the next event still joins a_1.
  auto deleted = store_->DeleteAuditBefore(1000, 1);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  auto joined = store_->AppendAuditCoalesced(FailedLogin("a_2", 300), 0);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->audit_id, "a_1");
  EXPECT_EQ(joined->count, 2);
  EXPECT_EQ(joined->last_at_ms, 300);
}

TEST_F(DynamoDbJobsAuditTest, CoalescingStartsANewEntryOnceRetentionDeletedTheLastOne) {
  ASSERT_TRUE(store_->AppendAuditCoalesced(FailedLogin("a_1", 200), 0).ok());
  auto deleted = store_->DeleteAuditBefore(1000, 10);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);  // the entry only: the key's head is no entry
  auto fresh = store_->AppendAuditCoalesced(FailedLogin("a_2", 300), 0);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->audit_id, "a_2");
  EXPECT_EQ(fresh->count, 1);
  auto page = store_->ListAudit({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].audit_id, "a_2");
}

TEST(DynamoDbPaddedKey, SortsNumbersAsTextAndRecognizesItsKeys) {
  EXPECT_EQ(ddb::Padded(0), "0000000000000000");
  EXPECT_EQ(ddb::Padded(1'700'000'000'123), "0001700000000123");
  EXPECT_LT(ddb::Padded(999), ddb::Padded(1000));
  EXPECT_TRUE(ddb::Paddable(ddb::kMaxPadded));
  EXPECT_FALSE(ddb::Paddable(ddb::kMaxPadded + 1));
  EXPECT_FALSE(ddb::Paddable(-1));
  EXPECT_TRUE(ddb::IsPaddedKey("0000000000001000", false));
  EXPECT_FALSE(ddb::IsPaddedKey("0000000000001000#a_1", false));
  EXPECT_TRUE(ddb::IsPaddedKey("0000000000001000#a_1", true));
  EXPECT_FALSE(ddb::IsPaddedKey("0000000000001000#", true));
  EXPECT_FALSE(ddb::IsPaddedKey("000000000000100x#a", true));
  EXPECT_FALSE(ddb::IsPaddedKey("1000#a_1", true));
}

}  // namespace
}  // namespace ap::store
