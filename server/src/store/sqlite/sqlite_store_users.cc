// SqliteStore: users, sessions and teams (user_store.h, session_store.h).
#include <string>
#include <utility>
#include <vector>

#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Exists;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

constexpr int kMaxSessionsPerUser = 10000;
const std::string kSelectUser = "SELECT " + sqlite_internal::SelectColumns<domain::User>() + " FROM users";
const std::string kSelectSession = "SELECT " + sqlite_internal::SelectColumns<domain::Session>() + " FROM sessions";

bool IsEnabledAdmin(const domain::User& u) { return u.role == domain::Role::kAdmin && !u.disabled; }

// Adds `delta` to the user counter `name` (user_counters, migration 8). REQUIRES: a WriteTransaction on `c`.
void AddToCounter(Connection& c, const char* name, int64_t delta) {
  if (delta == 0) return;
  Stmt add = c.Prepare("UPDATE user_counters SET value = value + ?2 WHERE name = ?1");
  add->bind(1, name);
  add->bind(2, delta);
  add->exec();
}

Result<int64_t> ReadCounter(Connection& c, const char* name) {
  Stmt stmt = c.Prepare("SELECT value FROM user_counters WHERE name = ?1");
  stmt->bind(1, name);
  if (!stmt->executeStep()) return Internal(std::string("user counter ") + name + " is missing");
  return stmt->getColumn(0).getInt64();
}

}  // namespace

// ---- Users ---------------------------------------------------------------------------------------------

Status SqliteStore::CreateUser(const domain::User& user) {
  return Write("CreateUser", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    // Checked first for a message that says which key clashed; the UNIQUE constraints remain the backstop.
    if (Exists(c, "SELECT 1 FROM users WHERE user_id = ?1", user.user_id)) {
      return AlreadyExists("user " + user.user_id + " already exists");
    }
    if (Exists(c, "SELECT 1 FROM users WHERE email = ?1", user.email)) {
      return AlreadyExists("a user with email " + user.email + " already exists");
    }
    {
      Stmt insert = c.Prepare("INSERT INTO users (" + sqlite_internal::InsertColumns<domain::User>() + ") VALUES (" +
                              sqlite_internal::InsertPlaceholders<domain::User>() + ")");
      sqlite_internal::Bind(*insert, user);
      insert->exec();
    }
    AddToCounter(c, "users", 1);
    AddToCounter(c, "enabled_admins", IsEnabledAdmin(user) ? 1 : 0);
    txn.Commit();
    return Status::Ok();
  });
}

Result<domain::User> SqliteStore::GetUser(const std::string& user_id) {
  return Read("GetUser", [&](Connection& c) -> Result<domain::User> {
    Stmt stmt = c.Prepare(kSelectUser + " WHERE user_id = ?1");
    stmt->bind(1, user_id);
    if (!stmt->executeStep()) return NotFound("user " + user_id + " not found");
    return sqlite_internal::Read<domain::User>(*stmt);
  });
}

Result<domain::User> SqliteStore::GetUserByEmail(const std::string& email) {
  return Read("GetUserByEmail", [&](Connection& c) -> Result<domain::User> {
    Stmt stmt = c.Prepare(kSelectUser + " WHERE email = ?1");
    stmt->bind(1, email);
    if (!stmt->executeStep()) return NotFound("no user with email " + email);
    return sqlite_internal::Read<domain::User>(*stmt);
  });
}

Result<UserPage> SqliteStore::ListUsers(const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::string after;
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(auto fields, DecodeCursor(cursor, "users", 1));
    after = fields[0];
  }
  return Read("ListUsers", [&](Connection& c) -> Result<UserPage> {
    // Through the UNIQUE index on email; "" sorts before every email, so the first page needs no other query.
    Stmt stmt = c.Prepare(kSelectUser + " WHERE email > ?1 ORDER BY email LIMIT ?2");
    stmt->bind(1, after);
    stmt->bind(2, limit + 1);
    UserPage page;
    while (stmt->executeStep()) page.items.push_back(sqlite_internal::Read<domain::User>(*stmt));
    if (static_cast<int64_t>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next = EncodeCursor("users", {page.items.back().email});
    }
    return page;
  });
}

