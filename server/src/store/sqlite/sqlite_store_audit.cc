// SqliteStore: the append-only audit log.
#include <cstdint>
#include <string>

#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WhereClause;

Result<domain::AuditEntry> SqliteStore::AppendAudit(const domain::AuditEntry& entry) {
  return Write("AppendAudit", [&](Connection& c) -> Result<domain::AuditEntry> {
    // A single INSERT (no existence check) keeps the hottest write path to one statement; a repeated audit_id
    // surfaces as the UNIQUE violation, which ToStatus maps to AlreadyExists.
    Stmt insert = c.Prepare(std::string("INSERT INTO audit_log (") + sqlite_internal::kAuditInsertColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    sqlite_internal::BindAuditEntry(*insert, entry);
    insert->exec();
    domain::AuditEntry stored = entry;
    // Safe: the write mutex is held, so no other insert on this connection can intervene.
    stored.seq = c.db().getLastInsertRowid();
    return stored;
  });
}

Result<AuditPage> SqliteStore::ListAudit(const AuditFilter& filter) {
  RETURN_IF_ERROR(sqlite_internal::ValidatePage(filter.offset, filter.limit));
  WhereClause where;
  if (!filter.actor_id.empty()) where.Add("actor_id = ?", {filter.actor_id});
  if (!filter.action.empty()) {
    if (filter.action.back() == '.') {
      // Prefix as a range so the action index applies: under byte order, exactly the strings starting with
      // "account." lie in ["account.", "account/") ('/' follows '.').
      std::string upper = filter.action;
      upper.back() = '/';
      where.Add("action >= ? AND action < ?", {filter.action, upper});
    } else {
      where.Add("action = ?", {filter.action});
    }
  }
  if (!filter.target_type.empty()) where.Add("target_type = ?", {filter.target_type});
  if (!filter.target_id.empty()) where.Add("target_id = ?", {filter.target_id});
  if (!filter.outcome.empty()) where.Add("outcome = ?", {filter.outcome});
  if (filter.from_ms != 0) where.Add("at_ms >= ?", {filter.from_ms});
  if (filter.to_ms != 0) where.Add("at_ms < ?", {filter.to_ms});

  return Read("ListAudit", [&](Connection& c) -> Result<AuditPage> {
    ReadTransaction txn(c);  // the total and the page come from the same snapshot
    AuditPage page;
    {
      Stmt count = c.Prepare("SELECT count(*) FROM audit_log" + where.sql());
      where.Bind(*count);
      count->executeStep();
      page.total = count->getColumn(0).getInt64();
    }
    Stmt stmt = c.Prepare(std::string("SELECT ") + sqlite_internal::kAuditColumns + " FROM audit_log" +
                          where.sql() + " ORDER BY seq DESC LIMIT ? OFFSET ?");
    int next = where.Bind(*stmt);
    stmt->bind(next, filter.limit);
    stmt->bind(next + 1, filter.offset);
    while (stmt->executeStep()) page.items.push_back(sqlite_internal::ReadAuditEntry(*stmt));
    return page;
  });
}

}  // namespace ap::store
