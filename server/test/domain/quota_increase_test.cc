// domain/quota_increase.h: AWS's statuses, open/closed, sources, and the validation the API and the stores share.
#include "domain/quota_increase.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "common/random.h"
#include "domain/ids.h"

namespace ap::domain {
namespace {

TEST(QuotaIncreaseTest, StatusNamesAreAwsSpellingAndRoundTrip) {
  const IncreaseStatus all[] = {IncreaseStatus::kPending,       IncreaseStatus::kCaseOpened,
                                IncreaseStatus::kApproved,      IncreaseStatus::kDenied,
                                IncreaseStatus::kCaseClosed,    IncreaseStatus::kNotApproved,
                                IncreaseStatus::kInvalidRequest};
  const char* names[] = {"PENDING",     "CASE_OPENED",  "APPROVED",       "DENIED",
                         "CASE_CLOSED", "NOT_APPROVED", "INVALID_REQUEST"};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(IncreaseStatusName(all[i]), names[i]);
    auto parsed = ParseIncreaseStatus(names[i]);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, all[i]);
    EXPECT_EQ(IsOpen(all[i]), i < 2) << names[i];
  }
  EXPECT_EQ(ParseIncreaseStatus("pending").status().field(), "status");
  EXPECT_EQ(ParseIncreaseStatus("").status().field(), "status");
}

TEST(QuotaIncreaseTest, SourcesRoundTrip) {
  EXPECT_EQ(*ParseIncreaseSource("platform"), IncreaseSource::kPlatform);
  EXPECT_EQ(*ParseIncreaseSource("external"), IncreaseSource::kExternal);
  EXPECT_EQ(IncreaseSourceName(IncreaseSource::kExternal), "external");
  EXPECT_EQ(ParseIncreaseSource("aws").status().field(), "source");
}

TEST(QuotaIncreaseTest, InputValidationNamesTheField) {
  EXPECT_TRUE(ValidateIncreaseInput("123456789012", "us-east-1", "L-1A2B3C4D", 10, "").ok());
  EXPECT_EQ(ValidateIncreaseInput("12345678901", "us-east-1", "L-1A2B3C4D", 10, "").field(), "account_id");
  EXPECT_EQ(ValidateIncreaseInput("123456789012", "nowhere-1", "L-1A2B3C4D", 10, "").field(), "region");
  EXPECT_EQ(ValidateIncreaseInput("123456789012", "us-east-1", "L-1", 10, "").field(), "quota_code");
  for (double bad : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()})
    EXPECT_EQ(ValidateIncreaseInput("123456789012", "us-east-1", "L-1A2B3C4D", bad, "").field(), "desired_value");
  EXPECT_TRUE(ValidateDesiredValue(0.5).ok());
  std::string reason;
  for (int i = 0; i < 500; ++i) reason += "é";  // 500 characters, 1,000 bytes
  EXPECT_TRUE(ValidateIncreaseReason(reason).ok());
  EXPECT_EQ(ValidateIncreaseReason(reason + "x").field(), "reason");
  EXPECT_EQ(ValidateIncreaseReason("\xff").field(), "reason");
}

TEST(QuotaIncreaseTest, RecordValidation) {
  FakeRandom random;
  QuotaIncreaseRequest r;
  r.request_id = NewTimeOrderedId(kIncreaseRequestIdPrefix, 1'760'000'000'000, random);
  r.account_id = "123456789012";
  r.region = "eu-west-1";
  r.quota_code = "L-1A2B3C4D";
  r.desired_value = 5;
  r.aws_request_id = "abc";
  r.created_at_ms = 1'760'000'000'000;
  EXPECT_TRUE(ValidateIncreaseRequest(r).ok());
  EXPECT_TRUE(IsIncreaseRequestId(r.request_id));
  EXPECT_FALSE(IsIncreaseRequestId("qr_xyz"));
  EXPECT_FALSE(IsIncreaseRequestId("j_0000000000000abc"));

  QuotaIncreaseRequest bad = r;
  bad.aws_request_id.clear();
  EXPECT_EQ(ValidateIncreaseRequest(bad).field(), "aws_request_id");
  bad = r;
  bad.model_id = "m";  // a model needs its dimension
  EXPECT_EQ(ValidateIncreaseRequest(bad).field(), "dimension");
  bad.dimension = "rpm_1m";
  EXPECT_TRUE(ValidateIncreaseRequest(bad).ok());
  bad = r;
  bad.value_at_request = std::nan("");
  EXPECT_EQ(ValidateIncreaseRequest(bad).field(), "value_at_request");
  bad = r;
  bad.check_error = std::string(kMaxIncreaseCheckErrorBytes + 1, 'e');
  EXPECT_EQ(ValidateIncreaseRequest(bad).field(), "check_error");
  EXPECT_EQ(ValidateIncreaseUpdate(bad).field(), "check_error");
  bad = r;
  bad.checked_at_ms = -1;
  EXPECT_EQ(ValidateIncreaseUpdate(bad).field(), "checked_at_ms");
}

}  // namespace
}  // namespace ap::domain
