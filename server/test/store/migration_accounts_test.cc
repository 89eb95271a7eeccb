// Migration 5 (store/sqlite/migration_accounts.cc): a registry written before it (account_teams, no list or search
// entries, no counts) is listed, searched and counted the same as one written after it.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/text_fold.h"
#include "status_matchers.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store_conformance_fixtures.h"

namespace ap::store {
namespace {

namespace fs = std::filesystem;
using testing::fixtures::AccountIds;
using testing::fixtures::MakeAccount;

std::string TempPath() {
  std::string pattern = (fs::temp_directory_path() / "ap_migration5.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

TEST(AccountIndexMigration, BackFillsListSearchAndCountsOfExistingAccounts) {
  const std::string dir = TempPath();
  const std::string path = dir + "/store.db";
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Straße Prod", {"blue", "red"})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("222222222222", "alpha", {"red"})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("333333333333", "Old box", {}, domain::AccountStatus::kInactive)));
  }
  {
    // Back to the shape of schema 4 for the account tables: what a database made by the previous release holds.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(
        "DROP TABLE account_list; DROP TABLE account_terms; DROP TABLE account_counts;"
        "CREATE INDEX accounts_by_name ON accounts(account_name COLLATE NOCASE, account_id);"
        "CREATE TABLE account_teams (account_id TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,"
        " team_id TEXT NOT NULL, PRIMARY KEY (account_id, team_id)) WITHOUT ROWID;"
        "INSERT INTO account_teams VALUES ('111111111111', 'blue'), ('111111111111', 'red'),"
        " ('222222222222', 'red');");
  }
  {
    auto conn = sqlite_internal::Connection::Open(path, SQLite::OPEN_READWRITE, std::chrono::milliseconds(1000));
    ASSERT_OK(conn);
    const sqlite_internal::Migration m = sqlite_internal::AccountIndexMigration();
    EXPECT_EQ(m.version, 5);
    (*conn)->Exec("BEGIN IMMEDIATE");
    (*conn)->Exec(m.sql);
    ASSERT_NE(m.code, nullptr);
    m.code(**conn);
    (*conn)->Exec("COMMIT");
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  AccountFilter all;
  auto page = (*store)->ListAccounts(all);
  ASSERT_OK(page);
  EXPECT_EQ(AccountIds(*page), (std::vector<std::string>{"222222222222", "333333333333", "111111111111"}));
  EXPECT_EQ(page->total, 3);
  auto counts = (*store)->CountAccounts();
  ASSERT_OK(counts);
  EXPECT_EQ(counts->active, 2);
  EXPECT_EQ(counts->inactive, 1);
  AccountFilter red;
  red.any_of_teams = {"red"};
  EXPECT_EQ(AccountIds(*(*store)->ListAccounts(red)), (std::vector<std::string>{"222222222222", "111111111111"}));
  AccountFilter search;
  search.search = "STRASSE";
  EXPECT_EQ(AccountIds(*(*store)->ListAccounts(search)), std::vector<std::string>{"111111111111"});
  search.search = "3333";
  search.status = domain::AccountStatus::kInactive;
  EXPECT_EQ(AccountIds(*(*store)->ListAccounts(search)), std::vector<std::string>{"333333333333"});
  store->reset();
  fs::remove_all(dir);
}

// Migration 18 (store/sqlite/migration_name_order.cc): entries written with folded-name keys (schema 17) are listed
// in natural order once it has run, in every partition, and search still finds them.
TEST(NameOrderMigration, RecomputesTheNameKeysOfExistingEntries) {
  const std::string dir = TempPath();
  const std::string path = dir + "/store.db";
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "bench-10", {"red"})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("222222222222", "bench-2", {"red"})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("333333333333", "上海", {})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("444444444444", "北京", {})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("555555555555", "Bench-100", {"red"})));
  }
  {
    // Back to what schema 17 wrote: name_key = the folded name (lower() folds these names the same way).
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(
        "UPDATE account_list SET name_key = (SELECT lower(account_name) FROM accounts a"
        " WHERE a.account_id = account_list.account_id);"
        "UPDATE account_terms SET name_key = (SELECT lower(account_name) FROM accounts a"
        " WHERE a.account_id = account_terms.account_id);"
        "DELETE FROM settings WHERE name LIKE 'account_name_keys:%';"
        "ALTER TABLE users DROP COLUMN must_change_password;"  // migrations 20 to 22 run again after 18
        "ALTER TABLE quota_values DROP COLUMN aws_default;"
        "ALTER TABLE quota_values DROP COLUMN aws_default_read_at_ms;"
        "DROP TABLE quota_sort_rows;"
        "DELETE FROM schema_migrations WHERE version >= 18;");
    ASSERT_EQ(raw.execAndGet("SELECT name_key FROM account_list WHERE account_id = '111111111111' AND scope = '*'")
                  .getString(),
              "bench-10");
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  using Ids = std::vector<std::string>;
  EXPECT_EQ(AccountIds(*(*store)->ListAccounts({})),
            (Ids{"222222222222", "111111111111", "555555555555", "444444444444", "333333333333"}));
  AccountFilter red;
  red.any_of_teams = {"red"};
  red.limit = 1;
  Ids paged;
  for (int i = 0; i < 10; ++i) {
    auto page = (*store)->ListAccounts(red);
    ASSERT_OK(page);
    for (const auto& a : page->items) paged.push_back(a.account_id);
    if (page->next.empty()) break;
    red.cursor = page->next;
  }
  EXPECT_EQ(paged, (Ids{"222222222222", "111111111111", "555555555555"}));
  AccountFilter search;
  search.search = "上";
  EXPECT_EQ(AccountIds(*(*store)->ListAccounts(search)), Ids{"333333333333"});
  store->reset();
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM schema_migrations").getInt(), SqliteStore::SchemaVersion());
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM settings WHERE name LIKE 'account_name_keys:%'").getInt(), 1);
  fs::remove_all(dir);
}

