// The Store conformance suite (see store_conformance.h). Each test names the store.h clause it checks.
#include "store_conformance.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace ap::store::testing {
namespace {

using domain::Account;
using domain::AccountStatus;
using domain::AuditEntry;
using domain::ContactInfo;
using domain::ModelSpec;
using domain::QuotaConfig;
using domain::QuotaSnapshot;
using domain::QuotaState;
using domain::QuotaValue;
using domain::Session;
using domain::Team;
using domain::User;

// A session cap no test reaches, for tests about something else.
constexpr int kManySessions = 10000;

// ---- Assertions -----------------------------------------------------------------------------------------

::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}
template <typename T>
::testing::AssertionResult IsOk(const Result<T>& r) {
  return IsOk(r.status());
}

::testing::AssertionResult Is(StatusCode code, const Status& s) {
  if (s.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << StatusCodeName(code) << ", got " << s.ToString();
}
template <typename T>
::testing::AssertionResult Is(StatusCode code, const Result<T>& r) {
  return Is(code, r.status());
}

// Field tuples: EXPECT_EQ on them compares every field and prints the difference.
auto Fields(const User& u) {
  return std::tie(u.user_id, u.email, u.role, u.teams, u.disabled, u.password_hash, u.created_at_ms, u.updated_at_ms);
}
auto Fields(const Session& s) {
  return std::tie(s.token_hash, s.user_id, s.created_at_ms, s.expires_at_ms, s.user_agent, s.client_ip);
}
auto Fields(const Team& t) { return std::tie(t.team_id, t.name, t.created_at_ms); }
auto Fields(const Account& a) {
  return std::tie(a.account_id, a.account_name, a.regions, a.teams, a.status, a.credential_type, a.access_key_id_masked,
                  a.role_arn, a.sealed_credentials, a.created_at_ms, a.updated_at_ms, a.created_by, a.version);
}
auto Fields(const ContactInfo& c) {
  return std::tie(c.full_name, c.address_line1, c.address_line2, c.address_line3, c.city, c.company_name,
                  c.country_code, c.district_or_county, c.phone_number, c.postal_code, c.state_or_region, c.website_url,
                  c.updated_at_ms, c.updated_by);
}
auto Fields(const QuotaValue& v) {
  return std::tie(v.quota_code, v.value, v.state, v.is_default, v.reason, v.read_at_ms, v.attempted_at_ms);
}
auto Fields(const ModelSpec& m) {
  return std::tie(m.model_id, m.display_name, m.quota_code_tpm, m.quota_code_rpm, m.enabled, m.show_in_dashboard,
                  m.has_1m_context, m.quota_code_tpm_1m, m.quota_code_rpm_1m);
}
auto Fields(const AuditEntry& e) {
  return std::tie(e.seq, e.audit_id, e.at_ms, e.actor_id, e.actor_email, e.action, e.target_type, e.target_id,
                  e.outcome, e.client_ip, e.user_agent, e.request_id, e.detail, e.count, e.last_at_ms);
}

void ExpectSameSnapshot(const QuotaSnapshot& want, const QuotaSnapshot& got) {
  EXPECT_EQ(got.account_id, want.account_id);
  EXPECT_EQ(got.region, want.region);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
  ASSERT_EQ(got.values.size(), want.values.size());
  for (size_t i = 0; i < want.values.size(); ++i) EXPECT_EQ(Fields(got.values[i]), Fields(want.values[i])) << i;
}

void ExpectSameConfig(const QuotaConfig& want, const QuotaConfig& got) {
  EXPECT_EQ(got.config_id, want.config_id);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
  EXPECT_EQ(got.updated_by, want.updated_by);
  EXPECT_EQ(got.version, want.version);
  ASSERT_EQ(got.models.size(), want.models.size());
  for (size_t i = 0; i < want.models.size(); ++i) EXPECT_EQ(Fields(got.models[i]), Fields(want.models[i])) << i;
}

template <typename T, typename Key>
std::vector<std::string> Ids(const std::vector<T>& items, Key key) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(key(item));
  return ids;
}
std::vector<std::string> AccountIds(const AccountPage& page) {
  return Ids(page.items, [](const Account& a) { return a.account_id; });
}
std::vector<std::string> AuditIds(const AuditPage& page) {
  return Ids(page.items, [](const AuditEntry& e) { return e.audit_id; });
}

// ---- Fixtures -------------------------------------------------------------------------------------------

User MakeUser(const std::string& id, const std::string& email) {
  User u;
  u.user_id = id;
  u.email = email;
  u.role = domain::Role::kUser;
  u.teams = {"blue", "red"};
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.created_at_ms = 1'700'000'000'000;
  u.updated_at_ms = 1'700'000'000'500;
  return u;
}

Session MakeSession(const std::string& token_hash, const std::string& user_id, int64_t expires_at_ms) {
  Session s;
  s.token_hash = token_hash;
  s.user_id = user_id;
  s.created_at_ms = 1'700'000'000'000;
  s.expires_at_ms = expires_at_ms;
  s.user_agent = "Mozilla/5.0 (X11; Linux x86_64)";
  s.client_ip = "203.0.113.7";
  return s;
}

Account MakeAccount(const std::string& id, const std::string& name, std::vector<std::string> teams = {},
                    AccountStatus status = AccountStatus::kActive) {
  Account a;
  a.account_id = id;
  a.account_name = name;
  a.regions = {"eu-west-1", "us-east-1"};
  a.teams = std::move(teams);
  a.status = status;
  a.credential_type = domain::CredentialType::kAccessKey;
  a.access_key_id_masked = "AKIA************WXYZ";
  // Sealed bytes are binary: NUL, high bytes and invalid UTF-8 must survive.
  a.sealed_credentials = std::string("\x00\x01\xff\xfe nonce+ciphertext \x80\x00", 24);
  a.created_at_ms = 1'700'000'000'000;
  a.updated_at_ms = 1'700'000'000'000;
  a.created_by = "u_admin";
  a.version = 1;
  return a;
}

ContactInfo MakeContact(const std::string& name) {
  ContactInfo c;
  c.full_name = name;
  c.address_line1 = "1 Main Street";
  c.address_line2 = "Floor 2";
  c.address_line3 = "Suite 300";
  c.city = "Seattle";
  c.company_name = "Example Corp";
  c.country_code = "US";
  c.district_or_county = "King";
  c.phone_number = "+1 206 555 0100";
  c.postal_code = "98101";
  c.state_or_region = "WA";
  c.website_url = "https://example.com";
  c.updated_at_ms = 1'700'000'123'000;
  c.updated_by = "u_admin";
  return c;
}

QuotaValue Value(const std::string& code, std::optional<double> value, QuotaState state) {
  QuotaValue v;
  v.quota_code = code;
  v.value = value;
  v.state = state;
  return v;
}

