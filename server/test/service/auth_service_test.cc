#include "service/auth_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "common/thread_pool.h"
#include "fake_hasher.h"
#include "recording_store.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = env.auth->BootstrapAdmin("admin@example.com", "admin-password");
    ASSERT_OK(admin);
    ASSERT_TRUE(admin->has_value());
    admin_id = (*admin)->user.user_id;
  }
  RequestContext AdminCtx() {
    RequestContext c = env.Admin();
    c.principal.user_id = admin_id;
    return c;
  }
  // Creates user@example.com (password "user-password", role user, team ops) and logs it in.
  struct UserSession {
    std::string user_id;
    std::string token;
  };
  UserSession LoggedInUser() {
    NewUser nu;
    nu.email = "user@example.com";
    nu.password = "user-password";
    nu.teams = {"ops"};
    auto created = env.auth->CreateUser(AdminCtx(), nu);
    EXPECT_OK(created);
    auto login = env.auth->Login({}, "user@example.com", "user-password");
    EXPECT_OK(login);
    if (!created.ok() || !login.ok()) return {};
    return {created->user.user_id, login->token};
  }
  testing::TestEnv env;
  std::string admin_id;
};

TEST_F(AuthServiceTest, BootstrapRunsOnlyOnAnEmptyStore) {
  auto again = env.auth->BootstrapAdmin("other@example.com", "");
  ASSERT_OK(again);
  EXPECT_FALSE(again->has_value());
}

TEST_F(AuthServiceTest, BootstrapGeneratesAPasswordWhenNoneIsGiven) {
  testing::TestEnv fresh;
  auto created = fresh.auth->BootstrapAdmin("admin@example.com", "");
  ASSERT_TRUE(created.ok() && created->has_value());
  ASSERT_TRUE((*created)->generated_password.has_value());
  EXPECT_GE((*created)->generated_password->size(), 20u);
  EXPECT_OK(fresh.auth->Login({}, "admin@example.com", *(*created)->generated_password));
}

