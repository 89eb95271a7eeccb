#include "service/auth_service.h"

#include <gtest/gtest.h>

#include "test_env.h"

namespace ap::service {
namespace {

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = env.auth->BootstrapAdmin("admin@example.com", "admin-password");
    ASSERT_TRUE(admin.ok());
    ASSERT_TRUE(admin->has_value());
    admin_id = (*admin)->user.user_id;
  }
  RequestContext AdminCtx() {
    RequestContext c = env.Admin();
    c.principal.user_id = admin_id;
    return c;
  }
  testing::TestEnv env;
  std::string admin_id;
};

TEST_F(AuthServiceTest, BootstrapRunsOnlyOnAnEmptyStore) {
  auto again = env.auth->BootstrapAdmin("other@example.com", "");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST_F(AuthServiceTest, BootstrapGeneratesAPasswordWhenNoneIsGiven) {
  testing::TestEnv fresh;
  auto created = fresh.auth->BootstrapAdmin("admin@example.com", "");
  ASSERT_TRUE(created.ok() && created->has_value());
  ASSERT_TRUE((*created)->generated_password.has_value());
  EXPECT_GE((*created)->generated_password->size(), 20u);
  EXPECT_TRUE(fresh.auth->Login({}, "admin@example.com", *(*created)->generated_password).ok());
}

TEST_F(AuthServiceTest, LoginIssuesATokenThatAuthenticates) {
  auto login = env.auth->Login({}, "ADMIN@example.com ", "admin-password");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  auto principal = env.auth->Authenticate(login->token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user_id, admin_id);
  EXPECT_TRUE(principal->is_admin());
  // Only the hash is stored.
  EXPECT_FALSE(env.store->GetSession(login->token).ok());
  EXPECT_TRUE(env.store->GetSession(Sha256Hex(login->token)).ok());
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  auto a = env.auth->Login({}, "admin@example.com", "nope-nope");
  auto b = env.auth->Login({}, "ghost@example.com", "nope-nope");
  EXPECT_EQ(a.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(a.status().message(), b.status().message());
}

TEST_F(AuthServiceTest, RepeatedFailuresAreSlowedDown) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(env.auth->Login({}, "admin@example.com", "bad-pass").status().code(), StatusCode::kUnauthenticated);
  // Now even the right password must wait.
  EXPECT_EQ(env.auth->Login({}, "admin@example.com", "admin-password").status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(env.auth->RetryAfterSeconds("admin@example.com"), 1);
  env.clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(env.auth->Login({}, "admin@example.com", "bad-pass").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(env.auth->RetryAfterSeconds("admin@example.com"), 2);  // doubling
  env.clock.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(env.auth->Login({}, "admin@example.com", "admin-password").ok());
  EXPECT_EQ(env.auth->RetryAfterSeconds("admin@example.com"), 0);  // success resets
  // Throttling of one email does not touch another.
  EXPECT_EQ(env.auth->RetryAfterSeconds("other@example.com"), 0);
}

TEST_F(AuthServiceTest, LogoutRevokesTheSessionAtOnce) {
  auto login = env.auth->Login({}, "admin@example.com", "admin-password");
  ASSERT_TRUE(login.ok());
  auto principal = env.auth->Authenticate(login->token);  // now cached
  ASSERT_TRUE(principal.ok());
  RequestContext ctx;
  ctx.principal = *principal;
  ASSERT_TRUE(env.auth->Logout(ctx).ok());
  EXPECT_EQ(env.auth->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, SessionsExpire) {
  auto login = env.auth->Login({}, "admin@example.com", "admin-password");
  ASSERT_TRUE(login.ok());
  env.clock.Advance(std::chrono::hours(13));
  EXPECT_EQ(env.auth->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, DisablingAUserEndsTheirSessions) {
  NewUser nu;
  nu.email = "user@example.com";
  nu.password = "user-password";
  nu.teams = {"ops"};
  auto created = env.auth->CreateUser(AdminCtx(), nu);
  ASSERT_TRUE(created.ok());
  auto login = env.auth->Login({}, "user@example.com", "user-password");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(env.auth->Authenticate(login->token).ok());
  UserPatch p;
  p.disabled = true;
  ASSERT_TRUE(env.auth->UpdateUser(AdminCtx(), created->user.user_id, p).ok());
  EXPECT_FALSE(env.auth->Authenticate(login->token).ok());
  EXPECT_FALSE(env.auth->Login({}, "user@example.com", "user-password").ok());
}

TEST_F(AuthServiceTest, KeepsAtLeastOneEnabledAdmin) {
  UserPatch demote;
  demote.role = domain::Role::kUser;
  EXPECT_EQ(env.auth->UpdateUser(AdminCtx(), admin_id, demote).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(env.auth->DeleteUser(AdminCtx(), admin_id).code(), StatusCode::kFailedPrecondition);
  RequestContext other = env.Admin();  // another admin acting
  other.principal.user_id = "u_other";
  EXPECT_EQ(env.auth->DeleteUser(other, admin_id).code(), StatusCode::kFailedPrecondition);
}

TEST_F(AuthServiceTest, CreateUserValidatesAndRejectsDuplicates) {
  NewUser nu;
  nu.email = "not-an-email";
  EXPECT_EQ(env.auth->CreateUser(AdminCtx(), nu).status().field(), "email");
  nu.email = "u@example.com";
  nu.password = "short";
  EXPECT_EQ(env.auth->CreateUser(AdminCtx(), nu).status().field(), "password");
  nu.password.reset();
  nu.teams = {"Bad Team"};
  EXPECT_EQ(env.auth->CreateUser(AdminCtx(), nu).status().field(), "teams[0]");
  nu.teams = {"ops", "ops"};
  auto ok = env.auth->CreateUser(AdminCtx(), nu);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->user.teams, std::vector<std::string>{"ops"});
  EXPECT_TRUE(ok->generated_password.has_value());
  EXPECT_EQ(env.auth->CreateUser(AdminCtx(), nu).status().code(), StatusCode::kAlreadyExists);
  auto teams = env.auth->ListTeams();
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ((*teams)[0].team_id, "ops");
}

}  // namespace
}  // namespace ap::service