ModelSpec Model(const std::string& id, std::optional<std::string> tpm, std::optional<std::string> rpm) {
  ModelSpec m;
  m.model_id = id;
  m.display_name = "Model " + id;
  m.quota_code_tpm = std::move(tpm);
  m.quota_code_rpm = std::move(rpm);
  m.enabled = true;
  return m;
}

AuditEntry MakeAudit(const std::string& id, int64_t at_ms, const std::string& actor, const std::string& action,
                     const std::string& target_type = "account", const std::string& target_id = "111111111111",
                     const std::string& outcome = "success") {
  AuditEntry e;
  e.audit_id = id;
  e.at_ms = at_ms;
  e.actor_id = actor;
  e.actor_email = actor + "@example.com";
  e.action = action;
  e.target_type = target_type;
  e.target_id = target_id;
  e.outcome = outcome;
  e.client_ip = "198.51.100.1";
  e.user_agent = "curl/8.0";
  e.request_id = "req-" + id;
  e.detail = R"({"field":"value"})";
  e.last_at_ms = at_ms;
  return e;
}

// ---- Ping -----------------------------------------------------------------------------------------------

TEST_P(StoreConformance, PingAnswersOk) { EXPECT_TRUE(IsOk(store().Ping())); }

// ---- Users ----------------------------------------------------------------------------------------------

TEST_P(StoreConformance, CreateUserThenGetRoundTripsEveryField) {
  User u = MakeUser("u_1", "ada@example.com");
  u.role = domain::Role::kAdmin;
  u.disabled = true;
  ASSERT_TRUE(IsOk(store().CreateUser(u)));
  auto got = store().GetUser("u_1");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(u));
}

TEST_P(StoreConformance, CreateUserWithTakenEmailIsAlreadyExists) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().CreateUser(MakeUser("u_2", "ada@example.com"))));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUser("u_2")));
  EXPECT_EQ(*store().CountUsers(), 1);
}

TEST_P(StoreConformance, CreateUserWithTakenIdIsAlreadyExists) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().CreateUser(MakeUser("u_1", "bob@example.com"))));
  EXPECT_EQ(store().GetUser("u_1")->email, "ada@example.com");
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUserByEmail("bob@example.com")));
}

TEST_P(StoreConformance, GetUserOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUser("u_missing")));
}

TEST_P(StoreConformance, GetUserByEmailFindsTheUser) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  auto got = store().GetUserByEmail("bob@example.com");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got->user_id, "u_2");
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUserByEmail("carol@example.com")));
}

TEST_P(StoreConformance, ListUsersIsOrderedByEmail) {
  auto empty = store().ListUsers();
  ASSERT_TRUE(IsOk(empty));
  EXPECT_TRUE(empty->empty());
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "carol@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_3", "bob@example.com"))));
  auto users = store().ListUsers();
  ASSERT_TRUE(IsOk(users));
  EXPECT_EQ(Ids(*users, [](const User& u) { return u.email; }),
            (std::vector<std::string>{"ada@example.com", "bob@example.com", "carol@example.com"}));
}

TEST_P(StoreConformance, UpdateUserReplacesTheStoredUser) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  User u = MakeUser("u_1", "ada.lovelace@example.com");
  u.role = domain::Role::kAdmin;
  u.teams = {"green"};
  u.disabled = true;
  u.password_hash = "$argon2id$new";
  u.updated_at_ms = 1'800'000'000'000;
  ASSERT_TRUE(IsOk(store().UpdateUser(u)));
  EXPECT_EQ(Fields(*store().GetUser("u_1")), Fields(u));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUserByEmail("ada@example.com")));
  EXPECT_EQ(store().GetUserByEmail("ada.lovelace@example.com")->user_id, "u_1");
}

TEST_P(StoreConformance, UpdateUserKeepingItsOwnEmailSucceeds) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  User u = MakeUser("u_1", "ada@example.com");
  u.disabled = true;
  EXPECT_TRUE(IsOk(store().UpdateUser(u)));
  EXPECT_TRUE(store().GetUser("u_1")->disabled);
}

TEST_P(StoreConformance, UpdateUserOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().UpdateUser(MakeUser("u_missing", "x@example.com"))));
  EXPECT_EQ(*store().CountUsers(), 0);
}

TEST_P(StoreConformance, UpdateUserToTakenEmailIsAlreadyExistsAndChangesNothing) {
  User ada = MakeUser("u_1", "ada@example.com");
  ASSERT_TRUE(IsOk(store().CreateUser(ada)));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  User clash = MakeUser("u_1", "bob@example.com");
  clash.disabled = true;
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().UpdateUser(clash)));
  EXPECT_EQ(Fields(*store().GetUser("u_1")), Fields(ada));
  EXPECT_EQ(store().GetUserByEmail("bob@example.com")->user_id, "u_2");
}

TEST_P(StoreConformance, DeleteUserRemovesTheUserAndOnlyTheirSessions) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h2", "u_1", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h3", "u_2", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().DeleteUser("u_1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUser("u_1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUserByEmail("ada@example.com")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h2")));
  EXPECT_TRUE(IsOk(store().GetSession("h3")));
  // The email is free again.
  EXPECT_TRUE(IsOk(store().CreateUser(MakeUser("u_3", "ada@example.com"))));
}

TEST_P(StoreConformance, DeleteUserOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().DeleteUser("u_missing")));
}

TEST_P(StoreConformance, CountUsersCountsEveryUser) {
  EXPECT_EQ(*store().CountUsers(), 0);
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  User disabled = MakeUser("u_2", "bob@example.com");
  disabled.disabled = true;
  ASSERT_TRUE(IsOk(store().CreateUser(disabled)));
  EXPECT_EQ(*store().CountUsers(), 2);
  ASSERT_TRUE(IsOk(store().DeleteUser("u_1")));
  EXPECT_EQ(*store().CountUsers(), 1);
}

// ---- Sessions -------------------------------------------------------------------------------------------

TEST_P(StoreConformance, CreateSessionThenGetRoundTripsEveryField) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  Session s = MakeSession("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "u_1", 1'700'086'400'000);
  ASSERT_TRUE(IsOk(store().CreateSession(s, kManySessions)));
  auto got = store().GetSession(s.token_hash);
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(s));
}

TEST_P(StoreConformance, CreateSessionWithTakenTokenHashIsAlreadyExists) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), kManySessions)));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists,
                 store().CreateSession(MakeSession("h1", "u_2", 2'000'000'000'000), kManySessions)));
  EXPECT_EQ(store().GetSession("h1")->user_id, "u_1");
}

TEST_P(StoreConformance, GetSessionOfUnknownHashIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("nope")));
}

TEST_P(StoreConformance, GetSessionReturnsExpiredSessions) {
  // Expiry is the caller's business: the store hands back what it has.
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 1), kManySessions)));
  auto got = store().GetSession("h1");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got->expires_at_ms, 1);
}

