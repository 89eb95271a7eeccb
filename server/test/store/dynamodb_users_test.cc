// DynamoDbStore's users, sessions and login throttles beyond the conformance suite, against dynalite: email
// reservations left by writers that failed or died (dead ones are taken over, live ones are not), releases
// finished from a pending intent, racing writers of one email, and expiry sweeps racing other instances.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "dynamodb_test_env.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/intent.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/users_internal.h"

namespace ap::store {
namespace {

// Forwards to a real DynamoDb. FailNext: the first call for which `when` is true fails (Unavailable, nothing
// sent), as for a writer that dies (or loses its connection) before that request. BeforeNext: the first call for
// which `when` is true is sent only after `action` ran, as if another instance acted just before it.
class HookedDb final : public aws::DynamoDb {
 public:
  using Pred = std::function<bool(std::string_view, const boost::json::object&)>;
  explicit HookedDb(aws::DynamoDb& inner) : inner_(inner) {}
  void FailNext(Pred when) { Set(std::move(when), nullptr, true); }
  void BeforeNext(Pred when, std::function<void()> action) { Set(std::move(when), std::move(action), false); }
  Result<boost::json::object> Call(std::string_view operation, const boost::json::object& request) override {
    if (when_ && when_(operation, request)) {
      when_ = nullptr;
      if (fail_) return Unavailable("injected failure");
      std::function<void()> action = std::move(action_);
      action();
    }
    return inner_.Call(operation, request);
  }

 private:
  void Set(Pred when, std::function<void()> action, bool fail) {
    when_ = std::move(when);
    action_ = std::move(action);
    fail_ = fail;
  }
  aws::DynamoDb& inner_;
  Pred when_;
  std::function<void()> action_;
  bool fail_ = false;
};

// True for a request on the main-table record whose pk starts with `pk_prefix`.
bool Targets(const boost::json::object& request, std::string_view member, std::string_view pk_prefix) {
  const boost::json::value* record = request.if_contains(member);
  if (record == nullptr || !record->is_object()) return false;
  const boost::json::value* pk = record->as_object().if_contains("pk");
  if (pk == nullptr || !pk->is_object() || !pk->as_object().contains("S")) return false;
  return std::string_view(pk->as_object().at("S").as_string()).starts_with(pk_prefix);
}

domain::User MakeUser(const std::string& id, const std::string& email, domain::Role role = domain::Role::kUser) {
  domain::User u;
  u.user_id = id;
  u.email = email;
  u.role = role;
  u.password_hash = "$argon2id$x";
  u.created_at_ms = u.updated_at_ms = 1'700'000'000'000;
  return u;
}

class DynamoDbUsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<aws::DynamoDb*> db = testing::TestDynamoDb();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Result<std::string> prefix = testing::NewTestTables();
    ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
    db_ = std::make_unique<HookedDb>(**db);
    main_ = DynamoDbTables::WithPrefix(*prefix).main;
    Result<std::unique_ptr<DynamoDbStore>> store =
        DynamoDbStore::Open(*db_, clock_, random_, {.table_prefix = *prefix});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  DynamoDbStore& store() { return *store_; }
  void Advance(int64_t ms) { clock_.Advance(std::chrono::milliseconds(ms)); }

