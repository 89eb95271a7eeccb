#include "service/paging.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <limits>

namespace ap::service {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(CheckPage, ComputesTheOffsetOfANormalPage) {
  auto p = CheckPage(3, 50, 200);
  ASSERT_OK(p);
  EXPECT_EQ(p->offset, 100);
  EXPECT_EQ(p->page, 3);
  EXPECT_EQ(p->page_size, 50);
  EXPECT_EQ(CheckPage(1, 1, 1)->offset, 0);
}

TEST(CheckPage, NamesTheFieldOfAnInvalidPageOrSize) {
  EXPECT_EQ(CheckPage(0, 50, 200).status().field(), "page");
  EXPECT_EQ(CheckPage(-1, 50, 200).status().field(), "page");
  EXPECT_EQ(CheckPage(1, 0, 200).status().field(), "page_size");
  EXPECT_EQ(CheckPage(1, 201, 200).status().field(), "page_size");
  EXPECT_EQ(CheckPage(1, -4, 200).status().field(), "page_size");
}

// (page - 1) * page_size past INT64_MAX used to wrap: 2^62 * 4 = 2^64 became offset 0, the first page.
TEST(CheckPage, RefusesAPageWhoseOffsetWouldOverflow) {
  auto wrapped = CheckPage(4611686018427387905, 4, 200);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrapped.status().field(), "page");
  EXPECT_EQ(CheckPage(kMax, 50, 200).status().field(), "page");
  EXPECT_EQ(CheckPage(kMax, 2, 1000).status().field(), "page");
  // The last pages that fit are fine.
  EXPECT_EQ(CheckPage(kMax, 1, 200)->offset, kMax - 1);
  EXPECT_EQ(CheckPage(kMax / 4 + 1, 4, 200)->offset, kMax / 4 * 4);
}

}  // namespace
}  // namespace ap::service
