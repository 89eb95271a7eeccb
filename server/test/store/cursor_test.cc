// The cursor codec and the limit check every store backend shares (store/cursor.h).
#include "store/cursor.h"

#include <gtest/gtest.h>

#include "status_matchers.h"

namespace ap::store {
namespace {

TEST(Cursor, RoundTripsFieldsOfAnyContent) {
  const std::vector<std::string> fields = {"", "name:with:colons", std::string("nul\0byte", 8), "数据平台"};
  ASSERT_OK_AND_ASSIGN(auto back, DecodeCursor(EncodeCursor("accounts", fields), "accounts", fields.size()));
  EXPECT_EQ(back, fields);
}

TEST(Cursor, RefusesAnotherKindAnotherFieldCountAndGarbage) {
  const std::string c = EncodeCursor("audit", {"1", "a_1"});
  EXPECT_EQ(DecodeCursor(c, "jobs", 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeCursor(c, "audit", 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeCursor(c.substr(0, c.size() - 3), "audit", 2).status().code(), StatusCode::kInvalidArgument);
  for (const char* bad : {"", "!!!", "bm90IGEgY3Vyc29y"}) {
    Status s = DecodeCursor(bad, "audit", 2).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.field(), "cursor") << bad;
  }
}

TEST(CheckLimit, AcceptsOneToTheMaximumAndNamesLimitOtherwise) {
  EXPECT_OK(CheckLimit(1));
  EXPECT_OK(CheckLimit(1000));
  EXPECT_OK(CheckLimit(10000, 10000));
  for (int64_t bad : {int64_t{0}, int64_t{-5}, int64_t{1001}}) {
    Status s = CheckLimit(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.field(), "limit") << bad;
    EXPECT_EQ(s.message(), "limit must be between 1 and 1000") << bad;
  }
}

}  // namespace
}  // namespace ap::store