TEST_P(StoreConformance, DeleteSessionIsIdempotent) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), kManySessions)));
  EXPECT_TRUE(IsOk(store().DeleteSession("h1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
  EXPECT_TRUE(IsOk(store().DeleteSession("h1")));
  EXPECT_TRUE(IsOk(store().DeleteSession("never-existed")));
}

TEST_P(StoreConformance, DeleteSessionsOfUserRemovesOnlyThatUsersSessions) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h2", "u_1", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h3", "u_2", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().DeleteSessionsOfUser("u_1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h2")));
  EXPECT_TRUE(IsOk(store().GetSession("h3")));
  EXPECT_TRUE(IsOk(store().GetUser("u_1")));               // the user stays
  EXPECT_TRUE(IsOk(store().DeleteSessionsOfUser("u_1")));  // nothing left: still OK
}

TEST_P(StoreConformance, DeleteExpiredSessionsDeletesUpToAndIncludingNowAndCounts) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("past", "u_1", 999), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("now", "u_1", 1000), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("future", "u_1", 1001), kManySessions)));
  auto deleted = store().DeleteExpiredSessions(1000);
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(*deleted, 2);
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("past")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("now")));
  EXPECT_TRUE(IsOk(store().GetSession("future")));
  EXPECT_EQ(*store().DeleteExpiredSessions(1000), 0);
}

TEST_P(StoreConformance, CreateSessionEvictsTheUsersOldestSessionsBeyondTheCap) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("bob", "u_2", 2'000'000'000'000), 1)));
  for (int i = 1; i <= 5; ++i) {
    Session s = MakeSession("h" + std::to_string(i), "u_1", 2'000'000'000'000);
    s.created_at_ms = 1'700'000'000'000 + i;
    ASSERT_TRUE(IsOk(store().CreateSession(s, 3)));
  }
  // The three newest stay; the two oldest are gone; another user's session is untouched.
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h2")));
  EXPECT_TRUE(IsOk(store().GetSession("h3")));
  EXPECT_TRUE(IsOk(store().GetSession("h4")));
  EXPECT_TRUE(IsOk(store().GetSession("h5")));
  EXPECT_TRUE(IsOk(store().GetSession("bob")));
}

TEST_P(StoreConformance, CreateSessionNeverEvictsTheNewSessionEvenIfItLooksOldest) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  Session a = MakeSession("a", "u_1", 2'000'000'000'000);
  a.created_at_ms = 2000;
  Session b = MakeSession("b", "u_1", 2'000'000'000'000);
  b.created_at_ms = 3000;
  Session late = MakeSession("late", "u_1", 2'000'000'000'000);
  late.created_at_ms = 1000;  // the clock stepped back
  ASSERT_TRUE(IsOk(store().CreateSession(a, 2)));
  ASSERT_TRUE(IsOk(store().CreateSession(b, 2)));
  ASSERT_TRUE(IsOk(store().CreateSession(late, 2)));
  EXPECT_TRUE(IsOk(store().GetSession("late")));
  EXPECT_TRUE(IsOk(store().GetSession("b")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("a")));
}

TEST_P(StoreConformance, CreateSessionWithACapOutOfRangeIsInvalidArgumentAndStoresNothing) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), 0)));
  EXPECT_TRUE(
      Is(StatusCode::kInvalidArgument, store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), 10001)));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
}

TEST_P(StoreConformance, CreateSessionThatFailsEvictsNothing) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), 1)));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), 1)));
  EXPECT_TRUE(IsOk(store().GetSession("h1")));
}

// ---- Teams ----------------------------------------------------------------------------------------------

TEST_P(StoreConformance, PutTeamCreatesAndListTeamsIsOrderedById) {
  ASSERT_TRUE(IsOk(store().PutTeam({"red", "Red team", 3})));
  ASSERT_TRUE(IsOk(store().PutTeam({"blue", "Blue team", 1})));
  ASSERT_TRUE(IsOk(store().PutTeam({"green", "Green team", 2})));
  auto teams = store().ListTeams();
  ASSERT_TRUE(IsOk(teams));
  ASSERT_EQ(teams->size(), 3u);
  EXPECT_EQ(Fields((*teams)[0]), Fields(Team{"blue", "Blue team", 1}));
  EXPECT_EQ(Fields((*teams)[1]), Fields(Team{"green", "Green team", 2}));
  EXPECT_EQ(Fields((*teams)[2]), Fields(Team{"red", "Red team", 3}));
}

TEST_P(StoreConformance, PutTeamOnExistingIdRenames) {
  ASSERT_TRUE(IsOk(store().PutTeam({"red", "Red team", 3})));
  ASSERT_TRUE(IsOk(store().PutTeam({"red", "Crimson", 3})));
  auto teams = store().ListTeams();
  ASSERT_TRUE(IsOk(teams));
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ((*teams)[0].name, "Crimson");
}

TEST_P(StoreConformance, DeleteTeamRemovesOnlyTheTeam) {
  ASSERT_TRUE(IsOk(store().PutTeam({"red", "Red team", 1})));
  ASSERT_TRUE(IsOk(store().PutTeam({"blue", "Blue team", 1})));
  User u = MakeUser("u_1", "ada@example.com");
  u.teams = {"red"};
  ASSERT_TRUE(IsOk(store().CreateUser(u)));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod", {"red"}))));

  ASSERT_TRUE(IsOk(store().DeleteTeam("red")));
  auto teams = store().ListTeams();
  ASSERT_TRUE(IsOk(teams));
  EXPECT_EQ(Ids(*teams, [](const Team& t) { return t.team_id; }), std::vector<std::string>{"blue"});
  // "Does not touch users or accounts that name the team."
  EXPECT_EQ(store().GetUser("u_1")->teams, std::vector<std::string>{"red"});
  EXPECT_EQ(store().GetAccount("111111111111")->teams, std::vector<std::string>{"red"});
  AccountFilter by_team;
  by_team.any_of_teams = {"red"};
  EXPECT_EQ(store().ListAccounts(by_team)->total, 1);
}

TEST_P(StoreConformance, DeleteTeamOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().DeleteTeam("nope")));
}

// ---- Accounts -------------------------------------------------------------------------------------------

TEST_P(StoreConformance, CreateAccountThenGetRoundTripsEveryField) {
  Account a = MakeAccount("123456789012", "Production", {"blue", "red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account role = MakeAccount("210987654321", "Staging", {});
  role.credential_type = domain::CredentialType::kAssumeRole;
  role.access_key_id_masked = "";
  role.role_arn = "arn:aws:iam::210987654321:role/platform";
  role.status = AccountStatus::kInactive;
  role.version = 7;
  ASSERT_TRUE(IsOk(store().CreateAccount(role)));

  auto got = store().GetAccount("123456789012");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(a));
  auto got_role = store().GetAccount("210987654321");  // inactive accounts are returned
  ASSERT_TRUE(IsOk(got_role));
  EXPECT_EQ(Fields(*got_role), Fields(role));
}

TEST_P(StoreConformance, CreateAccountWithTakenIdIsAlreadyExistsWhateverItsStatus) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Old", {}, AccountStatus::kInactive))));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().CreateAccount(MakeAccount("111111111111", "New"))));
  EXPECT_EQ(store().GetAccount("111111111111")->account_name, "Old");
}

