#include "status_matchers.h"

#include <gtest/gtest-spi.h>

#include <string>

namespace ap {
namespace {

Result<int> Parsed(bool ok) {
  if (!ok) return NotFound("account 7 not found");
  return 42;
}

TEST(StatusMatchers, PassOnOkStatusAndResult) {
  EXPECT_OK(Status::Ok());
  ASSERT_OK(Parsed(true));
  ASSERT_OK_AND_ASSIGN(int value, Parsed(true));
  EXPECT_EQ(value, 42);
}

TEST(StatusMatchers, ExpectOkPrintsTheStatusAndKeepsStreaming) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(InvalidArgument("bad region")) << "while testing",
                          "InvalidArgument(\"bad region\") is not OK: InvalidArgument: bad region");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(InvalidArgument("bad region")) << "while testing", "while testing");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(Parsed(false)), "NotFound: account 7 not found");
}

TEST(StatusMatchers, AssertOkIsFatalAndPrintsTheStatus) {
  EXPECT_FATAL_FAILURE(ASSERT_OK(Parsed(false)) << "extra", "Parsed(false) is not OK: NotFound: account 7 not found");
  EXPECT_FATAL_FAILURE(ASSERT_OK(Unavailable("down")) << "extra context", "extra context");
  EXPECT_FATAL_FAILURE(
      {
        ASSERT_OK_AND_ASSIGN(int value, Parsed(false));
        (void)value;
      },
      "NotFound: account 7 not found");
}

TEST(StatusMatchers, EvaluatesTheExpressionOnce) {
  int calls = 0;
  auto counted = [&calls] {
    ++calls;
    return Status::Ok();
  };
  EXPECT_OK(counted());
  ASSERT_OK(counted());
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace ap