Status SqliteStore::UpdateUser(const domain::User& user) {
  return Write("UpdateUser", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    domain::User before;
    {
      Stmt read = c.Prepare(kSelectUser + " WHERE user_id = ?1");
      read->bind(1, user.user_id);
      if (!read->executeStep()) return NotFound("user " + user.user_id + " not found");
      before = sqlite_internal::Read<domain::User>(*read);
    }
    {
      Stmt clash = c.Prepare("SELECT 1 FROM users WHERE email = ?1 AND user_id <> ?2");
      clash->bind(1, user.email);
      clash->bind(2, user.user_id);
      if (clash->executeStep()) return AlreadyExists("a user with email " + user.email + " already exists");
    }
    {
      Stmt update =
          c.Prepare("UPDATE users SET " + sqlite_internal::UpdateAssignments<domain::User>() + " WHERE user_id = ?1");
      sqlite_internal::Bind(*update, user);
      update->exec();
    }
    AddToCounter(c, "enabled_admins", (IsEnabledAdmin(user) ? 1 : 0) - (IsEnabledAdmin(before) ? 1 : 0));
    txn.Commit();
    return Status::Ok();
  });
}

Status SqliteStore::DeleteUser(const std::string& user_id) {
  return Write("DeleteUser", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    domain::User before;
    {
      Stmt read = c.Prepare(kSelectUser + " WHERE user_id = ?1");
      read->bind(1, user_id);
      if (!read->executeStep()) return NotFound("user " + user_id + " not found");
      before = sqlite_internal::Read<domain::User>(*read);
    }
    {
      // The schema's ON DELETE CASCADE also drops the user's sessions; the contract leaves them to the caller.
      Stmt del = c.Prepare("DELETE FROM users WHERE user_id = ?1");
      del->bind(1, user_id);
      del->exec();
    }
    AddToCounter(c, "users", -1);
    AddToCounter(c, "enabled_admins", IsEnabledAdmin(before) ? -1 : 0);
    txn.Commit();
    return Status::Ok();
  });
}

Result<int64_t> SqliteStore::CountUsers() {
  return Read("CountUsers", [&](Connection& c) { return ReadCounter(c, "users"); });
}

Result<int64_t> SqliteStore::CountEnabledAdmins() {
  return Read("CountEnabledAdmins", [&](Connection& c) { return ReadCounter(c, "enabled_admins"); });
}

// ---- Sessions ------------------------------------------------------------------------------------------