TEST_P(StoreConformance, GetAccountOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetAccount("999999999999")));
}

TEST_P(StoreConformance, ListAccountsIsOrderedByNameCaseInsensitiveThenId) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "beta"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Alpha"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Beta"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "alpha"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("555555555555", "Charlie"))));
  auto page = store().ListAccounts({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AccountIds(*page),
            (std::vector<std::string>{"222222222222", "444444444444", "111111111111", "333333333333", "555555555555"}));
  EXPECT_EQ(page->total, 5);
}

TEST_P(StoreConformance, ListAccountsOnEmptyStoreIsEmpty) {
  auto page = store().ListAccounts({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->total, 0);
}

TEST_P(StoreConformance, ListAccountsFiltersByStatus) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B", {}, AccountStatus::kInactive))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "C"))));
  AccountFilter f;
  f.status = AccountStatus::kActive;
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "333333333333"}));
  f.status = AccountStatus::kInactive;
  auto inactive = store().ListAccounts(f);
  EXPECT_EQ(AccountIds(*inactive), std::vector<std::string>{"222222222222"});
  EXPECT_EQ(inactive->total, 1);
}

TEST_P(StoreConformance, ListAccountsFiltersByAnyOfTeams) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B", {"blue", "red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "C", {"blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "D", {}))));
  AccountFilter f;
  f.any_of_teams = {"red"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "222222222222"}));
  f.any_of_teams = {"blue", "green"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"222222222222", "333333333333"}));
  f.any_of_teams = {"blue", "red"};  // an account in both teams is listed once
  auto both = store().ListAccounts(f);
  EXPECT_EQ(AccountIds(*both), (std::vector<std::string>{"111111111111", "222222222222", "333333333333"}));
  EXPECT_EQ(both->total, 3);
  f.any_of_teams = {"green"};
  EXPECT_TRUE(store().ListAccounts(f)->items.empty());
  f.restrict_to_teams = true;  // restrict with a non-empty list behaves the same
  f.any_of_teams = {"red"};
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "222222222222"}));
}

TEST_P(StoreConformance, ListAccountsRestrictedToNoTeamsMatchesNothing) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B", {}))));
  AccountFilter f;
  f.restrict_to_teams = true;
  auto page = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->total, 0);
  f.restrict_to_teams = false;  // an empty list without restriction means "any team or none"
  EXPECT_EQ(store().ListAccounts(f)->total, 2);
}

TEST_P(StoreConformance, ListAccountsSearchesNameCaseInsensitively) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Production EU"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "staging"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "PRODUCTION US"))));
  AccountFilter f;
  f.search = "duct";  // a substring, not only a prefix
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), (std::vector<std::string>{"111111111111", "333333333333"}));
  f.search = "StAg";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"222222222222"});
  f.search = "qa";
  EXPECT_EQ(store().ListAccounts(f)->total, 0);
}

TEST_P(StoreConformance, ListAccountsSearchMatchesAccountIdByPrefixOnly) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("123456789012", "First"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("912345678901", "Second"))));
  AccountFilter f;
  f.search = "1234";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"123456789012"});
  f.search = "123456789012";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"123456789012"});
  f.search = "9012";  // inside both ids, a prefix of neither
  EXPECT_EQ(store().ListAccounts(f)->total, 0);
}

TEST_P(StoreConformance, ListAccountsSearchTreatsWildcardCharactersLiterally) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "100% prod"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "1000 prod"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "dev_box"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "devXbox"))));
  AccountFilter f;
  f.search = "0%";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"111111111111"});
  f.search = "v_b";
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"333333333333"});
}

TEST_P(StoreConformance, ListAccountsCombinesFilters) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod A", {"red"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Prod B", {"red"}, AccountStatus::kInactive))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("333333333333", "Prod C", {"blue"}))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("444444444444", "Dev D", {"red"}))));
  AccountFilter f;
  f.status = AccountStatus::kActive;
  f.any_of_teams = {"red"};
  f.search = "prod";
  auto page = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AccountIds(*page), std::vector<std::string>{"111111111111"});
  EXPECT_EQ(page->total, 1);
  f.search = "4444";  // id prefix combined with status and team
  EXPECT_EQ(AccountIds(*store().ListAccounts(f)), std::vector<std::string>{"444444444444"});
}

TEST_P(StoreConformance, ListAccountsPaginatesAndReportsTheTotalBeforePaging) {
  for (int i = 0; i < 7; ++i) {
    std::string id = std::string(11, '0') + std::to_string(i);
    ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount(id, "Account " + std::to_string(i), {"red"}))));
  }
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("999999999999", "Other", {"blue"}))));
  AccountFilter f;
  f.any_of_teams = {"red"};
  f.limit = 3;
  std::vector<std::string> seen;
  for (f.offset = 0; f.offset < 9; f.offset += 3) {
    auto page = store().ListAccounts(f);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 7) << "offset " << f.offset;
    EXPECT_LE(page->items.size(), 3u);
    for (const Account& a : page->items) seen.push_back(a.account_id);
  }
  std::vector<std::string> want;
  for (int i = 0; i < 7; ++i) want.push_back(std::string(11, '0') + std::to_string(i));
  EXPECT_EQ(seen, want);

  f.offset = 100;  // past the end: no items, but the total still counts the matches
  auto beyond = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(beyond));
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 7);

  f.offset = 0;
  f.limit = 1000;
  EXPECT_EQ(store().ListAccounts(f)->items.size(), 7u);
}

TEST_P(StoreConformance, UpdateAccountWithTheStoredVersionReplacesIt) {
  Account a = MakeAccount("111111111111", "Prod", {"red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account b = a;
  b.account_name = "Production";
  b.regions = {"us-west-2"};
  b.teams = {"blue"};
  b.status = AccountStatus::kInactive;
  b.credential_type = domain::CredentialType::kAssumeRole;
  b.access_key_id_masked = "";
  b.role_arn = "arn:aws:iam::111111111111:role/x";
  b.sealed_credentials = std::string("\x00new", 4);
  b.updated_at_ms = 1'800'000'000'000;
  b.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(b, 1)));
  EXPECT_EQ(Fields(*store().GetAccount("111111111111")), Fields(b));

  // The team index follows the update.
  AccountFilter f;
  f.any_of_teams = {"red"};
  EXPECT_EQ(store().ListAccounts(f)->total, 0);
  f.any_of_teams = {"blue"};
  EXPECT_EQ(store().ListAccounts(f)->total, 1);

  Account c = b;
  c.version = 3;
  EXPECT_TRUE(IsOk(store().UpdateAccount(c, 2)));
  EXPECT_EQ(store().GetAccount("111111111111")->version, 3);
}

