#include "domain/quota.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

TEST(WorstQuotaState, ErrorThenStaleThenNeverThenOk) {
  using S = QuotaState;
  EXPECT_EQ(WorstQuotaState({}), S::kOk);
  EXPECT_EQ(WorstQuotaState({S::kOk, S::kOk}), S::kOk);
  EXPECT_EQ(WorstQuotaState({S::kOk, S::kNever}), S::kNever);
  EXPECT_EQ(WorstQuotaState({S::kNever, S::kStale, S::kOk}), S::kStale);
  EXPECT_EQ(WorstQuotaState({S::kStale, S::kError, S::kNever}), S::kError);
  EXPECT_EQ(WorstQuotaState({S::kError, S::kOk}), S::kError);
}

TEST(QuotaValueSource, NamesWhereAPresentValueCameFrom) {
  EXPECT_EQ(QuotaValueSource(true, false), "applied");
  EXPECT_EQ(QuotaValueSource(true, true), "aws_default");
  EXPECT_FALSE(QuotaValueSource(false, true).has_value());
  EXPECT_FALSE(QuotaValueSource(false, false).has_value());
}

}  // namespace
}  // namespace ap::domain