// A database whose keys another collator version made (another ICU: its setting names that version) gets its keys
// rebuilt when opened (SqliteStore::Open, sqlite_internal::EnsureAccountNameKeys).
TEST(NameOrderMigration, OpenRebuildsKeysMadeByAnotherCollatorVersion) {
  const std::string dir = TempPath();
  const std::string path = dir + "/store.db";
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "node-10")));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("222222222222", "node-9")));
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(
        "UPDATE account_list SET name_key = account_id; UPDATE account_terms SET name_key = account_id;"
        "UPDATE settings SET name = 'account_name_keys:1:0.0.0.0' WHERE name LIKE 'account_name_keys:%';");
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  EXPECT_EQ(AccountIds(*(*store)->ListAccounts({})), (std::vector<std::string>{"222222222222", "111111111111"}));
  store->reset();
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM settings WHERE name LIKE 'account_name_keys:%'").getInt(), 2);
  fs::remove_all(dir);
}

// Migration 19 (store/sqlite/migration_natural_terms.cc): search entries holding the plain folded terms (schema 18)
// are re-encoded as NaturalTermKey, in every partition, so search lists digit runs in natural order.
TEST(NaturalTermsMigration, ReencodesTheSearchTermsOfExistingEntries) {
  const std::string dir = TempPath();
  const std::string path = dir + "/store.db";
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "bench-10", {"red"})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("222222222222", "bench-2", {"red"})));
    ASSERT_OK((*store)->CreateAccount(MakeAccount("333333333333", "Bench-100", {})));
    ASSERT_OK(
        (*store)->CreateAccount(MakeAccount("444444444444", "bench-1", {"red"}, domain::AccountStatus::kInactive)));
  }
  {
    // Back to what schema 18 wrote: one row per plain folded term (and the id) in each partition of the account.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    const std::vector<std::pair<std::string, std::string>> accounts = {{"111111111111", "bench-10"},
                                                                       {"222222222222", "bench-2"},
                                                                       {"333333333333", "Bench-100"},
                                                                       {"444444444444", "bench-1"}};
    // Migrations 20 to 22 run again after 19: undo them too.
    raw.exec(
        "DELETE FROM account_terms; ALTER TABLE users DROP COLUMN must_change_password;"
        "ALTER TABLE quota_values DROP COLUMN aws_default; ALTER TABLE quota_values DROP COLUMN aws_default_read_at_ms;"
        "DROP TABLE quota_sort_rows; DELETE FROM schema_migrations WHERE version >= 19;");
    for (const auto& [id, name] : accounts) {
      std::vector<std::string> terms = SearchTerms(name);
      terms.push_back(id);
      for (const std::string& term : terms) {
        SQLite::Statement insert(
            raw,
            "INSERT INTO account_terms (scope, status, term, name_key, account_id) "
            "SELECT scope, status, ?1, name_key, account_id FROM account_list WHERE account_id = ?2");
        insert.bind(1, term);
        insert.bind(2, id);
        insert.exec();
      }
    }
    ASSERT_EQ(raw.execAndGet("SELECT count(*) FROM account_terms WHERE term = 'bench-10'").getInt(), 2);
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  using Ids = std::vector<std::string>;
  auto pages = [&](AccountFilter f) {
    Ids seen;
    for (int i = 0; i < 10; ++i) {
      auto page = (*store)->ListAccounts(f);
      EXPECT_OK(page);
      if (!page.ok()) break;
      for (const auto& a : page->items) seen.push_back(a.account_id);
      if (page->next.empty()) break;
      f.cursor = page->next;
    }
    return seen;
  };
  AccountFilter search;
  search.search = "bench";
  search.limit = 1;
  EXPECT_EQ(pages(search), (Ids{"444444444444", "222222222222", "111111111111", "333333333333"}));
  search.any_of_teams = {"red"};
  EXPECT_EQ(pages(search), (Ids{"444444444444", "222222222222", "111111111111"}));
  search.status = domain::AccountStatus::kActive;
  EXPECT_EQ(pages(search), (Ids{"222222222222", "111111111111"}));
  AccountFilter by_id;
  by_id.search = "3333";
  EXPECT_EQ(pages(by_id), Ids{"333333333333"});
  store->reset();
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM schema_migrations").getInt(), SqliteStore::SchemaVersion());
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM account_terms WHERE term = 'bench-10'").getInt(), 0);
  // bench-10 in "*" and "team:red": the id and its terms "bench-10" and "10" in each.
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM account_terms WHERE account_id = '111111111111'").getInt(), 6);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ap::store