TEST_F(AuthServiceTest, LoginIssuesATokenThatAuthenticates) {
  auto login = env.auth->Login({}, "ADMIN@example.com ", "admin-password");
  ASSERT_OK(login);
  auto principal = env.auth->Authenticate(login->token);
  ASSERT_OK(principal);
  EXPECT_EQ(principal->user_id, admin_id);
  EXPECT_TRUE(principal->is_admin());
  // Only the hash is stored.
  EXPECT_FALSE(env.store->GetSession(login->token).ok());
  EXPECT_OK(env.store->GetSession(Sha256Hex(login->token)));
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  auto a = env.auth->Login({}, "admin@example.com", "nope-nope");
  auto b = env.auth->Login({}, "ghost@example.com", "nope-nope");
  EXPECT_EQ(a.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(a.status().message(), b.status().message());
}

TEST_F(AuthServiceTest, RepeatedFailuresAreSlowedDown) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(env.auth->Login({}, "admin@example.com", "bad-pass").status().code(), StatusCode::kUnauthenticated);
  // Now even the right password must wait.
  EXPECT_EQ(env.auth->Login({}, "admin@example.com", "admin-password").status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(env.auth->RetryAfterSeconds("admin@example.com", ""), 1);
  env.clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(env.auth->Login({}, "admin@example.com", "bad-pass").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(env.auth->RetryAfterSeconds("admin@example.com", ""), 2);  // doubling
  env.clock.Advance(std::chrono::seconds(2));
  EXPECT_OK(env.auth->Login({}, "admin@example.com", "admin-password"));
  EXPECT_EQ(env.auth->RetryAfterSeconds("admin@example.com", ""), 0);  // success resets
  // Throttling of one email does not touch another.
  EXPECT_EQ(env.auth->RetryAfterSeconds("other@example.com", ""), 0);
}

TEST_F(AuthServiceTest, LogoutRevokesTheSessionAtOnce) {
  auto login = env.auth->Login({}, "admin@example.com", "admin-password");
  ASSERT_OK(login);
  auto principal = env.auth->Authenticate(login->token);  // now cached
  ASSERT_OK(principal);
  RequestContext ctx;
  ctx.principal = *principal;
  ASSERT_OK(env.auth->Logout(ctx));
  EXPECT_EQ(env.auth->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

// Two instances on one store. B has the session cached; A's logout reaches B once B's clock has passed epoch_poll
// (B's principal cache alone would trust the token for principal_cache_ttl, 10 s).
TEST_F(AuthServiceTest, ALogoutOnOneInstanceEndsTheSessionOnAnotherWithinTheEpochPoll) {
  AuthService other(*env.store, env.clock, env.random, *env.audit, testing::TestGraphOptions().auth);
  auto login = env.auth->Login({}, "admin@example.com", "admin-password");
  ASSERT_OK(login);
  ASSERT_OK(other.Authenticate(login->token));  // cached on B
  auto principal = env.auth->Authenticate(login->token);
  ASSERT_OK(principal);
  RequestContext ctx;
  ctx.principal = *principal;
  ASSERT_OK(env.auth->Logout(ctx));
  env.clock.Advance(AuthOptions{}.epoch_poll);
  EXPECT_EQ(other.Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

// A role and team change made on A: B's next request after epoch_poll sees the new role and teams.
TEST_F(AuthServiceTest, ARoleChangeOnOneInstanceReachesAnotherWithinTheEpochPoll) {
  AuthService other(*env.store, env.clock, env.random, *env.audit, testing::TestGraphOptions().auth);
  UserSession user = LoggedInUser();
  auto before = other.Authenticate(user.token);  // cached on B
  ASSERT_OK(before);
  EXPECT_FALSE(before->is_admin());
  UserPatch p;
  p.role = domain::Role::kAdmin;
  p.teams = std::vector<std::string>{"dev"};
  ASSERT_OK(env.auth->UpdateUser(AdminCtx(), user.user_id, p));
  env.clock.Advance(AuthOptions{}.epoch_poll);
  auto after = other.Authenticate(user.token);
  ASSERT_OK(after);
  EXPECT_TRUE(after->is_admin());
  EXPECT_EQ(after->teams, std::vector<std::string>{"dev"});
  // And a user disabled on A is refused on B.
  UserPatch disable;
  disable.disabled = true;
  ASSERT_OK(env.auth->UpdateUser(AdminCtx(), user.user_id, disable));
  env.clock.Advance(AuthOptions{}.epoch_poll);
  EXPECT_EQ(other.Authenticate(user.token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, SessionsExpire) {
  auto login = env.auth->Login({}, "admin@example.com", "admin-password");
  ASSERT_OK(login);
  env.clock.Advance(std::chrono::hours(13));
  EXPECT_EQ(env.auth->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, DisablingAUserEndsTheirSessions) {
  UserSession user = LoggedInUser();
  ASSERT_OK(env.auth->Authenticate(user.token));
  UserPatch p;
  p.disabled = true;
  ASSERT_OK(env.auth->UpdateUser(AdminCtx(), user.user_id, p));
  EXPECT_FALSE(env.auth->Authenticate(user.token).ok());
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

TEST_F(AuthServiceTest, DeletingAUserEndsTheirSessions) {
  NewUser nu;
  nu.email = "user@example.com";
  nu.password = "user-password";
  auto created = env.auth->CreateUser(AdminCtx(), nu);
  ASSERT_OK(created);
  auto login = env.auth->Login({}, "user@example.com", "user-password");
  ASSERT_OK(login);
  ASSERT_OK(env.auth->DeleteUser(AdminCtx(), created->user.user_id));
  EXPECT_FALSE(env.auth->Authenticate(login->token).ok());
  EXPECT_EQ(env.store->GetSession(Sha256Hex(login->token)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env.auth->DeleteUser(AdminCtx(), created->user.user_id).code(), StatusCode::kNotFound);
}

// The store contract promises no cascade: the service itself must end the sessions of a user it deletes (SQLite's
// ON DELETE CASCADE would hide a missing call in the test above; a DynamoDB store has none).
TEST_F(AuthServiceTest, DeleteUserAsksTheStoreToEndTheSessionsBeforeDeletingTheUser) {
  NewUser nu;
  nu.email = "user@example.com";
  nu.password = "user-password";
  auto created = env.auth->CreateUser(AdminCtx(), nu);
  ASSERT_OK(created);
  testing::RecordingStore recording(*env.store);
  AuditService audit(recording, env.clock, env.random);
  AuthService auth(recording, env.clock, env.random, audit, testing::TestGraphOptions().auth);
  ASSERT_OK(auth.DeleteUser(AdminCtx(), created->user.user_id));
  const std::string id = created->user.user_id;
  EXPECT_EQ(recording.deletions(), (std::vector<std::string>{"DeleteSessionsOfUser " + id, "DeleteUser " + id}));
}

TEST_F(AuthServiceTest, ListUsersPagesByEmailWithTheTotal) {
  for (std::string email : {"c@example.com", "b@example.com"}) {
    NewUser nu;
    nu.email = email;
    ASSERT_OK(env.auth->CreateUser(AdminCtx(), nu));
  }
  auto first = env.auth->ListUsers("", 2);
  ASSERT_OK(first);
  EXPECT_EQ(first->total, 3);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].email, "admin@example.com");
  auto rest = env.auth->ListUsers(first->next, 2);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].email, "c@example.com");
  EXPECT_TRUE(rest->next.empty());
  EXPECT_EQ(env.auth->ListUsers("", 0).status().field(), "page_size");
  EXPECT_EQ(env.auth->ListUsers("", 1001).status().field(), "page_size");
  EXPECT_EQ(env.auth->ListUsers("bad", 10).status().field(), "cursor");
}

TEST_F(AuthServiceTest, ListTeamsOrdersByNameNaturallyThenId) {
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"a-team", "Team 10"}, {"b-team", "team 9"}, {"c-team", "上海"}, {"d-team", "北京"}, {"e-team", "Team 9"}}) {
    ASSERT_OK(env.auth->PutTeam(AdminCtx(), domain::Team{.team_id = id, .name = name}));
  }
  auto teams = env.auth->ListTeams();
  ASSERT_OK(teams);
  std::vector<std::string> ids;
  for (const auto& t : *teams) ids.push_back(t.team_id);
  // "team 9" = "Team 9" (case ignored: by id), "Team 10", then 北京 (bei) before 上海 (shang).
  EXPECT_EQ(ids, (std::vector<std::string>{"b-team", "e-team", "a-team", "d-team", "c-team"}));
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
  ASSERT_OK(ok);
  EXPECT_EQ(ok->user.teams, std::vector<std::string>{"ops"});
  EXPECT_TRUE(ok->generated_password.has_value());
  EXPECT_EQ(env.auth->CreateUser(AdminCtx(), nu).status().code(), StatusCode::kAlreadyExists);
  auto teams = env.auth->ListTeams();
  ASSERT_OK(teams);
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ((*teams)[0].team_id, "ops");
}

// ---- Login hardening: constant work, the hash pool, the store-kept throttle --------------------------------

// An AuthService on the TestEnv's store with a counting (and gateable) hasher and a thread-safe Random, so that
// logins may run on several threads.
class LoginHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(nullptr, 64); }
  void Build(ThreadPool* pool, size_t queue_limit) {
    AuthOptions ao;
    ao.hasher = &hasher;
    ao.hash_pool = pool;
    ao.hash_queue_limit = queue_limit;
    auth = std::make_unique<AuthService>(*env.store, env.clock, random, audit, ao);
    if (admin_id.empty()) {
      auto admin = auth->BootstrapAdmin("admin@example.com", "admin-password");
      ASSERT_TRUE(admin.ok() && admin->has_value());
      admin_id = (*admin)->user.user_id;
    }
  }
  static RequestContext From(std::string ip) {
    RequestContext c;
    c.client_ip = std::move(ip);
    return c;
  }
  StatusCode LoginCode(std::string_view email, std::string_view password, std::string ip = "198.51.100.7") {
    return auth->Login(From(std::move(ip)), email, password).status().code();
  }

  testing::TestEnv env;
  SecureRandom random;
  AuditService audit{*env.store, env.clock, random};
  testing::FakeHasher hasher;
  std::unique_ptr<AuthService> auth;
  std::string admin_id;
};

// Finding: unknown emails answered in 1 ms, known ones in 20 ms (one argon2id). Now every case costs one
// verification.
TEST_F(LoginHardeningTest, EveryLoginCostsExactlyOneVerification) {
  NewUser nu;
  nu.email = "off@example.com";
  nu.password = "disabled-password";
  auto created = auth->CreateUser(RequestContext::System(), nu);
  ASSERT_OK(created);
  UserPatch off;
  off.disabled = true;
  ASSERT_OK(auth->UpdateUser(RequestContext::System(), created->user.user_id, off));

  int before = hasher.verifications();
  EXPECT_EQ(LoginCode("ghost@example.com", "whatever-pass"), StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher.verifications(), before + 1) << "unknown email";
  EXPECT_EQ(LoginCode("not an email", "whatever-pass"), StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher.verifications(), before + 2) << "malformed email";
  EXPECT_EQ(LoginCode("off@example.com", "disabled-password"), StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher.verifications(), before + 3) << "disabled user, right password";
  EXPECT_EQ(LoginCode("admin@example.com", "wrong-password"), StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher.verifications(), before + 4) << "known user, wrong password";
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password"), StatusCode::kOk);
  EXPECT_EQ(hasher.verifications(), before + 5) << "known user, right password";
}

TEST(AuthServiceDummyHash, IsAnArgon2idHashWithTheConfiguredCost) {
  // Without an injected hasher the service uses argon2id; an unknown email is verified against a dummy hash
  // made with the same options (observable: the login fails the same way, and no user can match it).
  testing::TestEnv env;
  EXPECT_EQ(env.auth->Login({}, "ghost@example.com", "no user has this password").status().code(),
            StatusCode::kUnauthenticated);
}

// Finding 5b: check and count were separate, so 60 parallel wrong passwords got 20 checks instead of 5.
TEST_F(LoginHardeningTest, ParallelWrongPasswordsCheckExactlyTheFreeNumber) {
  constexpr int kThreads = 60;
  std::atomic<int> unauthenticated{0}, throttled{0}, other{0};
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.wait();
      StatusCode c = LoginCode("admin@example.com", "wrong-password");
      if (c == StatusCode::kUnauthenticated)
        ++unauthenticated;
      else if (c == StatusCode::kResourceExhausted)
        ++throttled;
      else
        ++other;
    });
  }
  int before = hasher.verifications();
  go.set_value();
  for (auto& t : threads) t.join();
  EXPECT_EQ(hasher.verifications() - before, 5);
  EXPECT_EQ(unauthenticated.load(), 5);
  EXPECT_EQ(throttled.load(), kThreads - 5);
  EXPECT_EQ(other.load(), 0);
}

