#include "domain/user.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

TEST(NormalizeEmail, TrimsAndLowerCases) {
  auto e = NormalizeEmail("  Admin@Example.COM ");
  ASSERT_OK(e);
  EXPECT_EQ(*e, "admin@example.com");
  EXPECT_FALSE(NormalizeEmail("no-at-sign").ok());
  EXPECT_FALSE(NormalizeEmail("a@b@c").ok());
  EXPECT_FALSE(NormalizeEmail("a b@c").ok());
  EXPECT_EQ(NormalizeEmail("@x").status().field(), "email");
}

TEST(ValidateTeamId, AcceptsSlugs) {
  EXPECT_OK(ValidateTeamId("platform-ops"));
  EXPECT_FALSE(ValidateTeamId("Platform").ok());
  EXPECT_FALSE(ValidateTeamId("").ok());
  EXPECT_FALSE(ValidateTeamId("-x").ok());
}

TEST(ParseRole, KnowsAdminAndUser) {
  EXPECT_EQ(*ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(*ParseRole("user"), Role::kUser);
  EXPECT_EQ(ParseRole("root").status().field(), "role");
}

TEST(SharesAny, FindsCommonTeams) {
  EXPECT_TRUE(SharesAny({"a", "c"}, {"b", "c"}));
  EXPECT_FALSE(SharesAny({"a"}, {"b"}));
  EXPECT_FALSE(SharesAny({}, {"b"}));
}

}  // namespace
}  // namespace ap::domain