TEST_P(StoreConformance, UpdateAccountWithAStaleVersionIsFailedPreconditionAndChangesNothing) {
  Account a = MakeAccount("111111111111", "Prod", {"red"});
  ASSERT_TRUE(IsOk(store().CreateAccount(a)));
  Account first = a;
  first.account_name = "First writer";
  first.version = 2;
  ASSERT_TRUE(IsOk(store().UpdateAccount(first, 1)));

  Account second = a;  // read before the first update: still believes version 1
  second.account_name = "Second writer";
  second.teams = {"blue"};
  second.version = 2;
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().UpdateAccount(second, 1)));
  EXPECT_EQ(Fields(*store().GetAccount("111111111111")), Fields(first));
  AccountFilter f;
  f.any_of_teams = {"blue"};
  EXPECT_EQ(store().ListAccounts(f)->total, 0);

  second.version = 4;  // a version from the future is just as stale
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().UpdateAccount(second, 3)));
}

TEST_P(StoreConformance, UpdateAccountOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().UpdateAccount(MakeAccount("999999999999", "X"), 1)));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetAccount("999999999999")));
}

// ---- Contact information --------------------------------------------------------------------------------

TEST_P(StoreConformance, GetContactInfoBeforeAnyPutIsNotFound) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod"))));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("111111111111")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("999999999999")));
}

TEST_P(StoreConformance, PutContactInfoCreatesThenReplaces) {
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "Prod"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "Dev"))));
  ContactInfo c = MakeContact("Ada Lovelace");
  ASSERT_TRUE(IsOk(store().PutContactInfo("111111111111", c)));
  auto got = store().GetContactInfo("111111111111");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Fields(*got), Fields(c));

  ContactInfo d = MakeContact("Grace Hopper");
  d.address_line2 = "";
  d.address_line3 = "";
  d.updated_at_ms = 1'800'000'000'000;
  ASSERT_TRUE(IsOk(store().PutContactInfo("111111111111", d)));
  EXPECT_EQ(Fields(*store().GetContactInfo("111111111111")), Fields(d));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("222222222222")));  // per account
}

TEST_P(StoreConformance, PutContactInfoOnUnknownAccountIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().PutContactInfo("999999999999", MakeContact("Nobody"))));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetContactInfo("999999999999")));
}

// ---- Quota cache ----------------------------------------------------------------------------------------

QuotaSnapshot RichSnapshot() {
  QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.updated_at_ms = 1'700'000'500'000;
  QuotaValue ok = Value("L-00000001", 400000.0, QuotaState::kOk);
  ok.read_at_ms = 1'700'000'400'000;
  ok.attempted_at_ms = 1'700'000'400'000;
  QuotaValue def = Value("L-00000002", 0.25, QuotaState::kOk);  // fractional values survive exactly
  def.is_default = true;
  def.read_at_ms = 1'700'000'400'001;
  def.attempted_at_ms = 1'700'000'400'001;
  QuotaValue stale = Value("L-00000003", 2000.0, QuotaState::kStale);
  stale.reason = "ThrottlingException: Rate exceeded";
  stale.read_at_ms = 1'690'000'000'000;
  stale.attempted_at_ms = 1'700'000'400'002;
  QuotaValue error = Value("L-00000004", std::nullopt, QuotaState::kError);
  error.reason = "AccessDeniedException";
  error.attempted_at_ms = 1'700'000'400'003;
  QuotaValue never = Value("L-00000005", std::nullopt, QuotaState::kNever);
  QuotaValue zero = Value("L-00000006", 0.0, QuotaState::kOk);  // a real zero is not "absent"
  zero.read_at_ms = 1'700'000'400'004;
  s.values = {ok, def, stale, error, never, zero};
  return s;
}

TEST_P(StoreConformance, GetQuotaSnapshotWithNothingCachedIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaSnapshot("111111111111", "us-east-1")));
}

TEST_P(StoreConformance, PutQuotaSnapshotStoresValuesExactlyAndAbsentStaysAbsent) {
  QuotaSnapshot s = RichSnapshot();
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  auto got = store().GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(s, *got);
  const QuotaValue* error = got->Find("L-00000004");
  ASSERT_NE(error, nullptr);
  EXPECT_FALSE(error->value.has_value()) << "an absent value came back as " << error->value.value_or(-1);
  const QuotaValue* never = got->Find("L-00000005");
  ASSERT_NE(never, nullptr);
  EXPECT_FALSE(never->value.has_value());
  const QuotaValue* zero = got->Find("L-00000006");
  ASSERT_NE(zero, nullptr);
  ASSERT_TRUE(zero->value.has_value());
  EXPECT_EQ(*zero->value, 0.0);
}

TEST_P(StoreConformance, PutQuotaSnapshotKeepsExtremeDoublesExact) {
  QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.values = {Value("L-00000001", 0.1, QuotaState::kOk), Value("L-00000002", 1e300, QuotaState::kOk),
              Value("L-00000003", 9007199254740993.0, QuotaState::kOk),
              Value("L-00000004", std::numeric_limits<double>::infinity(), QuotaState::kOk),
              Value("L-00000005", -1.5, QuotaState::kOk)};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  ExpectSameSnapshot(s, *store().GetQuotaSnapshot("111111111111", "us-east-1"));
}

TEST_P(StoreConformance, GetQuotaSnapshotReturnsValuesSortedByQuotaCode) {
  QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.values = {Value("L-CCCCCCCC", 3.0, QuotaState::kOk), Value("L-AAAAAAAA", 1.0, QuotaState::kOk),
              Value("L-BBBBBBBB", 2.0, QuotaState::kOk)};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  auto got = store().GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Ids(got->values, [](const QuotaValue& v) { return v.quota_code; }),
            (std::vector<std::string>{"L-AAAAAAAA", "L-BBBBBBBB", "L-CCCCCCCC"}));
}

TEST_P(StoreConformance, PutQuotaSnapshotReplacesTheWholeSnapshot) {
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(RichSnapshot())));
  QuotaSnapshot next;
  next.account_id = "111111111111";
  next.region = "us-east-1";
  next.updated_at_ms = 1'800'000'000'000;
  QuotaValue changed = Value("L-00000001", std::nullopt, QuotaState::kError);  // a value can become absent
  changed.reason = "gone";
  next.values = {changed, Value("L-00000009", 5.0, QuotaState::kOk)};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(next)));
  auto got = store().GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(next, *got);  // L-00000002..6 are gone
  EXPECT_EQ(got->Find("L-00000002"), nullptr);
}