// Finding 5a: past 100,000 keys the in-memory throttle forgot every key, unlocking a locked account.
TEST_F(LoginHardeningTest, ALockedPairStaysLockedAfterASprayOfOtherKeys) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(LoginCode("admin@example.com", "wrong-password", "203.0.113.1"), StatusCode::kUnauthenticated);
  ASSERT_EQ(LoginCode("admin@example.com", "admin-password", "203.0.113.1"), StatusCode::kResourceExhausted);
  // 100,500 attempts with other emails from 1,005 addresses (100 each: within every address's budget, so each
  // one creates a key of its own).
  int checked_before = hasher.verifications();
  for (int a = 0; a < 1005; ++a) {
    std::string ip = "10." + std::to_string(a / 256) + "." + std::to_string(a % 256) + ".9";
    for (int e = 0; e < 100; ++e) {
      StatusCode c = LoginCode("spray" + std::to_string(e) + "@example.com", "wrong-password", ip);
      ASSERT_EQ(c, StatusCode::kUnauthenticated) << ip << " " << e;
    }
  }
  EXPECT_EQ(hasher.verifications() - checked_before, 100'500);
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", "203.0.113.1"), StatusCode::kResourceExhausted);
  EXPECT_GE(auth->RetryAfterSeconds("admin@example.com", "203.0.113.1"), 1);
}

