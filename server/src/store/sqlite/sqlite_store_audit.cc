// SqliteStore: the audit log (append, append-or-increment, list, retention).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WhereClause;
using sqlite_internal::WriteTransaction;

namespace {

constexpr int64_t kMaxAuditDeleteBatch = 100000;

// The at_ms field of an audit cursor (decimal, as EncodeCursor got it from std::to_string).
bool ParseMillis(const std::string& text, int64_t* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

// Inserts `entry` with the given coalescing key (NULL when empty) and returns it as stored.
domain::AuditEntry InsertAudit(Connection& c, const domain::AuditEntry& entry, const std::string& coalesce_key) {
  Stmt insert = c.Prepare("INSERT INTO audit_log (" + sqlite_internal::InsertColumns<domain::AuditEntry>() +
                          ") VALUES (" + sqlite_internal::InsertPlaceholders<domain::AuditEntry>() + ")");
  sqlite_internal::Bind(*insert, entry);
  if (coalesce_key.empty()) {
    insert->bind(15);
  } else {
    insert->bind(15, coalesce_key);
  }
  insert->exec();
  domain::AuditEntry stored = entry;
  stored.last_at_ms = std::max(entry.at_ms, entry.last_at_ms);
  return stored;
}

// Restores synchronous=NORMAL on the write connection when a synced write ends, however it ends.
class SyncedWrite {
 public:
  explicit SyncedWrite(Connection& c) : c_(c) { c_.Exec("PRAGMA synchronous = FULL"); }
  ~SyncedWrite() { c_.db().tryExec("PRAGMA synchronous = NORMAL"); }
  SyncedWrite(const SyncedWrite&) = delete;
  SyncedWrite& operator=(const SyncedWrite&) = delete;

 private:
  Connection& c_;
};

}  // namespace

Result<domain::AuditEntry> SqliteStore::AppendAudit(const domain::AuditEntry& entry, Durability durability) {
  if (entry.count < 1) return InvalidArgument("count must be at least 1", "count");
  return Write("AppendAudit", [&](Connection& c) -> Result<domain::AuditEntry> {
    // In WAL mode, FULL syncs the WAL at this commit (NORMAL leaves it to the next checkpoint), so the entry
    // survives a power cut once the call returns. Only this write pays for the fsync.
    std::optional<SyncedWrite> synced;
    if (durability == Durability::kSync) synced.emplace(c);
    // A single INSERT (no existence check) keeps the hottest write path to one statement; a repeated audit_id
    // surfaces as the UNIQUE violation, which ToStatus maps to AlreadyExists.
    return InsertAudit(c, entry, "");
  });
}

Result<domain::AuditEntry> SqliteStore::AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) {
  const std::string key = sqlite_internal::AuditCoalesceKey(entry);
  return Write("AppendAuditCoalesced", [&](Connection& c) -> Result<domain::AuditEntry> {
    // IMMEDIATE: another process on the same file cannot slip a second row for this key in between.
    WriteTransaction txn(c);
    std::string audit_id;
    {
      Stmt find = c.Prepare(
          "SELECT audit_id FROM audit_log WHERE coalesce_key = ?1 AND at_ms >= ?2 "
          "ORDER BY at_ms DESC, audit_id DESC LIMIT 1");
      find->bind(1, key);
      find->bind(2, window_start_ms);
      if (find->executeStep()) audit_id = find->getColumn(0).getString();
    }
    domain::AuditEntry stored;
    if (audit_id.empty()) {
      domain::AuditEntry first = entry;
      first.count = 1;
      first.last_at_ms = entry.at_ms;
      stored = InsertAudit(c, first, key);
    } else {
      {
        Stmt bump = c.Prepare(
            "UPDATE audit_log SET event_count = event_count + 1, last_at_ms = max(last_at_ms, ?2) WHERE audit_id = ?1");
        bump->bind(1, audit_id);
        bump->bind(2, entry.at_ms);
        bump->exec();
      }
      Stmt read = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::AuditEntry>() +
                            " FROM audit_log WHERE audit_id = ?1");
      read->bind(1, audit_id);
      if (!read->executeStep()) return Internal("AppendAuditCoalesced: the entry vanished");
      stored = sqlite_internal::Read<domain::AuditEntry>(*read);
    }
    txn.Commit();
    return stored;
  });
}

