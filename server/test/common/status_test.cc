#include "common/status.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd", "x");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_OK(s);
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Status, CarriesCodeMessageAndField) {
  Status s = InvalidArgument("must match ^L-", "models[0].quota_code_tpm");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "models[0].quota_code_tpm");
  EXPECT_EQ(s.ToString(), "InvalidArgument: must match ^L- (field models[0].quota_code_tpm)");
}

TEST(Result, PropagatesErrorsThroughMacros) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "x");
  EXPECT_OK(CheckEven(4));
  EXPECT_EQ(CheckEven(3).code(), StatusCode::kInvalidArgument);
}

TEST(Result, OkStatusBecomesInternalError) {
  Result<int> r = Status::Ok();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ap