// Finding 5c: anyone could keep any email locked. Now a lock is per (email × address).
TEST_F(LoginHardeningTest, ALockFromOneAddressDoesNotBlockTheOwnerFromAnother) {
  for (int i = 0; i < 5; ++i) LoginCode("admin@example.com", "wrong-password", "203.0.113.66");
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", "203.0.113.66"), StatusCode::kResourceExhausted);
  EXPECT_EQ(auth->RetryAfterSeconds("admin@example.com", "203.0.113.66"), 1);
  EXPECT_EQ(auth->RetryAfterSeconds("admin@example.com", "192.0.2.10"), 0);
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", "192.0.2.10"), StatusCode::kOk);
  // IPv6: one /64 is one address for the throttle.
  for (int i = 0; i < 5; ++i) LoginCode("admin@example.com", "wrong-password", "2001:db8:1:2::1");
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", "2001:db8:1:2:ffff::9"), StatusCode::kResourceExhausted);
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", "2001:db8:1:3::1"), StatusCode::kOk);
}

TEST_F(LoginHardeningTest, TheAddressBudgetThrottlesASprayer) {
  const std::string sprayer = "203.0.113.99";
  int before = hasher.verifications();
  for (int e = 0; e < 100; ++e)
    ASSERT_EQ(LoginCode("user" + std::to_string(e) + "@example.com", "guess-1234", sprayer),
              StatusCode::kUnauthenticated);
  // The budget is spent: any email from this address now waits, without a password check.
  EXPECT_EQ(LoginCode("user100@example.com", "guess-1234", sprayer), StatusCode::kResourceExhausted);
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", sprayer), StatusCode::kResourceExhausted);
  EXPECT_EQ(hasher.verifications() - before, 100);
  EXPECT_EQ(auth->RetryAfterSeconds("someone@example.com", sprayer), 1);
  // Others are unaffected.
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password", "192.0.2.10"), StatusCode::kOk);
  // Waits double, then the address's failures are forgotten after a quiet period.
  env.clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(LoginCode("user101@example.com", "guess-1234", sprayer), StatusCode::kUnauthenticated);
  EXPECT_EQ(auth->RetryAfterSeconds("someone@example.com", sprayer), 2);
  env.clock.Advance(std::chrono::seconds(2) + std::chrono::minutes(15));
  EXPECT_EQ(auth->RetryAfterSeconds("someone@example.com", sprayer), 0);
  EXPECT_EQ(LoginCode("user102@example.com", "guess-1234", sprayer), StatusCode::kUnauthenticated);
}

