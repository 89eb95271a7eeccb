#include "domain/audit.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

TEST(AuditDetail, WritesAFlatJsonObjectInTheGivenOrder) {
  EXPECT_EQ(AuditDetail({{"region", "us-east-1"}, {"ok", 6}, {"failed", int64_t{0}}}),
            R"({"region":"us-east-1","ok":6,"failed":0})");
  EXPECT_EQ(AuditDetail({}), "{}");
}

TEST(AuditDetail, WritesNumbersAsTheApiDoesAndAbsentOnesAsNull) {
  EXPECT_EQ(AuditDetail({{"previous", std::optional<double>()}, {"value", std::optional<double>(400000)}}),
            R"({"previous":null,"value":400000})");
  EXPECT_EQ(AuditDetail({{"value", std::optional<double>(2.5)}}), R"({"value":2.5})");
}

TEST(AuditDetail, WritesStringListsAndEscapesStrings) {
  std::vector<std::string> changed = {"account_name", "regions"};
  EXPECT_EQ(AuditDetail({{"changed", changed}}), R"({"changed":["account_name","regions"]})");
  EXPECT_EQ(AuditDetail({{"changed", std::vector<std::string>{}}}), R"({"changed":[]})");
  EXPECT_EQ(AuditDetail({{"name", "a \"b\"\\\n"}}), R"({"name":"a \"b\"\\\n"})");
}

}  // namespace
}  // namespace ap::domain
