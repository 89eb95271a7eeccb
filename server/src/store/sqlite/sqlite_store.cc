// SqliteStore: opening, the connection pool, users, sessions and teams. Accounts, contact info, the quota
// cache, the quota config and the audit log are in sqlite_store_*.cc.
#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/log.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Exists;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

constexpr int kMaxReadConnections = 64;
constexpr int kMaxSessionsPerUser = 10000;

bool IsInMemory(const std::string& path) { return path == ":memory:"; }

// Per-connection settings (SQLite keeps none of these in the file except journal_mode).
Status ConfigureWriter(Connection& conn, const std::string& path) {
  return sqlite_internal::Guarded("Open", [&]() -> Status {
    // WAL: readers never block the writer nor each other. Must run outside a transaction.
    std::string mode = conn.db().execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal" && !IsInMemory(path)) {
      // Still correct (the busy timeout serialises readers and the writer), only slower; e.g. some network
      // file systems refuse WAL.
      log::Warn("sqlite store: WAL journaling unavailable", {{"path", path}, {"journal_mode", mode}});
    }
    // NORMAL in WAL mode: a power cut may lose the last transactions but never corrupts the file.
    conn.Exec("PRAGMA synchronous = NORMAL");
    conn.Exec("PRAGMA foreign_keys = ON");
    return Status::Ok();
  });
}

Status ConfigureReader(Connection& conn) {
  return sqlite_internal::Guarded("Open", [&]() -> Status {
    // Opened read-write (a read-only handle cannot recreate the WAL index files if they are missing) but
    // refuses writes, so a bug can never write outside the write mutex.
    conn.Exec("PRAGMA query_only = ON");
    conn.Exec("PRAGMA foreign_keys = ON");
    return Status::Ok();
  });
}

// Chmods `path` to 0600 if it exists and lets anyone but its owner in; a failure is logged, not fatal (the
// store still works, e.g. on a file another user owns).
void TightenMode(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) return;
  if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    log::Warn("sqlite store: cannot restrict the database file to its owner",
              {{"path", path}, {"error", std::generic_category().message(errno)}});
  }
}

// The database holds password hashes, sealed credentials and contact details: its files are the owner's alone
// whatever the umask and the directory's mode. Creating the (empty, hence valid) database file 0600 before
// SQLite does is what also gives -wal and -shm that mode: SQLite creates them with the database file's mode.
// A file that cannot be created here is left to SQLite, whose error names the reason.
void PrepareDatabaseFiles(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd >= 0) ::close(fd);
  TightenMode(path);
  TightenMode(path + "-wal");
  TightenMode(path + "-shm");
}

// Open's errors all name the file, so that the one startup line says which database is at fault.
Status WithPath(const Status& s, const std::string& path) {
  if (s.ok() || s.message().rfind("cannot open database", 0) == 0) return s;
  return Status(s.code(), "cannot open database " + path + ": " + s.message());
}

const std::string kSelectUser = "SELECT " + sqlite_internal::SelectColumns<domain::User>() + " FROM users";
const std::string kSelectSession = "SELECT " + sqlite_internal::SelectColumns<domain::Session>() + " FROM sessions";

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteStoreOptions& options) {
  if (options.path.empty()) return InvalidArgument("database path must not be empty", "path");
  if (options.busy_timeout.count() < 0) return InvalidArgument("busy_timeout must not be negative", "busy_timeout");
  if (options.read_connections < 0 || options.read_connections > kMaxReadConnections) {
    return InvalidArgument("read_connections must be between 0 and 64", "read_connections");
  }
  if (!IsInMemory(options.path)) PrepareDatabaseFiles(options.path);
  const int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer, Connection::Open(options.path, flags, options.busy_timeout));
  RETURN_IF_ERROR(WithPath(ConfigureWriter(*writer, options.path), options.path));
  RETURN_IF_ERROR(WithPath(sqlite_internal::Migrate(*writer), options.path));

  std::vector<std::unique_ptr<Connection>> readers;
  const int n = IsInMemory(options.path) ? 0 : options.read_connections;
  for (int i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                     Connection::Open(options.path, SQLite::OPEN_READWRITE, options.busy_timeout));
    RETURN_IF_ERROR(WithPath(ConfigureReader(*reader), options.path));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(writer), std::move(readers)));
}

SqliteStore::SqliteStore(std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers)
    : writer_(std::move(writer)), readers_(std::move(readers)) {
  for (auto& r : readers_) idle_.push_back(r.get());
}

// Out of line: Connection is incomplete in the header.
SqliteStore::~SqliteStore() = default;

int SqliteStore::SchemaVersion() { return sqlite_internal::LatestSchemaVersion(); }

Status SqliteStore::Ping() {
  return Read("Ping", [](Connection& c) -> Status {
    Stmt stmt = c.Prepare("SELECT 1");
    if (!stmt->executeStep()) return Internal("Ping: SELECT 1 returned no row");
    return Status::Ok();
  });
}

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

Result<std::vector<domain::User>> SqliteStore::ListUsers() {
  return Read("ListUsers", [&](Connection& c) -> Result<std::vector<domain::User>> {
    Stmt stmt = c.Prepare(kSelectUser + " ORDER BY email");
    std::vector<domain::User> users;
    while (stmt->executeStep()) users.push_back(sqlite_internal::Read<domain::User>(*stmt));
    return users;
  });
}

Status SqliteStore::UpdateUser(const domain::User& user) {
  return Write("UpdateUser", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (!Exists(c, "SELECT 1 FROM users WHERE user_id = ?1", user.user_id)) {
      return NotFound("user " + user.user_id + " not found");
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
    txn.Commit();
    return Status::Ok();
  });
}

Status SqliteStore::DeleteUser(const std::string& user_id) {
  return Write("DeleteUser", [&](Connection& c) -> Status {
    // Sessions go with the user through ON DELETE CASCADE, in the same statement.
    Stmt del = c.Prepare("DELETE FROM users WHERE user_id = ?1");
    del->bind(1, user_id);
    if (del->exec() == 0) return NotFound("user " + user_id + " not found");
    return Status::Ok();
  });
}

Result<int64_t> SqliteStore::CountUsers() {
  return Read("CountUsers", [&](Connection& c) -> Result<int64_t> {
    Stmt stmt = c.Prepare("SELECT count(*) FROM users");
    stmt->executeStep();
    return stmt->getColumn(0).getInt64();
  });
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