TEST_F(LoginHardeningTest, SuccessesDoNotSpendTheAddressBudget) {
  // An office behind one address: many good logins, then a typo, are not throttled.
  for (int i = 0; i < 150; ++i) ASSERT_EQ(LoginCode("admin@example.com", "admin-password"), StatusCode::kOk) << i;
  EXPECT_EQ(LoginCode("admin@example.com", "typo-password"), StatusCode::kUnauthenticated);
  EXPECT_EQ(LoginCode("admin@example.com", "admin-password"), StatusCode::kOk);
}

TEST_F(LoginHardeningTest, TheThrottleIsSharedThroughTheStore) {
  // A second service instance on the same store (another server process) sees the same lock.
  for (int i = 0; i < 5; ++i) LoginCode("admin@example.com", "wrong-password");
  SecureRandom other_random;
  AuditService other_audit(*env.store, env.clock, other_random);
  AuthOptions ao;
  ao.hasher = &hasher;
  AuthService other(*env.store, env.clock, other_random, other_audit, ao);
  EXPECT_EQ(other.Login(From("198.51.100.7"), "admin@example.com", "admin-password").status().code(),
            StatusCode::kResourceExhausted);
}

// Finding 3: argon2id ran on the I/O threads. LoginAsync runs on a bounded pool and refuses beyond its queue.
TEST_F(LoginHardeningTest, LoginAsyncRefusesBeyondTheQueueBound) {
  // Declared before the pool, so that the pool (joining its thread) goes first at the end.
  std::atomic<int> done_ok{0}, done_other{0};
  std::promise<void> all_done;
  std::atomic<int> remaining{3};
  ThreadPool pool(1);
  Build(&pool, 2);
  hasher.Close();
  auto done = [&](Result<LoginResult> r, int64_t) {
    (r.ok() ? done_ok : done_other)++;
    if (--remaining == 0) all_done.set_value();
  };
  ASSERT_OK(auth->LoginAsync(From("192.0.2.1"), "admin@example.com", "admin-password", {}, done));
  hasher.WaitForVerifications(1);  // the one pool thread is now busy
  ASSERT_OK(auth->LoginAsync(From("192.0.2.2"), "admin@example.com", "admin-password", {}, done));
  ASSERT_OK(auth->LoginAsync(From("192.0.2.3"), "admin@example.com", "admin-password", {}, done));
  Status refused = auth->LoginAsync(From("192.0.2.4"), "admin@example.com", "admin-password", {},
                                    [](Result<LoginResult>, int64_t) { ADD_FAILURE() << "a refused login answered"; });
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  hasher.Open();
  all_done.get_future().wait();
  EXPECT_EQ(done_ok.load(), 3);
  EXPECT_EQ(done_other.load(), 0);
}

