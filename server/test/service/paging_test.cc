#include "service/paging.h"

#include <gtest/gtest.h>

#include "status_matchers.h"

namespace ap::service {
namespace {

TEST(CheckPageSize, AcceptsOneToTheMaximum) {
  EXPECT_OK(CheckPageSize(1, 200));
  EXPECT_OK(CheckPageSize(200, 200));
}

TEST(CheckPageSize, NamesPageSizeOutsideTheRange) {
  for (int64_t bad : {int64_t{0}, int64_t{-1}, int64_t{201}, INT64_MAX}) {
    Status s = CheckPageSize(bad, 200);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.field(), "page_size") << bad;
    EXPECT_EQ(s.message(), "must be between 1 and 200") << bad;
  }
}

}  // namespace
}  // namespace ap::service