  FakeClock clock_;
  SecureRandom random_;
  std::unique_ptr<HookedDb> db_;
  std::string main_;
  std::unique_ptr<DynamoDbStore> store_;
};

TEST_F(DynamoDbUsersTest, AReservationLeftByACrashedCreateHoldsTheEmailUntilItIsOld) {
  // The writer reserved ada@ and died before writing its user.
  db_->FailNext([](std::string_view op, const boost::json::object& req) {
    return op == "PutItem" && Targets(req, "Item", "USER#");
  });
  EXPECT_EQ(store().CreateUser(MakeUser("u_1", "ada@example.com")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(store().GetUserByEmail("ada@example.com").status().code(), StatusCode::kNotFound);
  // Young, it may still be written by its writer: nobody else may take the email.
  EXPECT_EQ(store().CreateUser(MakeUser("u_2", "ada@example.com")).code(), StatusCode::kAlreadyExists);
  Advance(60'000);
  ASSERT_TRUE(store().CreateUser(MakeUser("u_2", "ada@example.com")).ok());
  EXPECT_EQ(store().GetUserByEmail("ada@example.com")->user_id, "u_2");
  EXPECT_EQ(*store().CountUsers(), 1);
}

TEST_F(DynamoDbUsersTest, AReservationOfAWriterThatLostItsUserWriteIsTakenOverAtOnce) {
  ASSERT_TRUE(store().CreateUser(MakeUser("u_1", "ada@example.com")).ok());
  // u_1's move to new@ reserved the email and then failed to write the user.
  db_->FailNext([](std::string_view op, const boost::json::object& req) {
    return op == "PutItem" && Targets(req, "Item", "USER#");
  });
  EXPECT_FALSE(store().UpdateUser(MakeUser("u_1", "new@example.com")).ok());
  EXPECT_EQ(store().GetUser("u_1")->email, "ada@example.com");
  EXPECT_EQ(store().CreateUser(MakeUser("u_2", "new@example.com")).code(), StatusCode::kAlreadyExists);
  // Once u_1 was written again, that reservation can no longer be committed: it is dead, whatever its age.
  domain::User disabled = MakeUser("u_1", "ada@example.com");
  disabled.disabled = true;
  ASSERT_TRUE(store().UpdateUser(disabled).ok());
  ASSERT_TRUE(store().CreateUser(MakeUser("u_2", "new@example.com")).ok());
  EXPECT_EQ(store().GetUserByEmail("new@example.com")->user_id, "u_2");
  EXPECT_EQ(store().UpdateUser(MakeUser("u_1", "new@example.com")).code(), StatusCode::kAlreadyExists);
}

TEST_F(DynamoDbUsersTest, AnEmailReleasedByAnUnfinishedIntentIsFreedByTheNextWriter) {
  ASSERT_TRUE(store().CreateUser(MakeUser("u_1", "ada@example.com", domain::Role::kAdmin)).ok());
  // The move commits; its writer dies before it deletes the old email key (the intent stays on the user).
  db_->FailNext([](std::string_view op, const boost::json::object& req) {
    return op == "DeleteItem" && Targets(req, "Key", "EMAIL#ada@");
  });
  domain::User moved = MakeUser("u_1", "lovelace@example.com");  // and demoted
  ASSERT_TRUE(store().UpdateUser(moved).ok()) << "the commit is the operation";
  EXPECT_EQ(store().GetUser("u_1")->email, "lovelace@example.com");
  EXPECT_EQ(store().GetUserByEmail("ada@example.com").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetUserByEmail("lovelace@example.com")->user_id, "u_1");
  Advance(ddb::kClaimMs + 1);  // the dead writer's claim on its intent expires
  ASSERT_TRUE(store().CreateUser(MakeUser("u_2", "ada@example.com")).ok());
  EXPECT_EQ(store().GetUserByEmail("ada@example.com")->user_id, "u_2");
  EXPECT_EQ(*store().CountUsers(), 2);
  EXPECT_EQ(*store().CountEnabledAdmins(), 0) << "the demotion was counted once, by whoever finished the intent";
}

TEST_F(DynamoDbUsersTest, RacingCreatesOfOneEmailLetExactlyOneWin) {
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Status s = store().CreateUser(MakeUser("u_" + std::to_string(t), "same@example.com"));
      if (s.ok())
        ++created;
      else if (s.code() == StatusCode::kAlreadyExists)
        ++refused;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(*store().CountUsers(), 1);
  EXPECT_TRUE(store().GetUserByEmail("same@example.com").ok());
}

TEST_F(DynamoDbUsersTest, RacingMovesToOneEmailLeaveItWithOneUser) {
  constexpr int kUsers = 6;
  for (int i = 0; i < kUsers; ++i) {
    ASSERT_TRUE(store().CreateUser(MakeUser("u_" + std::to_string(i), "user" + std::to_string(i) + "@x.org")).ok());
  }
  std::atomic<int> moved{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kUsers; ++i) {
    threads.emplace_back([&, i] {
      Status s = store().UpdateUser(MakeUser("u_" + std::to_string(i), "wanted@x.org"));
      if (s.ok()) ++moved;
      if (s.code() == StatusCode::kAlreadyExists) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(moved.load(), 1);
  EXPECT_EQ(refused.load(), kUsers - 1);
  Result<domain::User> winner = store().GetUserByEmail("wanted@x.org");
  ASSERT_TRUE(winner.ok());
  for (int i = 0; i < kUsers; ++i) {
    const std::string id = "u_" + std::to_string(i);
    const std::string own = "user" + std::to_string(i) + "@x.org";
    if (id == winner->user_id) {
      EXPECT_EQ(store().GetUserByEmail(own).status().code(), StatusCode::kNotFound);
    } else {
      EXPECT_EQ(store().GetUser(id)->email, own);
      EXPECT_EQ(store().GetUserByEmail(own)->user_id, id);
    }
  }
}

TEST_F(DynamoDbUsersTest, DeleteExpiredSessionsCountsOnlyWhatItRemoved) {
  ASSERT_TRUE(store().CreateUser(MakeUser("u_1", "ada@example.com")).ok());
  for (const char* hash : {"h1", "h2"}) {
    domain::Session s{.token_hash = hash, .user_id = "u_1", .created_at_ms = 1, .expires_at_ms = 1000};
    ASSERT_TRUE(store().CreateSession(s, 10).ok());
  }
  // Another instance's sweep deletes h1 between this sweep's index query and its delete of h1.
  db_->BeforeNext([](std::string_view op, const boost::json::object&) { return op == "DeleteItem"; },
                  [&] { ASSERT_TRUE(store().DeleteSession("h1").ok()); });
  Result<int64_t> deleted = store().DeleteExpiredSessions(1000);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(store().GetSession("h1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().GetSession("h2").status().code(), StatusCode::kNotFound);
}

TEST_F(DynamoDbUsersTest, DeleteExpiredLoginThrottlesKeepsAKeyCountedAgainSinceTheIndexWasRead) {
  constexpr int64_t kNow = 1'800'000'000'000;
  LoginThrottlePolicy p;
  p.forget_after_ms = 60'000;
  ASSERT_TRUE(store().CountLoginAttempt("k", kNow, p).ok());
  // The key expires at kNow + 60 s; a new attempt renews it after the sweep listed it, before it deletes it.
  db_->BeforeNext([](std::string_view op, const boost::json::object&) { return op == "DeleteItem"; },
                  [&] { ASSERT_TRUE(store().CountLoginAttempt("k", kNow + 60'000, p).ok()); });
  Result<int64_t> deleted = store().DeleteExpiredLoginThrottles(kNow + 60'000);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 0);
  Result<LoginThrottle> kept = store().GetLoginThrottle("k", kNow + 60'000);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->attempts, 1);
  EXPECT_EQ(kept->expires_at_ms, kNow + 120'000);
}

TEST_F(DynamoDbUsersTest, RecountUserCountersRepairsDriftAndThenFindsNone) {
  ASSERT_TRUE(store().CreateUser(MakeUser("u_1", "ada@example.com", domain::Role::kAdmin)).ok());
  ASSERT_TRUE(store().CreateUser(MakeUser("u_2", "bob@example.com")).ok());
  domain::User disabled_admin = MakeUser("u_3", "carol@example.com", domain::Role::kAdmin);
  disabled_admin.disabled = true;
  ASSERT_TRUE(store().CreateUser(disabled_admin).ok());
  // Drift, as a runner stalled past its claim (counting twice) or a hand edit would leave it.
  boost::json::object drift = ddb::Request(main_);
  drift["Key"] = boost::json::object{{"pk", ddb::S("COUNTER")}, {"sk", ddb::S("users")}};
  drift["UpdateExpression"] = "ADD #u :two, #a :minus";
  drift["ExpressionAttributeNames"] = {{"#u", "users"}, {"#a", "enabled_admins"}};
  drift["ExpressionAttributeValues"] = {{":two", ddb::N(2)}, {":minus", ddb::N(-1)}};
  ASSERT_TRUE(db_->Call("UpdateItem", drift).ok());
  ASSERT_EQ(*store().CountUsers(), 5);

  ddb::IntentRunner runner(*db_, clock_, nullptr);
  Result<int64_t> corrected = ddb::RecountUserCounters(*db_, runner, main_);
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_EQ(*corrected, 2);
  EXPECT_EQ(*store().CountUsers(), 3);
  EXPECT_EQ(*store().CountEnabledAdmins(), 1);
  Result<int64_t> again = ddb::RecountUserCounters(*db_, runner, main_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 0);
}

TEST_F(DynamoDbUsersTest, RecountUserCountersFinishesAPendingIntentInsteadOfCountingItTwice) {
  // The create commits; its writer dies before its counter ADD.
  db_->FailNext([](std::string_view op, const boost::json::object& req) {
    const boost::json::value* e = req.if_contains("UpdateExpression");
    return op == "UpdateItem" && e != nullptr && std::string_view(e->as_string()).starts_with("ADD");
  });
  ASSERT_TRUE(store().CreateUser(MakeUser("u_1", "ada@example.com", domain::Role::kAdmin)).ok());
  EXPECT_EQ(*store().CountUsers(), 0);
  Advance(ddb::kClaimMs + 1);
  ddb::IntentRunner runner(*db_, clock_, nullptr);
  Result<int64_t> corrected = ddb::RecountUserCounters(*db_, runner, main_);
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  EXPECT_EQ(*corrected, 0) << "the finished intent made the counters right";
  EXPECT_EQ(*store().CountUsers(), 1);
  EXPECT_EQ(*store().CountEnabledAdmins(), 1);
}

TEST_F(DynamoDbUsersTest, RebuildAggregatesRepairsTheUserCountersBesideTheAccountCounters) {
  ASSERT_TRUE(store().CreateUser(MakeUser("u_1", "ada@example.com", domain::Role::kAdmin)).ok());
  domain::Account account;
  account.account_id = "111111111111";
  account.account_name = "Prod";
  account.regions = {"us-east-1"};
  account.access_key_id_masked = "AKIA************WXYZ";
  account.sealed_credentials = "sealed";
  account.created_at_ms = account.updated_at_ms = 1'700'000'000'000;
  account.version = 1;
  ASSERT_TRUE(store().CreateAccount(account).ok());
  Result<int64_t> clean = store().RebuildAggregates();
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(*clean, 0) << "the user counters beside the account counters are no drift";

  boost::json::object drift = ddb::Request(main_);
  drift["Key"] = boost::json::object{{"pk", ddb::S("COUNTER")}, {"sk", ddb::S("users")}};
  drift["UpdateExpression"] = "ADD #a :one";
  drift["ExpressionAttributeNames"] = {{"#a", "enabled_admins"}};
  drift["ExpressionAttributeValues"] = {{":one", ddb::N(1)}};
  ASSERT_TRUE(db_->Call("UpdateItem", drift).ok());
  Result<int64_t> repaired = store().RebuildAggregates();
  ASSERT_TRUE(repaired.ok()) << repaired.status().ToString();
  EXPECT_EQ(*repaired, 1);
  EXPECT_EQ(*store().CountEnabledAdmins(), 1);
  EXPECT_EQ(*store().CountUsers(), 1);
  EXPECT_EQ(store().CountAccounts()->active, 1);
}

}  // namespace
}  // namespace ap::store
