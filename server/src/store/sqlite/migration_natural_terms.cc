// Migration 19: search results in natural order across matched terms (common/text_fold.h, NaturalTermKey).
//
// Until 18, account_terms.term was the folded term itself ("bench-10" before "bench-2", byte-wise). From 19 it is
// NaturalTermKey(term): each ASCII digit run length-prefixed, so that terms order digit runs as numbers and a
// query still selects key ranges (one per NaturalQueryPrefixes prefix). The data step recomputes every account's
// search entries from its name and id, in the partitions (scope, status) and with the name_key of its list
// entries, so it is idempotent (a re-run, or a database whose migration 5 back-fill already wrote the new keys,
// ends with the same rows). O(accounts), once; never a request path.
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/text_fold.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store::sqlite_internal {

namespace {

void ReencodeSearchTerms(Connection& c) {
  std::vector<std::pair<std::string, std::string>> accounts;  // id, name (read by name: later schemas keep them)
  {
    Stmt stmt = c.Prepare("SELECT account_id, account_name FROM accounts");
    while (stmt->executeStep()) accounts.emplace_back(stmt->getColumn(0).getString(), stmt->getColumn(1).getString());
  }
  Stmt partitions = c.Prepare("SELECT scope, status, name_key FROM account_list WHERE account_id = ?1");
  Stmt del = c.Prepare("DELETE FROM account_terms WHERE account_id = ?1");
  Stmt insert = c.Prepare(
      "INSERT OR IGNORE INTO account_terms (scope, status, term, name_key, account_id) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto& [id, name] : accounts) {
    std::vector<std::tuple<std::string, std::string, std::string>> rows;  // scope, status, name_key
    partitions->reset();
    partitions->bind(1, id);
    while (partitions->executeStep()) {
      rows.emplace_back(partitions->getColumn(0).getString(), partitions->getColumn(1).getString(),
                        partitions->getColumn(2).getString());
    }
    del->reset();
    del->bind(1, id);
    del->exec();
    std::vector<std::string> terms = {NaturalTermKey(id)};
    for (const std::string& t : SearchTerms(name)) terms.push_back(NaturalTermKey(t));
    for (const auto& [scope, status, name_key] : rows) {
      for (const std::string& term : terms) {
        insert->reset();
        insert->bind(1, scope);
        insert->bind(2, status);
        insert->bind(3, term);
        insert->bind(4, name_key);
        insert->bind(5, id);
        insert->exec();
      }
    }
  }
}

}  // namespace

Migration NaturalTermsMigration() {
  return {19, "search terms in natural order (digit runs length-prefixed)", "SELECT 1;", ReencodeSearchTerms};
}

}  // namespace ap::store::sqlite_internal
