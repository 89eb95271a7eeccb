// AuthService::ChangePassword (a user changes their own password) and the forced reset (UserPatch::
// must_change_password); PlatformIdentity (the platform's own principal for the add-account form).
#include <gtest/gtest.h>

#include "service/auth_service.h"
#include "service/platform_identity.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

class PasswordChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = env.auth->BootstrapAdmin("admin@example.com", "admin-password");
    ASSERT_OK(admin);
    admin_id = (*admin)->user.user_id;
    NewUser nu;
    nu.email = "user@example.com";
    nu.password = "user-password";
    auto created = env.auth->CreateUser(AdminCtx(), nu);
    ASSERT_OK(created);
    user_id = created->user.user_id;
  }
  RequestContext AdminCtx() {
    RequestContext c = env.Admin();
    c.principal.user_id = admin_id;
    return c;
  }
  // A login of user@example.com and the context of a request made with it.
  RequestContext LoginAsUser(const std::string& password, std::string* token = nullptr) {
    RequestContext ctx;
    ctx.client_ip = "192.0.2.7";
    auto login = env.auth->Login(ctx, "user@example.com", password);
    EXPECT_OK(login);
    if (!login.ok()) return ctx;
    if (token) *token = login->token;
    auto p = env.auth->Authenticate(login->token);
    EXPECT_OK(p);
    if (p.ok()) ctx.principal = *p;
    return ctx;
  }
  int64_t AuditCount(const std::string& action, const std::string& outcome) {
    store::AuditFilter f;
    f.action = action;
    f.outcome = outcome;
    f.limit = 100;
    auto page = env.audit->List(f);
    return page.ok() ? static_cast<int64_t>(page->items.size()) : -1;
  }
  testing::TestEnv env;
  std::string admin_id, user_id;
};

TEST_F(PasswordChangeTest, ChangeEndsOtherSessionsAndKeepsThisOne) {
  std::string other_token, this_token;
  LoginAsUser("user-password", &other_token);
  RequestContext ctx = LoginAsUser("user-password", &this_token);
  auto changed = env.auth->ChangePassword(ctx, "user-password", "brand-new-password");
  ASSERT_OK(changed);
  EXPECT_FALSE(changed->must_change_password);
  EXPECT_OK(env.auth->Authenticate(this_token));
  EXPECT_EQ(env.auth->Authenticate(other_token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(env.auth->Login({}, "user@example.com", "user-password").status().code(), StatusCode::kUnauthenticated);
  EXPECT_OK(env.auth->Login({}, "user@example.com", "brand-new-password"));
  EXPECT_EQ(AuditCount("user.password_change", "success"), 1);
}

TEST_F(PasswordChangeTest, WrongCurrentPasswordNamesTheFieldAndIsAudited) {
  RequestContext ctx = LoginAsUser("user-password");
  auto wrong = env.auth->ChangePassword(ctx, "not-my-password", "brand-new-password");
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong.status().field(), "current_password");
  EXPECT_EQ(AuditCount("user.password_change", "failure"), 1);
  EXPECT_OK(env.auth->Login({}, "user@example.com", "user-password"));  // unchanged
}

TEST_F(PasswordChangeTest, NewPasswordMustBeValidAndDifferent) {
  RequestContext ctx = LoginAsUser("user-password");
  auto short_one = env.auth->ChangePassword(ctx, "user-password", "short");
  EXPECT_EQ(short_one.status().field(), "new_password");
  auto same = env.auth->ChangePassword(ctx, "user-password", "user-password");
  EXPECT_EQ(same.status().field(), "new_password");
}

TEST_F(PasswordChangeTest, WrongCurrentPasswordsAreThrottledLikeLogins) {
  RequestContext ctx = LoginAsUser("user-password");
  Status last;
  for (int i = 0; i < 8; ++i)
    last = env.auth->ChangePassword(ctx, "guess-" + std::to_string(i), "whatever-new").status();
  EXPECT_EQ(last.code(), StatusCode::kResourceExhausted);
  EXPECT_GT(env.auth->RetryAfterSeconds("user@example.com", ctx.client_ip), 0);
  EXPECT_GE(AuditCount("user.password_change", "denied"), 1);
}

TEST_F(PasswordChangeTest, AnonymousCannotChangeAPassword) {
  RequestContext anonymous;
  EXPECT_EQ(env.auth->ChangePassword(anonymous, "x", "brand-new-password").status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(PasswordChangeTest, ForcedResetEndsSessionsAndIsClearedByAChange) {
  std::string token;
  LoginAsUser("user-password", &token);
  UserPatch force;
  force.must_change_password = true;
  auto forced = env.auth->UpdateUser(AdminCtx(), user_id, force);
  ASSERT_OK(forced);
  EXPECT_TRUE(forced->must_change_password);
  EXPECT_EQ(env.auth->Authenticate(token).status().code(), StatusCode::kUnauthenticated);  // sessions ended

  // The next login works, and its principal carries the requirement (the API then allows only the change).
  RequestContext ctx = LoginAsUser("user-password");
  EXPECT_TRUE(ctx.principal.must_change_password);
  ASSERT_OK(env.auth->ChangePassword(ctx, "user-password", "brand-new-password"));
  EXPECT_FALSE(env.store->GetUser(user_id)->must_change_password);
  RequestContext after = LoginAsUser("brand-new-password");
  EXPECT_FALSE(after.principal.must_change_password);
}

TEST(PlatformIdentity, AssumedRoleSessionArnBecomesTheRoleArn) {
  EXPECT_EQ(TrustPrincipalOf("arn:aws:sts::111122223333:assumed-role/PlatformTask/i-123"),
            "arn:aws:iam::111122223333:role/PlatformTask");
  EXPECT_EQ(TrustPrincipalOf("arn:aws-cn:sts::111122223333:assumed-role/R/s"), "arn:aws-cn:iam::111122223333:role/R");
  EXPECT_EQ(TrustPrincipalOf("arn:aws:iam::111122223333:user/ops"), "arn:aws:iam::111122223333:user/ops");
  EXPECT_EQ(TrustPrincipalOf("arn:aws:iam::111122223333:root"), "arn:aws:iam::111122223333:root");
}

TEST(PlatformIdentity, CachesSuccessAndFailureForTheirTtls) {
  testing::FakeSts sts;
  testing::FakeIdentity creds;
  FakeClock clock;
  PlatformIdentity identity(sts, &creds, clock, "us-east-1", std::chrono::hours(1), std::chrono::seconds(30));
  auto first = identity.Get();
  ASSERT_OK(first);
  EXPECT_EQ(first->account, "123456789012");
  EXPECT_EQ(first->partition, "aws");
  EXPECT_OK(identity.Get());
  EXPECT_EQ(sts.identity_calls.load(), 1);  // cached
  clock.Advance(std::chrono::hours(2));
  sts.reject = PermissionDenied("AccessDenied: no");
  EXPECT_EQ(identity.Get().status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(identity.Get().status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(sts.identity_calls.load(), 2);  // the failure is cached too
  clock.Advance(std::chrono::seconds(31));
  sts.reject = Status::Ok();
  EXPECT_OK(identity.Get());
  EXPECT_EQ(sts.identity_calls.load(), 3);
}

TEST(PlatformIdentity, WithoutCredentialsIsFailedPrecondition) {
  testing::FakeSts sts;
  FakeClock clock;
  PlatformIdentity identity(sts, nullptr, clock, "us-east-1");
  EXPECT_EQ(identity.Get().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(sts.identity_calls.load(), 0);
}

}  // namespace
}  // namespace ap::service