Result<int64_t> SqliteStore::DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit, kMaxAuditDeleteBatch));
  return Write("DeleteAuditBefore", [&](Connection& c) -> Result<int64_t> {
    // Oldest first through audit_by_at, one bounded batch per call.
    Stmt del = c.Prepare(
        "DELETE FROM audit_log WHERE audit_id IN "
        "(SELECT audit_id FROM audit_log WHERE at_ms < ?1 ORDER BY at_ms, audit_id LIMIT ?2)");
    del->bind(1, cutoff_ms);
    del->bind(2, limit);
    return static_cast<int64_t>(del->exec());
  });
}

Result<AuditPage> SqliteStore::ListAudit(const AuditFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  // A unary '+' keeps a column's index out of the plan: conditions so marked filter the pages of the index that
  // the other conditions choose (audit_store.h says which filters are index-served), instead of making SQLite
  // read every match of a broad index and sort it.
  WhereClause where;
  if (!filter.actor_id.empty()) where.Add("actor_id = ?", {filter.actor_id});
  if (!filter.action.empty()) {
    if (filter.action.back() == '.') {
      const std::string first = filter.action.substr(0, filter.action.find('.') + 1);
      where.Add("action_prefix = ?", {first});
      if (first != filter.action) {
        // Deeper prefix: under byte order, exactly the strings starting with "quota.config." lie in
        // ["quota.config.", "quota.config/") ('/' follows '.').
        std::string upper = filter.action;
        upper.back() = '/';
        where.Add("+action >= ? AND +action < ?", {filter.action, upper});
      }
    } else {
      where.Add("action = ?", {filter.action});
    }
  }
  if (!filter.target_type.empty() && !filter.target_id.empty()) {
    where.Add("target_type = ? AND target_id = ?", {filter.target_type, filter.target_id});
  } else if (!filter.target_type.empty()) {
    where.Add("+target_type = ?", {filter.target_type});
  } else if (!filter.target_id.empty()) {
    where.Add("+target_id = ?", {filter.target_id});
  }
  if (!filter.outcome.empty()) where.Add("outcome = ?", {filter.outcome});
  if (filter.from_ms != 0) where.Add("at_ms >= ?", {filter.from_ms});
  if (filter.to_ms != 0) where.Add("at_ms < ?", {filter.to_ms});
  if (!filter.cursor.empty()) {
    ASSIGN_OR_RETURN(auto after, DecodeCursor(filter.cursor, "audit", 2));
    int64_t at_ms = 0;
    if (!ParseMillis(after[0], &at_ms)) return InvalidArgument("malformed cursor", "cursor");
    where.Add("(at_ms, audit_id) < (?, ?)", {at_ms, after[1]});
  }

  return Read("ListAudit", [&](Connection& c) -> Result<AuditPage> {
    Stmt stmt = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::AuditEntry>() + " FROM audit_log" +
                          where.sql() + " ORDER BY at_ms DESC, audit_id DESC LIMIT ?");
    stmt->bind(where.Bind(*stmt), filter.limit + 1);
    AuditPage page;
    while (stmt->executeStep()) page.items.push_back(sqlite_internal::Read<domain::AuditEntry>(*stmt));
    if (static_cast<int64_t>(page.items.size()) > filter.limit) {
      page.items.pop_back();
      const domain::AuditEntry& last = page.items.back();
      page.next = EncodeCursor("audit", {std::to_string(last.at_ms), last.audit_id});
    }
    return page;
  });
}

}  // namespace ap::store
