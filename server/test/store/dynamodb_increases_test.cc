// DynamoDbStore's quota increase requests beyond the conformance suite: the insert commits on the AWS id claim and
// the request record follows from its intent (dynamodb_store_increases.cc). A writer that stopped right after the
// commit has stored the request: a second insert of the same AWS request is AlreadyExists, FindIncreaseRequestByAwsId
// finishes the intent, and so does the intent sweep. Against dynalite (dynamodb_test_env.h).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "dynamodb_store_fixture.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {
namespace {

// Forwards to a real DynamoDb, but only the first PutItem (the commit): every later write fails (Unavailable,
// nothing sent), as for a writer that stopped right after its commit.
class StopAfterCommitDb final : public aws::DynamoDb {
 public:
  explicit StopAfterCommitDb(aws::DynamoDb& inner) : inner_(inner) {}
  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override {
    const bool write = operation == "PutItem" || operation == "DeleteItem" || operation == "UpdateItem" ||
                       operation == "BatchWriteItem";
    if (write && committed_) return Unavailable("injected: the writer stopped");
    if (operation == "PutItem") committed_ = true;
    return inner_.Call(operation, request);
  }

 private:
  aws::DynamoDb& inner_;
  bool committed_ = false;
};

class DynamoDbIncreasesTest : public testing::DynamoDbStoreFixture {
 protected:
  static domain::QuotaIncreaseRequest Request(const std::string& id_suffix, const std::string& aws_id) {
    domain::QuotaIncreaseRequest r;
    r.request_id = "qr_019a0000000000000000000000" + id_suffix;
    r.account_id = "111122223333";
    r.region = "us-east-1";
    r.quota_code = "L-1A2B3C4D";
    r.desired_value = 10;
    r.aws_request_id = aws_id;
    r.created_at_ms = 1'760'000'000'000;
    return r;
  }

  // InsertIncreaseRequest by a writer that stops after its commit; then its claim on the intent expires.
  void InsertAndStop(const domain::QuotaIncreaseRequest& r) {
    StopAfterCommitDb stopping(*db_);
    std::unique_ptr<DynamoDbStore> writer = Open(stopping);
    ASSERT_NE(writer, nullptr);
    Status inserted = writer->InsertIncreaseRequest(r);
    ASSERT_TRUE(inserted.ok()) << inserted.ToString();  // the commit happened
    clock_.Advance(std::chrono::milliseconds(ddb::kClaimMs + 1000));
  }
};

TEST_F(DynamoDbIncreasesTest, AStoppedInsertIsRecordedAndFindByAwsIdFinishesIt) {
  const domain::QuotaIncreaseRequest r = Request("01", "aws-1");
  InsertAndStop(r);
  EXPECT_EQ(store_->GetIncreaseRequest(r.request_id).status().code(), StatusCode::kNotFound);  // not yet applied
  // The AWS request is recorded: found again (discovery), it is not stored twice.
  Status again = store_->InsertIncreaseRequest(Request("02", "aws-1"));
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.message().find(r.request_id), std::string::npos) << again.message();
  Result<domain::QuotaIncreaseRequest> found = store_->FindIncreaseRequestByAwsId(r.account_id, "aws-1");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->request_id, r.request_id);
  EXPECT_EQ(found->version, 1);
  Result<domain::QuotaIncreaseRequest> got = store_->GetIncreaseRequest(r.request_id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  Result<IncreaseRequestPage> open = store_->ListOpenIncreaseRequests("", 10);
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  ASSERT_EQ(open->items.size(), 1u);
}

TEST_F(DynamoDbIncreasesTest, AStoppedInsertIsFinishedByTheSweep) {
  const domain::QuotaIncreaseRequest r = Request("03", "aws-3");
  InsertAndStop(r);
  Result<int64_t> swept = store_->SweepIntents(std::chrono::seconds(0), 100);
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_GE(*swept, 1);
  Result<domain::QuotaIncreaseRequest> got = store_->GetIncreaseRequest(r.request_id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->aws_request_id, "aws-3");
  Result<int64_t> count = store_->CountOpenIncreaseRequests(r.account_id);
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 1);
}

}  // namespace
}  // namespace ap::store
