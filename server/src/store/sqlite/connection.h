// Internal plumbing of SqliteStore: one SQLite connection with its prepared-statement cache, RAII helpers for
// statements and transactions, and the one place where SQLite exceptions become Status.
//
// Not part of the store's public API; only store/sqlite/*.cc include this header.
//
// Thread safety: a Connection is NOT thread-safe. SqliteStore hands each connection to one thread at a time
// (the writer under its mutex, readers through a pool), which is also why connections are opened NOMUTEX.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/log.h"
#include "common/status.h"

namespace ap::store::sqlite_internal {

// Thrown by row readers on stored data that no valid write could have produced (an unknown enum name, a
// malformed list). Guarded() turns it into Internal.
class CorruptRow : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Converts a SQLite exception raised while doing `op` (a short name such as "CreateUser") into a Status and
// logs it. Unique / primary-key violations become AlreadyExists (logged at debug: they are caller errors);
// busy, locked, I/O, full, read-only and can't-open errors become Unavailable; anything else Internal. The
// returned message never contains SQL text or SQLite's own message (those go to the log only).
Status ToStatus(std::string_view op, const SQLite::Exception& e);

// Runs `fn` and turns any exception it throws into a Status, so that no exception leaves this module.
// `fn` returns Status or Result<T>; both are constructible from a Status.
template <typename Fn>
auto Guarded(std::string_view op, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return ToStatus(op, e);
  } catch (const CorruptRow& e) {
    log::Error("sqlite store: corrupt row", {{"op", op}, {"error", e.what()}});
    return Internal(std::string(op) + ": corrupt data in the database");
  } catch (const std::exception& e) {
    // bad_alloc and friends: nothing SQLite-specific to map, but still must not cross the module boundary.
    log::Error("sqlite store: unexpected exception", {{"op", op}, {"error", e.what()}});
    return Internal(std::string(op) + ": unexpected error in the database layer");
  }
}

// A cached prepared statement borrowed for one use. Resets the statement when it goes out of scope so that
// (a) the next user starts from a clean state and (b) a finished SELECT does not keep a WAL read snapshot open,
// which would stop checkpoints and make readers see stale data.
class Stmt {
 public:
  explicit Stmt(SQLite::Statement* cached) : stmt_(cached) {}
  explicit Stmt(std::unique_ptr<SQLite::Statement> owned) : owned_(std::move(owned)), stmt_(owned_.get()) {}
  ~Stmt() { stmt_->tryReset(); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  SQLite::Statement* operator->() const { return stmt_; }
  SQLite::Statement& operator*() const { return *stmt_; }

 private:
  std::unique_ptr<SQLite::Statement> owned_;  // set when the cache was full: the statement dies with this Stmt
  SQLite::Statement* stmt_;
};

class Connection {
 public:
  // Opens `path` with SQLite `flags` (SQLite::OPEN_*). Unavailable with "cannot open database <path>: <why>"
  // when the file cannot be opened or is not a database.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                  std::chrono::milliseconds busy_timeout);

  SQLite::Database& db() { return db_; }

  // Returns the cached prepared statement for `sql` (preparing it on first use) with its bindings cleared.
  // `sql` must be a constant or built only from fixed fragments: values are always bound, never spliced in.
  // REQUIRES: the same SQL is not borrowed twice at once on this connection. Throws SQLite::Exception.
  Stmt Prepare(const std::string& sql);

  // Runs statements that take no parameters (DDL, PRAGMA, BEGIN/COMMIT). Throws SQLite::Exception.
  void Exec(const char* sql) { db_.exec(sql); }

 private:
  explicit Connection(SQLite::Database db) : db_(std::move(db)) {}

  // Bounds the cache: dynamic filters (a variable number of team placeholders) could otherwise grow it without
  // limit. Far above the number of distinct statements the store uses in practice; beyond it, statements are
  // prepared per use rather than evicted (an evicted statement might still be borrowed by the caller).
  static constexpr size_t kMaxCachedStatements = 128;

  SQLite::Database db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

// A write transaction. BEGIN IMMEDIATE takes the write lock up front, so a transaction that reads and then
// writes can never fail half-way with SQLITE_BUSY on lock upgrade (the busy timeout applies at BEGIN instead).
// Rolls back unless Commit() was called.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& conn) : conn_(conn) { conn_.Exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction() {
    if (!done_) conn_.db().tryExec("ROLLBACK");
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void Commit() {
    conn_.Exec("COMMIT");
    done_ = true;
  }

 private:
  Connection& conn_;
  bool done_ = false;
};

// A read transaction: several SELECTs see one consistent snapshot (e.g. a page and its total count).
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn) : conn_(conn) { conn_.Exec("BEGIN DEFERRED"); }
  // Ending a read-only transaction cannot lose data; if COMMIT fails anyway, ROLLBACK so that the pooled
  // connection is not handed to the next caller with a transaction still open.
  ~ReadTransaction() {
    if (conn_.db().tryExec("COMMIT") != 0) conn_.db().tryExec("ROLLBACK");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& conn_;
};

}  // namespace ap::store::sqlite_internal
