#include "common/log.h"

#include <gtest/gtest.h>

#include <string>

#include "common/utf8.h"

namespace ap::log {
namespace {

TEST(Log, JsonEscapingRepairsIllFormedUtf8) {
  std::string out;
  AppendJsonEscaped(&out, "Mozilla \xFF\xFE\"x\"\n\x01 caf\xC3\xA9");
  EXPECT_EQ(out, "Mozilla \xEF\xBF\xBD\xEF\xBF\xBD\\\"x\\\"\\n\\u0001 caf\xC3\xA9");
  EXPECT_TRUE(IsValidUtf8(out));
}

TEST(Log, EveryLineIsValidUtf8) {
  ::testing::internal::CaptureStderr();
  Info("http_request", {{"route", "/api/\xFF\xFE"}, {"user_agent", std::string("bad \xC0\xAF ua")}});
  std::string line = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(IsValidUtf8(line)) << line;
  EXPECT_NE(line.find("\"route\":\"/api/\xEF\xBF\xBD\xEF\xBF\xBD\""), std::string::npos) << line;
}

}  // namespace
}  // namespace ap::log