TEST_P(StoreConformance, PutQuotaSnapshotWithNoValuesIsStillASnapshot) {
  QuotaSnapshot empty;
  empty.account_id = "111111111111";
  empty.region = "eu-west-1";
  empty.updated_at_ms = 42;
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(empty)));
  auto got = store().GetQuotaSnapshot("111111111111", "eu-west-1");
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(empty, *got);
  auto all = store().ListQuotaSnapshots();
  ASSERT_TRUE(IsOk(all));
  ASSERT_EQ(all->size(), 1u);
  ExpectSameSnapshot(empty, (*all)[0]);
}

TEST_P(StoreConformance, QuotaSnapshotsAreKeptPerAccountAndRegion) {
  QuotaSnapshot a = RichSnapshot();
  QuotaSnapshot b = RichSnapshot();
  b.region = "eu-west-1";
  b.values.resize(1);
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(a)));
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(b)));
  ExpectSameSnapshot(a, *store().GetQuotaSnapshot("111111111111", "us-east-1"));
  ExpectSameSnapshot(b, *store().GetQuotaSnapshot("111111111111", "eu-west-1"));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaSnapshot("222222222222", "us-east-1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaSnapshot("111111111111", "us-west-2")));
}

TEST_P(StoreConformance, ListQuotaSnapshotsIsOrderedByAccountThenRegion) {
  auto none = store().ListQuotaSnapshots();
  ASSERT_TRUE(IsOk(none));
  EXPECT_TRUE(none->empty());
  std::vector<QuotaSnapshot> want;
  for (const char* account : {"222222222222", "111111111111"}) {
    for (const char* region : {"us-west-2", "eu-west-1", "us-east-1"}) {
      QuotaSnapshot s;
      s.account_id = account;
      s.region = region;
      s.updated_at_ms = 7;
      s.values = {Value("L-00000002", std::nullopt, QuotaState::kNever), Value("L-00000001", 10.0, QuotaState::kOk)};
      ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
      std::sort(s.values.begin(), s.values.end(),
                [](const QuotaValue& x, const QuotaValue& y) { return x.quota_code < y.quota_code; });
      want.push_back(s);
    }
  }
  std::sort(want.begin(), want.end(), [](const QuotaSnapshot& x, const QuotaSnapshot& y) {
    return std::tie(x.account_id, x.region) < std::tie(y.account_id, y.region);
  });
  auto all = store().ListQuotaSnapshots();
  ASSERT_TRUE(IsOk(all));
  ASSERT_EQ(all->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) ExpectSameSnapshot(want[i], (*all)[i]);
}

// ---- Quota config ---------------------------------------------------------------------------------------

QuotaConfig MakeConfig(int64_t version) {
  QuotaConfig c;
  c.updated_at_ms = 1'700'000'000'000 + version;
  c.updated_by = version == 1 ? "system" : "u_admin";
  c.version = version;
  ModelSpec full = Model("claude-sonnet-4.5-v1", "L-11111111", "L-22222222");
  full.show_in_dashboard = true;
  full.has_1m_context = true;
  full.quota_code_tpm_1m = "L-33333333";
  full.quota_code_rpm_1m = std::nullopt;  // null 1M code next to a set one
  ModelSpec tpm_only = Model("claude-haiku-3-v1", "L-44444444", std::nullopt);
  ModelSpec disabled = Model("claude-opus-4-v1", std::nullopt, std::nullopt);
  disabled.enabled = false;
  ModelSpec empty_code = Model("claude-test-v1", std::string(), std::nullopt);  // "" is not null
  c.models = {full, tpm_only, disabled, empty_code};
  return c;
}

TEST_P(StoreConformance, GetQuotaConfigBeforeTheFirstPutIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaConfig()));
}

TEST_P(StoreConformance, PutQuotaConfigWithExpectedZeroStoresTheFirstVersionExactly) {
  QuotaConfig c = MakeConfig(1);
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(c, 0)));
  auto got = store().GetQuotaConfig();
  ASSERT_TRUE(IsOk(got));
  ExpectSameConfig(c, *got);
  EXPECT_FALSE(got->models[2].quota_code_tpm.has_value());
  ASSERT_TRUE(got->models[3].quota_code_tpm.has_value());
  EXPECT_EQ(*got->models[3].quota_code_tpm, "");
}

TEST_P(StoreConformance, PutQuotaConfigWithTheStoredVersionReplacesTheDocument) {
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(MakeConfig(1), 0)));
  QuotaConfig next = MakeConfig(2);
  next.models.erase(next.models.begin());     // fewer models: the dropped one must not linger
  std::swap(next.models[0], next.models[1]);  // document order is kept, not sorted
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(next, 1)));
  ExpectSameConfig(next, *store().GetQuotaConfig());
  QuotaConfig empty = MakeConfig(3);
  empty.models.clear();
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(empty, 2)));
  ExpectSameConfig(empty, *store().GetQuotaConfig());
}

TEST_P(StoreConformance, PutQuotaConfigWithAStaleVersionIsFailedPreconditionAndChangesNothing) {
  QuotaConfig v1 = MakeConfig(1);
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(v1, 0)));
  QuotaConfig again = MakeConfig(1);
  again.updated_by = "u_other";
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().PutQuotaConfig(again, 0)));
  QuotaConfig ahead = MakeConfig(3);
  ahead.models.clear();
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().PutQuotaConfig(ahead, 2)));
  ExpectSameConfig(v1, *store().GetQuotaConfig());
}

TEST_P(StoreConformance, PutQuotaConfigExpectingAVersionWhenNothingIsStoredIsFailedPrecondition) {
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().PutQuotaConfig(MakeConfig(2), 1)));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaConfig()));
}

TEST_P(StoreConformance, PutQuotaConfigWhoseVersionIsNotExpectedPlusOneIsRejected) {
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(MakeConfig(1), 0)));
  QuotaConfig skip = MakeConfig(5);
  EXPECT_FALSE(store().PutQuotaConfig(skip, 1).ok());  // REQUIRES config.version == expected + 1
  EXPECT_EQ(store().GetQuotaConfig()->version, 1);
}

// ---- Audit log ------------------------------------------------------------------------------------------

TEST_P(StoreConformance, AppendAuditAssignsIncreasingSeqAndReturnsTheStoredEntry) {
  AuditEntry e = MakeAudit("a_1", 1000, "u_1", "account.create");
  e.seq = 12345;  // ignored: the store assigns seq
  auto first = store().AppendAudit(e);
  ASSERT_TRUE(IsOk(first));
  EXPECT_GT(first->seq, 0);
  AuditEntry want = e;
  want.seq = first->seq;
  EXPECT_EQ(Fields(*first), Fields(want));
  int64_t last = first->seq;
  for (int i = 2; i <= 5; ++i) {
    auto next = store().AppendAudit(MakeAudit("a_" + std::to_string(i), 1000, "u_1", "account.update"));
    ASSERT_TRUE(IsOk(next));
    EXPECT_GT(next->seq, last);
    last = next->seq;
  }
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 5u);
  EXPECT_EQ(Fields(page->items.back()), Fields(want));  // every field round-trips
}

