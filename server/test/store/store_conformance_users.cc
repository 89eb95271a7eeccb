// Conformance: users, sessions and teams (user_store.h, session_store.h). Each test names the clause of the store
// interface it checks.
#include "store/cursor.h"
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

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

std::vector<std::string> Emails(const UserPage& page) {
  return Ids(page.items, [](const User& u) { return u.email; });
}

TEST_P(StoreConformance, ListUsersIsOrderedByEmail) {
  auto empty = store().ListUsers("", 50);
  ASSERT_TRUE(IsOk(empty));
  EXPECT_TRUE(empty->items.empty());
  EXPECT_TRUE(empty->next.empty());
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "carol@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_3", "bob@example.com"))));
  auto users = store().ListUsers("", 50);
  ASSERT_TRUE(IsOk(users));
  EXPECT_EQ(Emails(*users), (std::vector<std::string>{"ada@example.com", "bob@example.com", "carol@example.com"}));
  EXPECT_TRUE(users->next.empty());
}

TEST_P(StoreConformance, ListUsersPagesByCursorStablyUnderInserts) {
  for (const char* name : {"b", "d", "f", "h", "j"}) {
    ASSERT_TRUE(IsOk(store().CreateUser(MakeUser(std::string("u_") + name, std::string(name) + "@example.com"))));
  }
  auto first = store().ListUsers("", 2);
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(Emails(*first), (std::vector<std::string>{"b@example.com", "d@example.com"}));
  ASSERT_FALSE(first->next.empty());
  // Inserted before and after the cursor meanwhile: the earlier one is not served, nothing shifts.
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_a", "a@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_e", "e@example.com"))));
  auto second = store().ListUsers(first->next, 2);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(Emails(*second), (std::vector<std::string>{"e@example.com", "f@example.com"}));
  auto third = store().ListUsers(second->next, 2);
  ASSERT_TRUE(IsOk(third));
  EXPECT_EQ(Emails(*third), (std::vector<std::string>{"h@example.com", "j@example.com"}));
  EXPECT_TRUE(third->next.empty());  // exactly full last page: no further page is announced
}

TEST_P(StoreConformance, ListUsersRefusesABadCursorAndALimitOutOfRange) {
  auto bad = store().ListUsers("nope", 10);
  ASSERT_TRUE(Is(StatusCode::kInvalidArgument, bad));
  EXPECT_EQ(bad.status().field(), "cursor");
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListUsers(EncodeCursor("audit", {"1", "a"}), 10)));
  for (int64_t limit : {0, -1, 1001}) {
    auto r = store().ListUsers("", limit);
    ASSERT_TRUE(Is(StatusCode::kInvalidArgument, r)) << limit;
    EXPECT_EQ(r.status().field(), "limit");
  }
  EXPECT_TRUE(IsOk(store().ListUsers("", 1000)));
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

TEST_P(StoreConformance, DeleteUserRemovesTheUserAndLeavesOtherUsersSessions) {
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_1", "ada@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_2", "bob@example.com"))));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h1", "u_1", 2'000'000'000'000), kManySessions)));
  ASSERT_TRUE(IsOk(store().CreateSession(MakeSession("h3", "u_2", 2'000'000'000'000), kManySessions)));
  // The caller ends the user's sessions (the contract does not make DeleteUser cascade).
  ASSERT_TRUE(IsOk(store().DeleteSessionsOfUser("u_1")));
  ASSERT_TRUE(IsOk(store().DeleteUser("u_1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUser("u_1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetUserByEmail("ada@example.com")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetSession("h1")));
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
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().DeleteUser("u_1")));
  EXPECT_EQ(*store().CountUsers(), 1);  // failed writes change no counter
}

TEST_P(StoreConformance, CountEnabledAdminsFollowsCreatesUpdatesAndDeletes) {
  EXPECT_EQ(*store().CountEnabledAdmins(), 0);
  User admin = MakeUser("u_1", "ada@example.com");
  admin.role = domain::Role::kAdmin;
  ASSERT_TRUE(IsOk(store().CreateUser(admin)));
  User disabled_admin = MakeUser("u_2", "bob@example.com");
  disabled_admin.role = domain::Role::kAdmin;
  disabled_admin.disabled = true;
  ASSERT_TRUE(IsOk(store().CreateUser(disabled_admin)));
  ASSERT_TRUE(IsOk(store().CreateUser(MakeUser("u_3", "carol@example.com"))));
  EXPECT_EQ(*store().CountEnabledAdmins(), 1);
  EXPECT_EQ(*store().CountUsers(), 3);
  disabled_admin.disabled = false;  // enabled
  ASSERT_TRUE(IsOk(store().UpdateUser(disabled_admin)));
  EXPECT_EQ(*store().CountEnabledAdmins(), 2);
  admin.role = domain::Role::kUser;  // demoted
  ASSERT_TRUE(IsOk(store().UpdateUser(admin)));
  EXPECT_EQ(*store().CountEnabledAdmins(), 1);
  User clash = disabled_admin;  // a failed update changes nothing
  clash.email = "carol@example.com";
  clash.disabled = true;
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().UpdateUser(clash)));
  EXPECT_EQ(*store().CountEnabledAdmins(), 1);
  ASSERT_TRUE(IsOk(store().DeleteUser("u_2")));
  EXPECT_EQ(*store().CountEnabledAdmins(), 0);
  EXPECT_EQ(*store().CountUsers(), 2);
  EXPECT_TRUE(Is(StatusCode::kAlreadyExists, store().CreateUser(MakeUser("u_9", "ada@example.com"))));
  EXPECT_EQ(*store().CountUsers(), 2);
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

TEST_P(StoreConformance, PutTeamIfAbsentCreatesButNeverRenames) {
  ASSERT_TRUE(IsOk(store().PutTeamIfAbsent({"red", "red", 3})));
  ASSERT_TRUE(IsOk(store().PutTeam({"red", "Red team", 3})));
  ASSERT_TRUE(IsOk(store().PutTeamIfAbsent({"red", "red", 9})));  // exists: unchanged, still OK
  ASSERT_TRUE(IsOk(store().PutTeamIfAbsent({"blue", "blue", 4})));
  auto teams = store().ListTeams();
  ASSERT_TRUE(IsOk(teams));
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ(Fields((*teams)[0]), Fields(Team{"blue", "blue", 4}));
  EXPECT_EQ(Fields((*teams)[1]), Fields(Team{"red", "Red team", 3}));
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
  EXPECT_EQ(store().ListAccounts(by_team)->items.size(), 1u);
}

TEST_P(StoreConformance, DeleteTeamOfUnknownIdIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().DeleteTeam("nope")));
}

}  // namespace
}  // namespace ap::store::testing
