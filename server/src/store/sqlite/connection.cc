#include "store/sqlite/connection.h"

#include <sqlite3.h>

namespace ap::store::sqlite_internal {

Status ToStatus(std::string_view op, const SQLite::Exception& e) {
  const int code = e.getErrorCode();
  const int extended = e.getExtendedErrorCode();
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // Methods check their keys first to give a precise message; this is the backstop (e.g. a second process
    // writing the same file between our check and our insert).
    log::Debug("sqlite store: unique constraint", {{"op", op}, {"error", e.what()}});
    return AlreadyExists(std::string(op) + ": a record with this key already exists");
  }
  if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
    log::Debug("sqlite store: foreign key constraint", {{"op", op}, {"error", e.what()}});
    return NotFound(std::string(op) + ": a referenced record does not exist");
  }
  log::Error("sqlite store: database error",
             {{"op", op}, {"error", e.what()}, {"code", code}, {"extended_code", extended}});
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_PERM:
      return Unavailable(std::string(op) + ": database unavailable (" + sqlite3_errstr(code) + ")");
    default:
      return Internal(std::string(op) + ": database error");
  }
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags,
                                                     std::chrono::milliseconds busy_timeout) {
  try {
    SQLite::Database db(path, flags | SQLite::OPEN_NOMUTEX, static_cast<int>(busy_timeout.count()));
    // sqlite3_open_v2 is lazy: a file that exists but is not a database only fails on first use. Touch the
    // schema now so that Open reports it, instead of the first request.
    db.exec("SELECT count(*) FROM sqlite_schema");
    return std::unique_ptr<Connection>(new Connection(std::move(db)));
  } catch (const SQLite::Exception& e) {
    log::Error("sqlite store: cannot open database", {{"path", path}, {"error", e.what()}});
    return Unavailable("cannot open database " + path + ": " + e.getErrorStr());
  } catch (const std::exception& e) {
    log::Error("sqlite store: cannot open database", {{"path", path}, {"error", e.what()}});
    return Unavailable("cannot open database " + path + ": " + e.what());
  }
}

Stmt Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto stmt = std::make_unique<SQLite::Statement>(db_, sql);
    if (cache_.size() >= kMaxCachedStatements) return Stmt(std::move(stmt));
    it = cache_.emplace(sql, std::move(stmt)).first;
  }
  it->second->clearBindings();
  return Stmt(it->second.get());
}

}  // namespace ap::store::sqlite_internal
