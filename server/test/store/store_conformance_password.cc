// Conformance: a forced password reset (User::must_change_password, user_store.h) and ending a user's other
// sessions (SessionStore::DeleteOtherSessionsOfUser).
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

TEST_P(StoreConformance, MustChangePasswordRoundTripsThroughCreateAndUpdate) {
  User u = MakeUser("u_1", "ada@example.com");
  ASSERT_TRUE(IsOk(store().CreateUser(u)));
  EXPECT_FALSE(store().GetUser("u_1")->must_change_password);  // the default
  u.must_change_password = true;
  ASSERT_TRUE(IsOk(store().UpdateUser(u)));
  EXPECT_TRUE(store().GetUser("u_1")->must_change_password);
  EXPECT_TRUE(store().GetUserByEmail("ada@example.com")->must_change_password);
  EXPECT_TRUE(store().ListUsers("", 10)->items.at(0).must_change_password);
  u.must_change_password = false;
  ASSERT_TRUE(IsOk(store().UpdateUser(u)));
  EXPECT_FALSE(store().GetUser("u_1")->must_change_password);

  User created = MakeUser("u_2", "bob@example.com");
  created.must_change_password = true;
  ASSERT_TRUE(IsOk(store().CreateUser(created)));
  EXPECT_EQ(Fields(*store().GetUser("u_2")), Fields(created));
}

TEST_P(StoreConformance, DeleteOtherSessionsOfUserKeepsTheNamedSessionOnly) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  for (const char* h : {"h1", "h2", "h3"}) {
    ASSERT_TRUE(IsOk(store().CreateSession(MakeSession(h, "u_1", 2'000'000'000'000), kManySessions)));
  }
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h4", "u_2", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().DeleteOtherSessionsOfUser("u_1", "h2")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
  EXPECT_TRUE(IsOk(store().GetSession("h2")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h3")));
  EXPECT_TRUE(IsOk(store().GetSession("h4")));                        // another user's session is untouched
  EXPECT_TRUE(IsOk(store().DeleteOtherSessionsOfUser("u_1", "h2")));  // nothing else left: still OK

  // Another user's session named as the one to keep keeps nothing of this user, and stays itself.
  ASSERT_TRUE(IsOk(store().DeleteOtherSessionsOfUser("u_1", "h4")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h2")));
  EXPECT_TRUE(IsOk(store().GetSession("h4")));
}

}  // namespace
}  // namespace ap::store::testing
