// Private to store/sqlite/*.cc: the read-connection lease and the Read/Write helpers every SqliteStore method
// goes through, plus small query helpers. Not installed, not included outside this folder.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/mutex.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::store {

// Borrows a read connection for one call. Without a pool (":memory:" or read_connections = 0) it borrows the
// write connection under write_mu_ instead, which keeps reads correct there at the cost of concurrency.
class SqliteStore::ReadLease {
 public:
  explicit ReadLease(SqliteStore& store) : store_(store) {
    if (store_.readers_.empty()) {
      writer_lock_.emplace(store_.write_mu_);
      conn_ = store_.writer_.get();
      return;
    }
    MutexLock lock(store_.pool_mu_);
    lock.Wait(store_.pool_cv_, [this]() REQUIRES(store_.pool_mu_) { return !store_.idle_.empty(); });
    conn_ = store_.idle_.back();
    store_.idle_.pop_back();
  }
  ~ReadLease() {
    if (writer_lock_.has_value()) return;
    {
      MutexLock lock(store_.pool_mu_);
      store_.idle_.push_back(conn_);
    }
    store_.pool_cv_.notify_one();
  }
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;

  sqlite_internal::Connection& conn() { return *conn_; }

 private:
  SqliteStore& store_;
  std::optional<MutexLock> writer_lock_;  // held for the lease when it lends the writer
  sqlite_internal::Connection* conn_ = nullptr;
};

template <typename Fn>
auto SqliteStore::Write(const char* op, Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Connection&>())) {
  MutexLock lock(write_mu_);
  sqlite_internal::Connection& writer = *writer_;
  return sqlite_internal::Guarded(op, [&] { return fn(writer); });
}

template <typename Fn>
auto SqliteStore::Read(const char* op, Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Connection&>())) {
  ReadLease lease(*this);
  return sqlite_internal::Guarded(op, [&] { return fn(lease.conn()); });
}

namespace sqlite_internal {

// The maintained quota aggregates (sqlite_store_aggregates.cc; what counts: quota_cache_store.h). Each runs inside
// the caller's write transaction and throws as SQLiteCpp does.
//
// Every account write calls this: it takes `before`'s contribution out of the aggregates (nullptr: the account is
// new) and puts `after`'s in (its cached values included).
void ApplyAccountToAggregates(Connection& c, const domain::Account* before, const domain::Account& after);
// PutQuotaSnapshot calls this before it replaces the stored values of (snapshot.account_id, snapshot.region): it
// takes the stored values' contribution out and puts `snapshot`'s in.
void ApplySnapshotToAggregates(Connection& c, const domain::QuotaSnapshot& snapshot);
// Recomputes every aggregate from the accounts and cached values (migration 6's back-fill).
void RebuildAggregates(Connection& c);

// `items` sorted, each once (account lists written by callers may hold regions or teams in any order).
inline std::vector<std::string> SortedUnique(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

// The scope keys of the aggregates and of the value-sorted index: "fleet", and "teams:" + the length-prefixed
// sorted team set (never equal to "fleet").
inline constexpr const char* kFleetScope = "fleet";
inline std::string TeamSetScope(const std::vector<std::string>& teams) { return "teams:" + EncodeList(teams); }

// The value-sorted index (sqlite_store_sort_index.cc; contract in store/value_sort_index.h). Each runs inside the
// caller's write transaction and throws as SQLiteCpp does.
// Every account write calls this (from ApplyAccountToAggregates): it replaces the account's rows when its name,
// status, regions or teams changed (nullptr before: the account is new).
void ApplyAccountToSortIndex(Connection& c, const domain::Account* before, const domain::Account& after);
// PutQuotaSnapshot calls this (from ApplySnapshotToAggregates): it replaces the rows of (account, region).
void ApplySnapshotToSortIndex(Connection& c, const domain::QuotaSnapshot& snapshot);
// Recomputes the index from the accounts and cached values (migration 19's back-fill, RebuildAggregates).
void RebuildSortIndex(Connection& c);
// After the accounts' name keys were recomputed: the index's name keys (nothing when the table does not exist yet,
// i.e. during migration 18).
void RebuildSortIndexNameKeys(Connection& c);

// The list and search entries of one account (sqlite_store_accounts.cc): replaces whatever entries the account
// had with those of (name, status, teams), name_key = CollationKey(name). Used by the account writes and by
// migration 5's back-fill. Throws as
// SQLiteCpp does. REQUIRES: a write transaction open on `c`.
void WriteAccountIndex(Connection& c, const std::string& account_id, const std::string& account_name,
                       std::string_view status, const std::vector<std::string>& teams);

// The name of the setting (table `settings`) that says the name_key of every list and search entry is
// CollationKey(account name) as computed by CollationVersion() (common/collation.h): "account_name_keys:<version>".
std::string NameKeySetting();

// Recomputes name_key in account_list and account_terms from the accounts' names with CollationKey (one UPDATE
// per account through the by-account indexes: O(accounts), for migration 18 and for Open after an ICU upgrade,
// never a request path), then records NameKeySetting(). Throws as SQLiteCpp does. REQUIRES: a write transaction
// open on `c`.
void RebuildAccountNameKeys(Connection& c);

// True when NameKeySetting() is recorded, i.e. the stored keys were made by this binary's collator.
bool AccountNameKeysCurrent(Connection& c);

// Open's check: when NameKeySetting() is not recorded (a database migrated by a binary with another ICU collator
// version), rebuilds the keys in one write transaction; otherwise one read. Unavailable / Internal on failure.
Status EnsureAccountNameKeys(Connection& c);

// True when `sql` (a SELECT with one parameter) returns a row for `key`.
inline bool Exists(Connection& conn, const std::string& sql, const std::string& key) {
  Stmt stmt = conn.Prepare(sql);
  stmt->bind(1, key);
  return stmt->executeStep();
}

// A WHERE clause assembled from fixed fragments with positional '?' parameters; the values travel separately
// and are bound, never spliced into the SQL.
class WhereClause {
 public:
  using Arg = std::variant<int64_t, std::string>;

  void Add(const std::string& condition, std::vector<Arg> args) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += condition;
    for (Arg& a : args) args_.push_back(std::move(a));
  }
  const std::string& sql() const { return sql_; }
  // Binds the arguments to ?1..?N; returns the next free index.
  int Bind(SQLite::Statement& s) const {
    int i = 1;
    for (const Arg& a : args_) {
      if (const auto* n = std::get_if<int64_t>(&a)) {
        s.bind(i++, *n);
      } else {
        s.bind(i++, std::get<std::string>(a));
      }
    }
    return i;
  }

 private:
  std::string sql_;
  std::vector<Arg> args_;
};

}  // namespace sqlite_internal
}  // namespace ap::store
