// Migration 5: account list and search indexes, and the per-status account counts (store/account_store.h).
//
// Replaces account_teams (a join per list) and accounts_by_name (ASCII NOCASE order) with partitioned index
// tables that a page reads from its cursor, ordered by the Unicode-folded name (common/text_fold.h):
// account_list and account_terms (see sqlite_store_accounts.cc), and account_counts. The data step back-fills
// the entries of every existing account with the same function the account writes use.
#include <string>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store::sqlite_internal {
namespace {

constexpr char kSql[] = R"sql(
CREATE TABLE account_list (
  scope      TEXT NOT NULL,
  status     TEXT NOT NULL,
  name_key   TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (scope, status, name_key, account_id)
) WITHOUT ROWID;
CREATE INDEX account_list_by_account ON account_list(account_id);

CREATE TABLE account_terms (
  scope      TEXT NOT NULL,
  status     TEXT NOT NULL,
  term       TEXT NOT NULL,
  name_key   TEXT NOT NULL,
  account_id TEXT NOT NULL,
  PRIMARY KEY (scope, status, term, name_key, account_id)
) WITHOUT ROWID;
CREATE INDEX account_terms_by_account ON account_terms(account_id);

CREATE TABLE account_counts (
  status TEXT PRIMARY KEY NOT NULL,
  count  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO account_counts (status, count) SELECT status, count(*) FROM accounts GROUP BY status;

DROP INDEX accounts_by_name;
DROP TABLE account_teams;
)sql";

// Reads only the columns the index needs, by name, so that later migrations of the accounts table cannot break it.
void BackFill(Connection& conn) {
  struct Row {
    std::string id, name, status, teams;
  };
  std::vector<Row> rows;
  {
    Stmt stmt = conn.Prepare("SELECT account_id, account_name, status, teams FROM accounts");
    while (stmt->executeStep()) {
      rows.push_back({stmt->getColumn(0).getString(), stmt->getColumn(1).getString(), stmt->getColumn(2).getString(),
                      stmt->getColumn(3).getString()});
    }
  }
  for (const Row& r : rows) WriteAccountIndex(conn, r.id, r.name, r.status, DecodeList(r.teams));
}

}  // namespace

Migration AccountIndexMigration() { return {5, "account list and search indexes", kSql, BackFill}; }

}  // namespace ap::store::sqlite_internal