TEST_F(LoginHardeningTest, LoginAsyncDropsWorkWhoseClientHasGone) {
  std::promise<Status> answered;  // declared before the pool, which then joins first
  ThreadPool pool(1);
  Build(&pool, 4);
  int before = hasher.verifications();
  ASSERT_OK(auth->LoginAsync(
      From("192.0.2.1"), "admin@example.com", "admin-password", [] { return true; },
      [&](Result<LoginResult> r, int64_t) { answered.set_value(r.status()); }));
  EXPECT_EQ(answered.get_future().get().code(), StatusCode::kUnavailable);
  EXPECT_EQ(hasher.verifications(), before);
}

TEST_F(LoginHardeningTest, LoginAsyncReportsTheWaitWhenThrottled) {
  for (int i = 0; i < 5; ++i) LoginCode("admin@example.com", "wrong-password", "192.0.2.1");
  std::promise<std::pair<StatusCode, int64_t>> answered;
  ASSERT_OK(auth->LoginAsync(From("192.0.2.1"), "admin@example.com", "admin-password", {},
                             [&](Result<LoginResult> r, int64_t retry) {
                               answered.set_value({r.status().code(), retry});
                             }));
  auto [code, retry] = answered.get_future().get();
  EXPECT_EQ(code, StatusCode::kResourceExhausted);
  EXPECT_EQ(retry, 1);
}

TEST(ThrottleAddress, KeysIPv4AsIsAndIPv6ByItsSlash64) {
  EXPECT_EQ(ThrottleAddressOf("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ThrottleAddressOf("2001:db8:a:b:c:d:e:f"), "2001:db8:a:b::/64");
  EXPECT_EQ(ThrottleAddressOf("2001:DB8:A:B::1"), "2001:db8:a:b::/64");
  EXPECT_EQ(ThrottleAddressOf("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ThrottleAddressOf("::1"), "0:0:0:0::/64");
  EXPECT_EQ(ThrottleAddressOf(""), "");
  EXPECT_EQ(ThrottleAddressOf(std::string(100, 'x')).size(), 64u);
}

}  // namespace
}  // namespace ap::service