TEST_P(StoreConformance, AppendAuditStoresCountAndRaisesLastAtToAtLeastAt) {
  AuditEntry e = MakeAudit("a_1", 5000, "u_1", "auth.login");
  e.count = 3;
  e.last_at_ms = 0;
  auto stored = store().AppendAudit(e);
  ASSERT_TRUE(IsOk(stored));
  EXPECT_EQ(stored->count, 3);
  EXPECT_EQ(stored->last_at_ms, 5000);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].count, 3);
  EXPECT_EQ(page->items[0].last_at_ms, 5000);
  AuditEntry zero = MakeAudit("a_2", 5000, "u_1", "auth.login");
  zero.count = 0;
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().AppendAudit(zero)));
}

TEST_P(StoreConformance, AppendAuditDurableStoresTheEntryLikeANormalAppend) {
  AuditEntry e = MakeAudit("a_1", 1000, "u_1", "credentials.export");
  auto stored = store().AppendAudit(e, Durability::kSync);
  ASSERT_TRUE(IsOk(stored));
  auto after = store().AppendAudit(MakeAudit("a_2", 1000, "u_1", "account.update"));  // back to normal writes
  ASSERT_TRUE(IsOk(after));
  EXPECT_GT(after->seq, stored->seq);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 2u);
  AuditEntry want = e;
  want.seq = stored->seq;
  EXPECT_EQ(Fields(page->items[1]), Fields(want));
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().AppendAudit(e, Durability::kSync)));
}

// An anonymous failed login from `ip` against `target` at `at_ms`.
AuditEntry FailedLogin(const std::string& id, int64_t at_ms, const std::string& target, const std::string& ip) {
  AuditEntry e = MakeAudit(id, at_ms, "anonymous", "auth.login", "user", target, "failure");
  e.actor_email = "";
  e.client_ip = ip;
  e.last_at_ms = 0;
  return e;
}

TEST_P(StoreConformance, AppendAuditCoalescedCountsTheSameKeyWithinTheWindowIntoOneEntry) {
  auto first = store().AppendAuditCoalesced(FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1"), 0);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(first->count, 1);
  EXPECT_EQ(first->last_at_ms, 1000);
  auto second = store().AppendAuditCoalesced(FailedLogin("a_2", 1500, "ada@example.com", "198.51.100.1"), 500);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(second->seq, first->seq);
  EXPECT_EQ(second->audit_id, "a_1");  // the first event's fields stay
  EXPECT_EQ(second->request_id, "req-a_1");
  EXPECT_EQ(second->count, 2);
  EXPECT_EQ(second->at_ms, 1000);
  EXPECT_EQ(second->last_at_ms, 1500);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].count, 2);
  EXPECT_EQ(page->items[0].last_at_ms, 1500);
}

TEST_P(StoreConformance, AppendAuditCoalescedFromAnotherAddressOrTargetOrOutcomeIsANewEntry) {
  ASSERT_TRUE(IsOk(store().AppendAuditCoalesced(FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1"), 0)));
  auto other_ip = store().AppendAuditCoalesced(FailedLogin("a_2", 1001, "ada@example.com", "198.51.100.2"), 0);
  auto other_target = store().AppendAuditCoalesced(FailedLogin("a_3", 1002, "bob@example.com", "198.51.100.1"), 0);
  AuditEntry denied = FailedLogin("a_4", 1003, "ada@example.com", "198.51.100.1");
  denied.outcome = "denied";
  auto other_outcome = store().AppendAuditCoalesced(denied, 0);
  AuditEntry logout = FailedLogin("a_5", 1004, "ada@example.com", "198.51.100.1");
  logout.action = "auth.logout";
  auto other_action = store().AppendAuditCoalesced(logout, 0);
  for (const auto* r : {&other_ip, &other_target, &other_outcome, &other_action}) {
    ASSERT_TRUE(IsOk(*r));
    EXPECT_EQ((*r)->count, 1);
  }
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_5", "a_4", "a_3", "a_2", "a_1"}));
}

TEST_P(StoreConformance, AppendAuditCoalescedAfterTheWindowIsANewEntry) {
  ASSERT_TRUE(IsOk(store().AppendAuditCoalesced(FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1"), 0)));
  ASSERT_TRUE(IsOk(store().AppendAuditCoalesced(FailedLogin("a_2", 1500, "ada@example.com", "198.51.100.1"), 900)));
  // The window starts after the first event of the entry: a new entry, which later events then join.
  auto later = store().AppendAuditCoalesced(FailedLogin("a_3", 2500, "ada@example.com", "198.51.100.1"), 1001);
  ASSERT_TRUE(IsOk(later));
  EXPECT_EQ(later->audit_id, "a_3");
  EXPECT_EQ(later->count, 1);
  auto joined = store().AppendAuditCoalesced(FailedLogin("a_4", 2600, "ada@example.com", "198.51.100.1"), 0);
  ASSERT_TRUE(IsOk(joined));
  EXPECT_EQ(joined->audit_id, "a_3");  // the newest matching entry
  EXPECT_EQ(joined->count, 2);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].count, 2);
  EXPECT_EQ(page->items[1].count, 2);
}

TEST_P(StoreConformance, AppendAuditCoalescedNeverMatchesPlainEntries) {
  AuditEntry plain = FailedLogin("a_1", 1000, "ada@example.com", "198.51.100.1");
  ASSERT_TRUE(IsOk(store().AppendAudit(plain)));
  auto coalesced = store().AppendAuditCoalesced(FailedLogin("a_2", 1001, "ada@example.com", "198.51.100.1"), 0);
  ASSERT_TRUE(IsOk(coalesced));
  EXPECT_EQ(coalesced->audit_id, "a_2");
  EXPECT_EQ(coalesced->count, 1);
}

TEST_P(StoreConformance, AppendAuditCoalescedFromManyThreadsLosesNoCount) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store().AppendAuditCoalesced(FailedLogin("a_" + std::to_string(t) + "_" + std::to_string(i), 1000 + i,
                                                          "ada@example.com", "198.51.100.1"),
                                              0);
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].count, kThreads * kEach);
}

TEST_P(StoreConformance, DeleteAuditBeforeDeletesOldestFirstInBoundedBatches) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("old_" + std::to_string(i), 1000 + i, "u_1", "auth.login"))));
  }
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("edge", 2000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("new", 3000, "u_1", "auth.login"))));
  auto first = store().DeleteAuditBefore(2000, 2);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(*first, 2);
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"new", "edge", "old_5", "old_4", "old_3"}));
  auto rest = store().DeleteAuditBefore(2000, 1000);  // at_ms < cutoff only: "edge" (2000) stays
  ASSERT_TRUE(IsOk(rest));
  EXPECT_EQ(*rest, 3);
  EXPECT_EQ(AuditIds(*store().ListAudit({})), (std::vector<std::string>{"new", "edge"}));
  EXPECT_EQ(*store().DeleteAuditBefore(2000, 1000), 0);  // idempotent
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().DeleteAuditBefore(2000, 0)));
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().DeleteAuditBefore(2000, 100001)));
}

