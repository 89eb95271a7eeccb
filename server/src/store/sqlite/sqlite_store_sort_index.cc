// The value-sorted dashboard index of the SQLite store (contract in store/value_sort_index.h; table in
// migration_sort_index.cc).
//
// Maintenance rides on the aggregates' hooks (sqlite_store_aggregates.cc), so the index changes in the same write
// transaction as the snapshot or account. A pair's rows are replaced whole (deleted by the primary key prefix,
// then inserted): a snapshot holds a few dozen codes, so this costs O(codes × 2 scopes) per snapshot write.
// Reads are keyset pages: per scope, the rows tied with the cursor's value after its (name_key, account_id,
// region), then the rows past its value, each one range of a sort index; the scopes' pages are merged here.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;

namespace sqlite_internal {
namespace {

// What of an account the index looks at.
struct Indexed {
  std::string account_id;
  std::string account_name;
  bool active = false;
  std::vector<std::string> regions;
  std::vector<std::string> teams;

  static Indexed Of(const domain::Account& a) {
    return {a.account_id, a.account_name, a.status == domain::AccountStatus::kActive, SortedUnique(a.regions),
            SortedUnique(a.teams)};
  }
  bool operator==(const Indexed& o) const {
    return account_name == o.account_name && active == o.active && regions == o.regions && teams == o.teams;
  }
};

// The account row of `account_id`, or false when there is none.
bool ReadAccount(Connection& c, const std::string& account_id, Indexed* out) {
  Stmt stmt = c.Prepare("SELECT account_name, status, regions, teams FROM accounts WHERE account_id = ?1");
  stmt->bind(1, account_id);
  if (!stmt->executeStep()) return false;
  auto status = domain::ParseAccountStatus(stmt->getColumn(1).getString());
  if (!status.ok()) throw CorruptRow("accounts.status: " + status.status().message());
  *out = {account_id, stmt->getColumn(0).getString(), *status == domain::AccountStatus::kActive,
          SortedUnique(DecodeList(stmt->getColumn(2).getString())),
          SortedUnique(DecodeList(stmt->getColumn(3).getString()))};
  return true;
}

// The values of (account_id, region) that get an entry: state ok or stale, with a value.
std::vector<std::pair<std::string, double>> Counted(const std::vector<domain::QuotaValue>& values) {
  std::vector<std::pair<std::string, double>> out;
  for (const domain::QuotaValue& v : values) {
    if (!v.value) continue;
    if (v.state != domain::QuotaState::kOk && v.state != domain::QuotaState::kStale) continue;
    out.emplace_back(v.quota_code, *v.value);
  }
  return out;
}

std::vector<std::pair<std::string, double>> CachedCounted(Connection& c, const std::string& account_id,
                                                          const std::string& region) {
  Stmt stmt = c.Prepare(
      "SELECT quota_code, value FROM quota_values WHERE account_id = ?1 AND region = ?2 AND value IS NOT NULL "
      "AND state IN ('ok', 'stale')");
  stmt->bind(1, account_id);
  stmt->bind(2, region);
  std::vector<std::pair<std::string, double>> out;
  while (stmt->executeStep()) out.emplace_back(stmt->getColumn(0).getString(), stmt->getColumn(1).getDouble());
  return out;
}

// Inserts the rows of (a, region) in its two scopes. REQUIRES: a active and using region.
void InsertRows(Connection& c, const Indexed& a, const std::string& name_key, const std::string& region,
                const std::vector<std::pair<std::string, double>>& values) {
  if (values.empty()) return;
  Stmt insert = c.Prepare(
      "INSERT OR REPLACE INTO quota_sort_rows (account_id, region, scope, quota_code, value, name_key, account_name) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const std::string& scope : {std::string(kFleetScope), TeamSetScope(a.teams)}) {
    for (const auto& [code, value] : values) {
      insert->reset();
      insert->bind(1, a.account_id);
      insert->bind(2, region);
      insert->bind(3, scope);
      insert->bind(4, code);
      insert->bind(5, value);
      insert->bind(6, name_key);
      insert->bind(7, a.account_name);
      insert->exec();
    }
  }
}

void IndexAccount(Connection& c, const Indexed& a) {
  if (!a.active) return;
  const std::string name_key = CollationKey(a.account_name);
  for (const std::string& region : a.regions)
    InsertRows(c, a, name_key, region, CachedCounted(c, a.account_id, region));
}

}  // namespace

void ApplyAccountToSortIndex(Connection& c, const domain::Account* before, const domain::Account& after) {
  const Indexed now = Indexed::Of(after);
  if (before != nullptr) {
    if (Indexed::Of(*before) == now) return;  // e.g. a credential rotation: nothing the index keeps
    Stmt del = c.Prepare("DELETE FROM quota_sort_rows WHERE account_id = ?1");
    del->bind(1, after.account_id);
    del->exec();
  }
  IndexAccount(c, now);
}

void ApplySnapshotToSortIndex(Connection& c, const domain::QuotaSnapshot& snapshot) {
  {
    Stmt del = c.Prepare("DELETE FROM quota_sort_rows WHERE account_id = ?1 AND region = ?2");
    del->bind(1, snapshot.account_id);
    del->bind(2, snapshot.region);
    del->exec();
  }
  Indexed a;
  if (!ReadAccount(c, snapshot.account_id, &a)) return;  // a snapshot of an unknown account has no entry
  if (!a.active || !std::binary_search(a.regions.begin(), a.regions.end(), snapshot.region)) return;
  InsertRows(c, a, CollationKey(a.account_name), snapshot.region, Counted(snapshot.values));
}

void RebuildSortIndex(Connection& c) {
  c.Exec("DELETE FROM quota_sort_rows");
  std::vector<std::string> ids;
  {
    Stmt stmt = c.Prepare("SELECT account_id FROM accounts");
    while (stmt->executeStep()) ids.push_back(stmt->getColumn(0).getString());
  }
  for (const std::string& id : ids) {
    Indexed a;
    if (ReadAccount(c, id, &a)) IndexAccount(c, a);
  }
}

void RebuildSortIndexNameKeys(Connection& c) {
  if (!Exists(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", "quota_sort_rows")) return;
  std::vector<std::pair<std::string, std::string>> accounts;
  {
    Stmt stmt = c.Prepare("SELECT account_id, account_name FROM accounts");
    while (stmt->executeStep()) accounts.emplace_back(stmt->getColumn(0).getString(), stmt->getColumn(1).getString());
  }
  Stmt update = c.Prepare("UPDATE quota_sort_rows SET name_key = ?1 WHERE account_id = ?2");
  for (const auto& [id, name] : accounts) {
    update->reset();
    update->bind(1, CollationKey(name));
    update->bind(2, id);
    update->exec();
  }
}

}  // namespace sqlite_internal

// ---- Reads ---------------------------------------------------------------------------------------------

namespace {

constexpr std::string_view kValueSortCursor = "value_sort";

// A row with its full sort key.
struct KeyedRow {
  double value = 0;
  std::string name_key;
  ValueSortRow row;
};

// Exact text of a double (%.17g round-trips through strtod).
std::string ValueText(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// True when a sorts before b in the query's order.
bool Before(const KeyedRow& a, const KeyedRow& b, bool descending) {
  if (a.value != b.value) return descending ? a.value > b.value : a.value < b.value;
  return std::tie(a.name_key, a.row.account_id, a.row.region) < std::tie(b.name_key, b.row.account_id, b.row.region);
}

// The cursor's position: the sort key of the last row served.
struct Position {
  double value = 0;
  std::string name_key, account_id, region;
};

// Up to `limit` rows of `scope` after `after` (nullptr: from the start), appended to `out` in the query's order.
// REQUIRES: a transaction open on `c`.
void ReadScope(Connection& c, const std::string& scope, const ValueSortQuery& q, const Position* after, int64_t limit,
               std::vector<KeyedRow>* out) {
  const std::string order = std::string(q.descending ? "value DESC" : "value") + ", name_key, account_id, region";
  // "?3 = ?3" keeps the parameter numbering the same with and without the region filter.
  const std::string head =
      "SELECT value, name_key, account_id, region, account_name FROM quota_sort_rows WHERE scope = ?1 AND "
      "quota_code = ?2" +
      std::string(q.region.empty() ? " AND ?3 = ?3" : " AND region = ?3");
  int64_t left = limit;
  auto run = [&](const std::string& sql, bool tie) {
    Stmt stmt = c.Prepare(sql);
    stmt->bind(1, scope);
    stmt->bind(2, q.quota_code);
    stmt->bind(3, q.region);
    int next = 4;
    if (after != nullptr) {
      stmt->bind(next++, after->value);
      if (tie) {
        stmt->bind(next++, after->name_key);
        stmt->bind(next++, after->account_id);
        stmt->bind(next++, after->region);
      }
    }
    stmt->bind(next, left);
    while (stmt->executeStep()) {
      KeyedRow r;
      r.value = stmt->getColumn(0).getDouble();
      r.name_key = stmt->getColumn(1).getString();
      r.row.account_id = stmt->getColumn(2).getString();
      r.row.region = stmt->getColumn(3).getString();
      r.row.account_name = stmt->getColumn(4).getString();
      r.row.value = r.value;
      out->push_back(std::move(r));
      --left;
    }
  };
  if (after == nullptr) {
    run(head + " ORDER BY " + order + " LIMIT ?4", false);
    return;
  }
  // The rows tied with the cursor's value after its (name_key, account_id, region), then the rows past its value.
  run(head + " AND value = ?4 AND (name_key, account_id, region) > (?5, ?6, ?7) ORDER BY " + order + " LIMIT ?8", true);
  if (left <= 0) return;
  run(head + (q.descending ? " AND value < ?4" : " AND value > ?4") + " ORDER BY " + order + " LIMIT ?5", false);
}

}  // namespace

Result<ValueSortPage> SqliteStore::ListRowsByValue(const ValueSortQuery& q) {
  RETURN_IF_ERROR(CheckLimit(q.limit, 200));
  if (q.quota_code.empty()) return InvalidArgument("a quota code is required", "sort");
  std::optional<Position> after;
  if (!q.cursor.empty()) {
    ASSIGN_OR_RETURN(auto f, DecodeCursor(q.cursor, kValueSortCursor, 6));
    if (f[0] != q.quota_code || f[1] != (q.descending ? "desc" : "asc")) {
      return InvalidArgument("the cursor belongs to another sort", "cursor");
    }
    char* end = nullptr;
    const double v = std::strtod(f[2].c_str(), &end);
    if (f[2].empty() || end != f[2].c_str() + f[2].size() || std::isnan(v)) {
      return InvalidArgument("malformed cursor", "cursor");
    }
    after = Position{v, f[3], f[4], f[5]};
  }
  return Read("ListRowsByValue", [&](Connection& c) -> Result<ValueSortPage> {
    ReadTransaction txn(c);  // every scope's page from one snapshot
    std::vector<std::string> scopes;
    if (q.fleet) {
      scopes.emplace_back(sqlite_internal::kFleetScope);
    } else {
      for (const std::string& team : q.teams) {
        Stmt stmt = c.Prepare("SELECT scope FROM quota_aggregate_team_scopes WHERE team_id = ?1");
        stmt->bind(1, team);
        while (stmt->executeStep()) scopes.push_back(stmt->getColumn(0).getString());
      }
      std::sort(scopes.begin(), scopes.end());
      scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    }
    // limit + 1 per scope: the merged first limit + 1 tell the page and whether another row follows.
    std::vector<KeyedRow> rows;
    for (const std::string& scope : scopes) ReadScope(c, scope, q, after ? &*after : nullptr, q.limit + 1, &rows);
    std::sort(rows.begin(), rows.end(),
              [&](const KeyedRow& a, const KeyedRow& b) { return Before(a, b, q.descending); });
    ValueSortPage page;
    const bool more = rows.size() > static_cast<size_t>(q.limit);
    if (more) rows.resize(static_cast<size_t>(q.limit));
    for (KeyedRow& r : rows) page.rows.push_back(r.row);
    if (more && !rows.empty()) {
      const KeyedRow& last = rows.back();
      page.next = EncodeCursor(kValueSortCursor, {q.quota_code, q.descending ? "desc" : "asc", ValueText(last.value),
                                                  last.name_key, last.row.account_id, last.row.region});
    }
    return page;
  });
}

}  // namespace ap::store
