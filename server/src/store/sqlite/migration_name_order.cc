// Migration 18: accounts list in natural, locale-aware order (common/collation.h).
//
// Until 17, name_key (account_list, account_terms) was FoldCase(account_name), compared byte-wise: "bench-10"
// before "bench-2", Chinese by code point. From 18 it is CollationKey(account_name), hex, still compared
// byte-wise, so the tables, queries and O(page) cost are unchanged; the data step recomputes every entry's key and
// records the collator version (NameKeySetting) so that Open can tell when an ICU upgrade changes the keys and
// rebuild them the same way (sqlite_store.cc).
#include <string>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "common/log.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store::sqlite_internal {

std::string NameKeySetting() { return "account_name_keys:" + CollationVersion(); }

bool AccountNameKeysCurrent(Connection& c) {
  return Exists(c, "SELECT 1 FROM settings WHERE name = ?1", NameKeySetting());
}

void RebuildAccountNameKeys(Connection& c) {
  std::vector<std::pair<std::string, std::string>> accounts;  // id, name (read by name: later schemas keep them)
  {
    Stmt stmt = c.Prepare("SELECT account_id, account_name FROM accounts");
    while (stmt->executeStep()) accounts.emplace_back(stmt->getColumn(0).getString(), stmt->getColumn(1).getString());
  }
  Stmt list = c.Prepare("UPDATE account_list SET name_key = ?1 WHERE account_id = ?2");
  Stmt terms = c.Prepare("UPDATE account_terms SET name_key = ?1 WHERE account_id = ?2");
  for (const auto& [id, name] : accounts) {
    const std::string key = CollationKey(name);
    for (Stmt* s : {&list, &terms}) {
      (*s)->reset();
      (*s)->bind(1, key);
      (*s)->bind(2, id);
      (*s)->exec();
    }
  }
  RebuildSortIndexNameKeys(c);  // the dashboard's value-sorted index keeps the same keys
  Stmt record = c.Prepare("INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING");
  record->bind(1, NameKeySetting());
  record->bind(2, CollationVersion());
  record->exec();
}

Status EnsureAccountNameKeys(Connection& c) {
  return Guarded("EnsureAccountNameKeys", [&]() -> Status {
    if (AccountNameKeysCurrent(c)) return Status::Ok();
    WriteTransaction txn(c);
    if (AccountNameKeysCurrent(c)) return Status::Ok();  // another process rebuilt them meanwhile
    RebuildAccountNameKeys(c);
    txn.Commit();
    log::Info("account_name_keys_rebuilt", {{"collation", CollationVersion()}});
    return Status::Ok();
  });
}

Migration NameOrderMigration() {
  return {18, "natural, locale-aware account name order", "SELECT 1;", RebuildAccountNameKeys};
}

}  // namespace ap::store::sqlite_internal