Status SqliteStore::CreateSession(const domain::Session& session, int max_sessions_per_user) {
  if (max_sessions_per_user < 1 || max_sessions_per_user > kMaxSessionsPerUser) {
    return InvalidArgument("max_sessions_per_user must be between 1 and 10000", "max_sessions_per_user");
  }
  return Write("CreateSession", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (Exists(c, "SELECT 1 FROM sessions WHERE token_hash = ?1", session.token_hash)) {
      return AlreadyExists("session already exists");  // never echo a token hash into messages or logs
    }
    if (!Exists(c, "SELECT 1 FROM users WHERE user_id = ?1", session.user_id)) {
      return NotFound("user " + session.user_id + " not found");
    }
    {
      Stmt insert = c.Prepare("INSERT INTO sessions (" + sqlite_internal::InsertColumns<domain::Session>() +
                              ") VALUES (" + sqlite_internal::InsertPlaceholders<domain::Session>() + ")");
      sqlite_internal::Bind(*insert, session);
      insert->exec();
    }
    {
      // Keeps the newest max - 1 other sessions (sessions_by_user makes this a walk over one user's rows).
      Stmt evict = c.Prepare(
          "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE user_id = ?1 AND "
          "token_hash <> ?2 ORDER BY created_at_ms DESC, token_hash DESC LIMIT -1 OFFSET ?3)");
      evict->bind(1, session.user_id);
      evict->bind(2, session.token_hash);
      evict->bind(3, max_sessions_per_user - 1);
      evict->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

Result<domain::Session> SqliteStore::GetSession(const std::string& token_hash) {
  return Read("GetSession", [&](Connection& c) -> Result<domain::Session> {
    Stmt stmt = c.Prepare(kSelectSession + " WHERE token_hash = ?1");
    stmt->bind(1, token_hash);
    if (!stmt->executeStep()) return NotFound("session not found");
    return sqlite_internal::Read<domain::Session>(*stmt);
  });
}

Status SqliteStore::DeleteSession(const std::string& token_hash) {
  return Write("DeleteSession", [&](Connection& c) -> Status {
    Stmt del = c.Prepare("DELETE FROM sessions WHERE token_hash = ?1");
    del->bind(1, token_hash);
    del->exec();  // zero rows is fine: logout is idempotent
    return Status::Ok();
  });
}

Status SqliteStore::DeleteSessionsOfUser(const std::string& user_id) {
  return Write("DeleteSessionsOfUser", [&](Connection& c) -> Status {
    Stmt del = c.Prepare("DELETE FROM sessions WHERE user_id = ?1");
    del->bind(1, user_id);
    del->exec();
    return Status::Ok();
  });
}

Status SqliteStore::DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_token_hash) {
  return Write("DeleteOtherSessionsOfUser", [&](Connection& c) -> Status {
    Stmt del = c.Prepare("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2");
    del->bind(1, user_id);
    del->bind(2, keep_token_hash);
    del->exec();
    return Status::Ok();
  });
}

Result<int64_t> SqliteStore::DeleteExpiredSessions(int64_t now_ms) {
  return Write("DeleteExpiredSessions", [&](Connection& c) -> Result<int64_t> {
    Stmt del = c.Prepare("DELETE FROM sessions WHERE expires_at_ms <= ?1");
    del->bind(1, now_ms);
    return static_cast<int64_t>(del->exec());
  });
}

// ---- Teams ---------------------------------------------------------------------------------------------

Status SqliteStore::PutTeam(const domain::Team& team) {
  return Write("PutTeam", [&](Connection& c) -> Status {
    Stmt upsert = c.Prepare("INSERT INTO teams (" + sqlite_internal::InsertColumns<domain::Team>() + ") VALUES (" +
                            sqlite_internal::InsertPlaceholders<domain::Team>() +
                            ") ON CONFLICT (team_id) DO UPDATE SET name = excluded.name");
    sqlite_internal::Bind(*upsert, team);
    upsert->exec();
    return Status::Ok();
  });
}

Status SqliteStore::PutTeamIfAbsent(const domain::Team& team) {
  return Write("PutTeamIfAbsent", [&](Connection& c) -> Status {
    Stmt insert = c.Prepare("INSERT INTO teams (" + sqlite_internal::InsertColumns<domain::Team>() + ") VALUES (" +
                            sqlite_internal::InsertPlaceholders<domain::Team>() + ") ON CONFLICT (team_id) DO NOTHING");
    sqlite_internal::Bind(*insert, team);
    insert->exec();
    return Status::Ok();
  });
}

Result<std::vector<domain::Team>> SqliteStore::ListTeams() {
  return Read("ListTeams", [&](Connection& c) -> Result<std::vector<domain::Team>> {
    Stmt stmt = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::Team>() + " FROM teams ORDER BY team_id");
    std::vector<domain::Team> teams;
    while (stmt->executeStep()) teams.push_back(sqlite_internal::Read<domain::Team>(*stmt));
    return teams;
  });
}

Status SqliteStore::DeleteTeam(const std::string& team_id) {
  return Write("DeleteTeam", [&](Connection& c) -> Status {
    Stmt del = c.Prepare("DELETE FROM teams WHERE team_id = ?1");
    del->bind(1, team_id);
    if (del->exec() == 0) return NotFound("team " + team_id + " not found");
    return Status::Ok();
  });
}

}  // namespace ap::store