TEST_P(StoreConformance, ListAuditIsNewestFirst) {
  // Newest by seq, not by at_ms: clocks may step back, the append order is the truth.
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_1", 3000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_2", 1000, "u_1", "auth.login"))));
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_3", 2000, "u_1", "auth.login"))));
  auto page = store().ListAudit({});
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_3", "a_2", "a_1"}));
  EXPECT_EQ(page->total, 3);
  EXPECT_GT(page->items[0].seq, page->items[1].seq);
  EXPECT_GT(page->items[1].seq, page->items[2].seq);
}

void AppendFilterFixture(Store& store) {
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_1", 1000, "u_1", "account.create", "account", "111111111111"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_2", 2000, "u_2", "account.update", "account", "222222222222"))));
  ASSERT_TRUE(IsOk(
      store.AppendAudit(MakeAudit("a_3", 3000, "u_1", "credentials.export", "account", "111111111111", "denied"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_4", 4000, "anonymous", "auth.login", "session", "", "failure"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_5", 5000, "u_2", "accounting.report", "report", "r1"))));
  ASSERT_TRUE(IsOk(store.AppendAudit(MakeAudit("a_6", 6000, "system", "account", "account", "111111111111"))));
}

TEST_P(StoreConformance, ListAuditFiltersByActor) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.actor_id = "u_1";
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_3", "a_1"}));
  EXPECT_EQ(page->total, 2);
}

TEST_P(StoreConformance, ListAuditFiltersByExactAction) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.action = "account.update";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_2"});
  f.action = "account";  // exact: neither "account.create" nor "accounting.report"
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_6"});
}

TEST_P(StoreConformance, ListAuditFiltersByActionPrefixWhenItEndsWithADot) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.action = "account.";  // not "accounting.report", not the bare "account"
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_2", "a_1"}));
  EXPECT_EQ(page->total, 2);
  f.action = "auth.";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_4"});
  f.action = "nothing.";
  EXPECT_EQ(store().ListAudit(f)->total, 0);
}

TEST_P(StoreConformance, ListAuditFiltersByTargetAndOutcome) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.target_type = "account";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), (std::vector<std::string>{"a_6", "a_3", "a_2", "a_1"}));
  f.target_id = "111111111111";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), (std::vector<std::string>{"a_6", "a_3", "a_1"}));
  f.outcome = "denied";
  EXPECT_EQ(AuditIds(*store().ListAudit(f)), std::vector<std::string>{"a_3"});
  AuditFilter by_outcome;
  by_outcome.outcome = "failure";
  EXPECT_EQ(AuditIds(*store().ListAudit(by_outcome)), std::vector<std::string>{"a_4"});
  AuditFilter by_id_only;
  by_id_only.target_id = "r1";
  EXPECT_EQ(AuditIds(*store().ListAudit(by_id_only)), std::vector<std::string>{"a_5"});
}

TEST_P(StoreConformance, ListAuditTimeRangeIsFromInclusiveToExclusive) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.from_ms = 2000;
  f.to_ms = 4000;
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), (std::vector<std::string>{"a_3", "a_2"}));
  EXPECT_EQ(page->total, 2);
  AuditFilter from_only;
  from_only.from_ms = 5000;
  EXPECT_EQ(AuditIds(*store().ListAudit(from_only)), (std::vector<std::string>{"a_6", "a_5"}));
  AuditFilter to_only;
  to_only.to_ms = 2000;
  EXPECT_EQ(AuditIds(*store().ListAudit(to_only)), std::vector<std::string>{"a_1"});
}

TEST_P(StoreConformance, ListAuditCombinesFilters) {
  AppendFilterFixture(store());
  AuditFilter f;
  f.actor_id = "u_1";
  f.action = "account.";
  f.target_type = "account";
  f.from_ms = 500;
  f.to_ms = 10000;
  auto page = store().ListAudit(f);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(AuditIds(*page), std::vector<std::string>{"a_1"});
  EXPECT_EQ(page->total, 1);
}

TEST_P(StoreConformance, ListAuditPaginatesAndReportsTheTotalBeforePaging) {
  for (int i = 1; i <= 12; ++i) {
    ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("a_" + std::to_string(i), i, "u_1", "auth.login"))));
  }
  ASSERT_TRUE(IsOk(store().AppendAudit(MakeAudit("other", 99, "u_2", "auth.login"))));
  AuditFilter f;
  f.actor_id = "u_1";
  f.limit = 5;
  std::vector<std::string> seen;
  for (f.offset = 0; f.offset < 15; f.offset += 5) {
    auto page = store().ListAudit(f);
    ASSERT_TRUE(IsOk(page));
    EXPECT_EQ(page->total, 12);
    for (const AuditEntry& e : page->items) seen.push_back(e.audit_id);
  }
  std::vector<std::string> want;
  for (int i = 12; i >= 1; --i) want.push_back("a_" + std::to_string(i));
  EXPECT_EQ(seen, want);
  f.offset = 50;
  auto beyond = store().ListAudit(f);
  ASSERT_TRUE(IsOk(beyond));
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 12);
}

// ---- Concurrency ----------------------------------------------------------------------------------------

TEST_P(StoreConformance, ConcurrentAuditWritesAndAccountReadsAllSucceed) {
  for (int i = 0; i < 10; ++i) {
    std::string id = "11111111110" + std::to_string(i);
    ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount(id, "Account " + std::to_string(i), {"red"}))));
  }
  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = store().AppendAudit(
            MakeAudit("a_" + std::to_string(t) + "_" + std::to_string(i), i, "u_" + std::to_string(t), "auth.login"));
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << r.status().ToString();
        }
      }
    });
  }
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        AccountFilter f;
        f.any_of_teams = {"red"};
        auto page = store().ListAccounts(f);
        if (!page.ok() || page->total != 10) {
          ++failures;
          ADD_FAILURE() << (page.ok() ? "wrong total " + std::to_string(page->total) : page.status().ToString());
        }
        auto one = store().GetAccount("111111111100");
        if (!one.ok()) {
          ++failures;
          ADD_FAILURE() << one.status().ToString();
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  AuditFilter all;
  all.limit = 1000;
  auto page = store().ListAudit(all);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(page->total, kWriters * kPerThread);
  std::set<int64_t> seqs;
  for (const AuditEntry& e : page->items) seqs.insert(e.seq);
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kWriters * kPerThread)) << "seq values must be unique";
  for (size_t i = 1; i < page->items.size(); ++i) EXPECT_GT(page->items[i - 1].seq, page->items[i].seq);
}

}  // namespace
}  // namespace ap::store::testing
