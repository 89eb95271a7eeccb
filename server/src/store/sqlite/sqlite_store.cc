// SqliteStore: opening and the connection pool. Each area of the store interface is in sqlite_store_<area>.cc.
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
  RETURN_IF_ERROR(WithPath(sqlite_internal::EnsureAccountNameKeys(*writer), options.path));

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

}  // namespace ap::store
