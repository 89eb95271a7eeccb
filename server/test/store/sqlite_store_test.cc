// SqliteStore: the conformance suite against ":memory:" and a file, plus what only a file-backed SQLite store
// has: migrations, re-opening, open failures, schema versions, and a read pool under concurrent writes.
#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "status_matchers.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/row_codec.h"
#include "store_conformance.h"
#include "store_conformance_fixtures.h"

namespace ap::store {
namespace {

// Takes out what migrations 11 and later added, so that a test can run them again (a new migration adds its undo
// here, once for every test that re-runs migrations).
constexpr char kUndoMigrations11On[] = R"sql(
ALTER TABLE quota_config_models DROP COLUMN output_token_burndown;
DROP TABLE usage_hours;
DROP TABLE usage_snapshots;
DROP TABLE usage_headroom;
DROP TABLE alert_rules;  -- migration 13
DROP TABLE alerts;
DROP TABLE alert_channels;  -- migration 14
ALTER TABLE quota_snapshots DROP COLUMN lowered_at_ms;  -- migration 15 (quota snapshot last lowered)
ALTER TABLE quota_snapshots DROP COLUMN lowered_code;
ALTER TABLE quota_snapshots DROP COLUMN lowered_previous;
ALTER TABLE quota_snapshots DROP COLUMN lowered_value;
ALTER TABLE jobs DROP COLUMN include_usage;  -- migration 16
ALTER TABLE jobs DROP COLUMN usage_failed;
ALTER TABLE job_items DROP COLUMN usage_state;
ALTER TABLE job_items DROP COLUMN usage_error;
DROP TABLE increase_requests;  -- migration 17
ALTER TABLE jobs DROP COLUMN params;
ALTER TABLE job_items DROP COLUMN ref;
UPDATE account_list SET name_key = 'stale';  -- migration 18 (it recomputes every name_key)
UPDATE account_terms SET name_key = 'stale';
DELETE FROM account_terms;  -- migration 19 (it recomputes every account's search entries)
ALTER TABLE users DROP COLUMN must_change_password;  -- migration 20
ALTER TABLE quota_values DROP COLUMN aws_default;  -- migration 21
ALTER TABLE quota_values DROP COLUMN aws_default_read_at_ms;
DROP TABLE quota_sort_rows;  -- migration 22 (value-sorted dashboard index)
)sql";

namespace fs = std::filesystem;
using testing::StoreConformance;
using testing::StoreFactory;

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ap_store_test.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();  // no place to put test files: nothing can pass
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// The directory the file-backed conformance stores live in: one per process, removed when the suite ends
// (a static object's destructor runs after RUN_ALL_TESTS, once every store is closed).
TempDir& SuiteDir() {
  static TempDir dir;
  return dir;
}

std::unique_ptr<Store> OpenOrNull(const SqliteStoreOptions& options) {
  auto store = SqliteStore::Open(options);
  if (!store.ok()) {
    ADD_FAILURE() << "SqliteStore::Open(" << options.path << "): " << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

INSTANTIATE_TEST_SUITE_P(SqliteMemory, StoreConformance,
                         ::testing::Values(StoreFactory([] { return OpenOrNull({.path = ":memory:"}); })));

INSTANTIATE_TEST_SUITE_P(SqliteFile, StoreConformance, ::testing::Values(StoreFactory([] {
                           static std::atomic<int> counter{0};
                           return OpenOrNull(
                               {.path = SuiteDir().File("conformance-" + std::to_string(++counter) + ".db")});
                         })));

// ---- SQLite-specific behaviour ----------------------------------------------------------------------------

domain::Account MakeAccount(const std::string& id, const std::string& name) {
  domain::Account a;
  a.account_id = id;
  a.account_name = name;
  a.regions = {"us-east-1"};
  a.teams = {"red"};
  a.sealed_credentials = "sealed";
  a.version = 1;
  return a;
}

// A 12-digit account id: two digits of `prefix`, ten of `n`.
std::string AccountId(int prefix, int n) {
  std::string p = std::to_string(prefix), s = std::to_string(n);
  return std::string(2 - p.size(), '0') + p + std::string(10 - s.size(), '0') + s;
}

domain::AuditEntry MakeAudit(const std::string& id) {
  domain::AuditEntry e;
  e.audit_id = id;
  e.at_ms = 1;
  e.actor_id = "u_1";
  e.action = "auth.login";
  e.outcome = "success";
  return e;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(SqliteStoreTest, OpenRecordsEveryMigrationAndUsesWal) {
  const std::string path = dir_.File("store.db");
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
  }
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(raw, "SELECT version, applied_at FROM schema_migrations ORDER BY version");
  int expected = 1;
  while (q.executeStep()) {
    EXPECT_EQ(q.getColumn(0).getInt(), expected++);
    EXPECT_FALSE(q.getColumn(1).getString().empty());
  }
  EXPECT_EQ(expected - 1, SqliteStore::SchemaVersion());
  EXPECT_GE(SqliteStore::SchemaVersion(), 1);
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST_F(SqliteStoreTest, ReopeningAnExistingFileKeepsDataAndDoesNotReapplyMigrations) {
  const std::string path = dir_.File("store.db");
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Prod")));
    domain::QuotaConfig config;
    config.version = 1;
    config.models.push_back({.model_id = "m1", .display_name = "M1", .quota_code_tpm = "L-11111111"});
    ASSERT_OK((*store)->PutQuotaConfig(config, 0));
    ASSERT_OK((*store)->AppendAudit(MakeAudit("a_1")));
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  auto account = (*store)->GetAccount("111111111111");
  ASSERT_OK(account);
  EXPECT_EQ(account->account_name, "Prod");
  auto config = (*store)->GetQuotaConfig();
  ASSERT_OK(config);
  EXPECT_EQ(config->version, 1);
  ASSERT_EQ(config->models.size(), 1u);
  EXPECT_EQ(config->models[0].quota_code_tpm, std::optional<std::string>("L-11111111"));
  EXPECT_FALSE(config->models[0].quota_code_rpm.has_value());
  // The audit log kept its entry, and its id stays taken.
  EXPECT_EQ((*store)->AppendAudit(MakeAudit("a_1")).status().code(), StatusCode::kAlreadyExists);
  ASSERT_OK((*store)->AppendAudit(MakeAudit("a_2")));
  EXPECT_EQ((*store)->ListAudit({}).value().items.size(), 2u);

  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM schema_migrations").getInt(), SqliteStore::SchemaVersion());
}

TEST_F(SqliteStoreTest, OpenInANonexistentDirectoryIsUnavailableWithAClearMessage) {
  const std::string path = dir_.File("missing/sub/store.db");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().message(), "cannot open database " + path + ": unable to open database file");
}

TEST_F(SqliteStoreTest, OpenInAnUnwritableDirectoryIsUnavailable) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  fs::create_directory(dir_.path() / "ro");
  fs::permissions(dir_.path() / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string path = dir_.File("ro/store.db");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().message().rfind("cannot open database " + path + ": ", 0), 0u) << store.status().message();
}

TEST_F(SqliteStoreTest, OpenOfAFileThatIsNotADatabaseIsUnavailable) {
  const std::string path = dir_.File("notes.txt");
  std::ofstream(path) << "this is not a SQLite database, just some text that is long enough to have a header\n";
  auto store = SqliteStore::Open({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().message(), "cannot open database " + path + ": file is not a database");
}

TEST_F(SqliteStoreTest, OpenOfANewerSchemaIsFailedPrecondition) {
  const std::string path = dir_.File("store.db");
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    SQLite::Statement insert(raw, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'future')");
    insert.bind(1, SqliteStore::SchemaVersion() + 1);
    insert.exec();
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition) << store.status().ToString();
  EXPECT_NE(store.status().message().find("schema version " + std::to_string(SqliteStore::SchemaVersion() + 1)),
            std::string::npos)
      << store.status().message();
}

// The aggregates are maintained by the store's own writes; RebuildAggregates (serve --rebuild-aggregates, and
// migration 6's back-fill) recomputes them from the rows after the file was edited by hand.
TEST_F(SqliteStoreTest, RebuildAggregatesRecomputesThemFromTheRows) {
  const std::string path = dir_.File("store.db");
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Prod")));
    domain::QuotaSnapshot snap;
    snap.account_id = "111111111111";
    snap.region = "us-east-1";
    snap.values = {{.quota_code = "L-00000001", .value = 10.0, .state = domain::QuotaState::kOk}};
    ASSERT_OK((*store)->PutQuotaSnapshot(snap));
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE quota_values SET value = 25 WHERE quota_code = 'L-00000001'");
    raw.exec("DELETE FROM quota_aggregate_scopes");
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  EXPECT_EQ((*store)->GetFleetAggregate()->active_accounts, 0);  // the hand edit left them behind
  ASSERT_OK((*store)->RebuildAggregates());
  auto fleet = (*store)->GetFleetAggregate();
  ASSERT_OK(fleet);
  EXPECT_EQ(fleet->active_accounts, 1);
  EXPECT_EQ(fleet->account_regions, 1);
  ASSERT_EQ(fleet->codes.size(), 1u);
  EXPECT_EQ(fleet->codes[0].sum, 25.0);
  EXPECT_EQ(fleet->codes[0].fresh, 1);
  auto red = (*store)->GetTeamAggregates({"red"});
  ASSERT_OK(red);
  ASSERT_EQ(red->size(), 1u);
  EXPECT_EQ((*red)[0].codes.at(0).sum, 25.0);
}

TEST_F(SqliteStoreTest, OpenRejectsOutOfRangeOptions) {
  EXPECT_EQ(SqliteStore::Open({.path = ""}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStore::Open({.path = ":memory:", .busy_timeout = std::chrono::milliseconds(-1)}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStore::Open({.path = ":memory:", .read_connections = -1}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStore::Open({.path = ":memory:", .read_connections = 65}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, WorksWithoutAReadPool) {
  auto store = SqliteStore::Open({.path = dir_.File("store.db"), .read_connections = 0});
  ASSERT_OK(store);
  ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Prod")));
  EXPECT_OK((*store)->GetAccount("111111111111"));
  EXPECT_OK((*store)->Ping());
}

TEST_F(SqliteStoreTest, ListRejectsOutOfRangePages) {
  auto store = SqliteStore::Open({.path = ":memory:"});
  ASSERT_OK(store);
  for (int64_t limit : {0, -1, 1001}) {
    EXPECT_EQ((*store)->ListAccounts({.limit = limit}).status().code(), StatusCode::kInvalidArgument) << limit;
    EXPECT_EQ((*store)->ListAudit({.limit = limit}).status().code(), StatusCode::kInvalidArgument) << limit;
  }
}

TEST_F(SqliteStoreTest, PutQuotaSnapshotRejectsNaNAndDuplicateCodesAndStoresNothing) {
  auto store = SqliteStore::Open({.path = ":memory:"});
  ASSERT_OK(store);
  domain::QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.values = {{.quota_code = "L-00000001", .value = std::nan("")}};
  EXPECT_EQ((*store)->PutQuotaSnapshot(s).code(), StatusCode::kInvalidArgument);
  s.values = {{.quota_code = "L-00000001", .value = 1.0}, {.quota_code = "L-00000001", .value = 2.0}};
  EXPECT_EQ((*store)->PutQuotaSnapshot(s).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*store)->GetQuotaSnapshot("111111111111", "us-east-1").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, AppendAuditWithARepeatedIdIsAlreadyExists) {
  auto store = SqliteStore::Open({.path = ":memory:"});
  ASSERT_OK(store);
  ASSERT_OK((*store)->AppendAudit(MakeAudit("a_1")));
  EXPECT_EQ((*store)->AppendAudit(MakeAudit("a_1")).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ((*store)->ListAudit({}).value().items.size(), 1u);
}

// A database as the release before schema 8 left it: audit log and quota history with store-assigned seq, no
// user counters. Migration 8 keeps every value, gives history entries their ids and back-fills the counters.
TEST_F(SqliteStoreTest, Migration8KeepsAuditAndHistoryAndBackfillsUserCounters) {
  const std::string path = dir_.File("store.db");
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    domain::User admin{.user_id = "u_1", .email = "ada@example.com", .role = domain::Role::kAdmin};
    domain::User off{.user_id = "u_2", .email = "bob@example.com", .role = domain::Role::kAdmin, .disabled = true};
    domain::User user{.user_id = "u_3", .email = "carol@example.com"};
    for (const auto& u : {admin, off, user}) ASSERT_OK((*store)->CreateUser(u));
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(R"sql(
DROP TABLE audit_log;
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, audit_id TEXT NOT NULL UNIQUE, at_ms INTEGER NOT NULL,
  actor_id TEXT NOT NULL, actor_email TEXT NOT NULL, action TEXT NOT NULL, target_type TEXT NOT NULL,
  target_id TEXT NOT NULL, outcome TEXT NOT NULL, client_ip TEXT NOT NULL, user_agent TEXT NOT NULL,
  request_id TEXT NOT NULL, detail TEXT NOT NULL, event_count INTEGER NOT NULL DEFAULT 1,
  last_at_ms INTEGER NOT NULL DEFAULT 0, coalesce_key TEXT);
INSERT INTO audit_log (audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, client_ip,
                       user_agent, request_id, detail, event_count, last_at_ms, coalesce_key) VALUES
  ('a_ffff00000001', 1000, 'u_1', 'ada@example.com', 'account.create', 'account', '111111111111', 'success',
   '198.51.100.1', 'curl', 'req-1', '{"k":1}', 1, 0, NULL),
  ('a_000000000002', 2000, 'anonymous', '', 'auth.login', 'user', 'x@example.com', 'failure', '198.51.100.2', '',
   'req-2', '', 3, 2500, 'key');
DROP TABLE quota_history;
CREATE TABLE quota_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL, region TEXT NOT NULL, quota_code TEXT NOT NULL,
  at_ms INTEGER NOT NULL, event TEXT NOT NULL, value REAL, previous_value REAL, state TEXT NOT NULL,
  is_default INTEGER NOT NULL, reason TEXT NOT NULL);
INSERT INTO quota_history (account_id, region, quota_code, at_ms, event, value, previous_value, state, is_default,
                           reason) VALUES
  ('111111111111', 'us-east-1', 'L-1', 10, 'first_read', 5.0, NULL, 'ok', 1, ''),
  ('111111111111', 'us-east-1', 'L-1', 20, 'changed', 6.0, 5.0, 'ok', 0, ''),
  ('111111111111', 'us-east-1', 'L-1', 20, 'became_stale', 6.0, NULL, 'stale', 0, 'throttled'),
  ('111111111111', 'us-east-1', 'L-2', 30, 'failed', NULL, NULL, 'error', 0, 'denied');
DROP TABLE user_counters;
-- What migrations 9 to 15 added goes too, so that 8 to 15 run again.
DROP TABLE leases;
DROP TABLE epochs;
ALTER TABLE jobs DROP COLUMN fence;
DROP TABLE settings;
)sql" + std::string(kUndoMigrations11On) +
             "DELETE FROM schema_migrations WHERE version >= 8;");
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  auto audit = (*store)->ListAudit({});
  ASSERT_OK(audit);
  ASSERT_EQ(audit->items.size(), 2u);
  const domain::AuditEntry& login = audit->items[0];
  EXPECT_EQ(login.audit_id, "a_000000000002");
  EXPECT_EQ(login.count, 3);
  EXPECT_EQ(login.last_at_ms, 2500);
  const domain::AuditEntry& create = audit->items[1];
  EXPECT_EQ(create.audit_id, "a_ffff00000001");  // ordered by time, not by the old random id
  EXPECT_EQ(create.at_ms, 1000);
  EXPECT_EQ(create.actor_email, "ada@example.com");
  EXPECT_EQ(create.client_ip, "198.51.100.1");
  EXPECT_EQ(create.user_agent, "curl");
  EXPECT_EQ(create.request_id, "req-1");
  EXPECT_EQ(create.detail, "{\"k\":1}");
  store::AuditFilter by_prefix;
  by_prefix.action = "account.";
  EXPECT_EQ((*store)->ListAudit(by_prefix).value().items.size(), 1u);
  store::QuotaHistoryFilter hf{.account_id = "111111111111", .region = "us-east-1"};
  auto history = (*store)->ListQuotaHistory(hf);
  ASSERT_OK(history);
  ASSERT_EQ(history->items.size(), 4u);
  EXPECT_EQ(history->items[0].history_id, domain::HistoryId(10, "L-1"));
  EXPECT_EQ(history->items[0].value, 5.0);
  EXPECT_TRUE(history->items[0].is_default);
  EXPECT_EQ(history->items[1].history_id, domain::HistoryId(20, "L-1"));
  EXPECT_EQ(history->items[1].event, domain::QuotaEvent::kChanged);
  EXPECT_EQ(history->items[1].previous_value, 5.0);
  EXPECT_EQ(history->items[2].history_id, domain::HistoryId(20, "L-1") + "~2");  // the same millisecond and code
  EXPECT_EQ(history->items[2].event, domain::QuotaEvent::kBecameStale);
  EXPECT_EQ(history->items[2].reason, "throttled");
  EXPECT_EQ(history->items[3].history_id, domain::HistoryId(30, "L-2"));
  EXPECT_FALSE(history->items[3].value.has_value());
  EXPECT_EQ(history->items[3].state, domain::QuotaState::kError);

  EXPECT_EQ((*store)->CountUsers().value(), 3);
  EXPECT_EQ((*store)->CountEnabledAdmins().value(), 1);
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM schema_migrations").getInt(), SqliteStore::SchemaVersion());
}

// A database at schema 10 (no output_token_burndown column, no usage tables) with a stored config: migration 11
// adds the column and every model stored before it reads back with the default, 5 (12 adds the usage tables).
TEST_F(SqliteStoreTest, Migration11ReadsModelsStoredBeforeItWithTheDefaultBurndown) {
  const std::string path = dir_.File("store.db");
  const domain::QuotaConfig config = testing::fixtures::TwoModelConfig(9, 1);
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_OK(store);
    ASSERT_OK((*store)->PutQuotaConfig(config, 0));
  }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(std::string(kUndoMigrations11On) + "DELETE FROM schema_migrations WHERE version >= 11;");
  }
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  auto got = (*store)->GetQuotaConfig();
  ASSERT_OK(got);
  ASSERT_EQ(got->models.size(), 2u);
  EXPECT_EQ(got->models[0].model_id, "claude-sonnet-4.5-v1");
  EXPECT_EQ(got->models[0].output_token_burndown, 5);
  EXPECT_EQ(got->models[1].output_token_burndown, 5);
  EXPECT_EQ(got->models[1].model_id, "claude-opus-4.5");
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM schema_migrations").getInt(), SqliteStore::SchemaVersion());
}

TEST_F(SqliteStoreTest, AuditRowsFromBeforeCoalescingReadAsSingleEvents) {
  const std::string path = dir_.File("store.db");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  {
    // What the "audit coalescing" migration leaves in rows written before it: the columns' defaults. (It does not
    // rewrite the table, which could be large.)
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(
        "INSERT INTO audit_log (audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, "
        "client_ip, user_agent, request_id, detail) VALUES ('a_old', 1234, 'u_1', '', 'auth.login', 'user', 'u_1', "
        "'success', '', '', '', '')");
  }
  auto page = (*store)->ListAudit({});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].audit_id, "a_old");
  EXPECT_EQ(page->items[0].count, 1);
  EXPECT_EQ(page->items[0].last_at_ms, 1234);
}

// ---- File modes ----

// The permission bits of `path`, or -1 if it does not exist.
int ModeOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// Sets the process umask for one test (the usual 022 of a login shell, whatever the test runner had).
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST_F(SqliteStoreTest, DatabaseWalAndShmAreOwnerOnlyInAWorldReadableDirectory) {
  ScopedUmask umask(022);
  fs::create_directory(dir_.path() / "data");
  ::chmod((dir_.path() / "data").c_str(), 0755);
  const std::string path = dir_.File("data/account-platform.db");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Prod")));
  ASSERT_OK((*store)->GetAccount("111111111111"));  // a read through the pool: -shm is mapped
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(ModeOf(path + "-wal"), 0600);
  EXPECT_EQ(ModeOf(path + "-shm"), 0600);
}

TEST_F(SqliteStoreTest, OpenTightensAnExistingWorldReadableDatabaseAndItsWalFiles) {
  ScopedUmask umask(022);
  const std::string path = dir_.File("store.db");
  {
    // As an older server left it: the database 0644, and (after a crash) a -wal and -shm beside it.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE t (x INTEGER)");
  }
  ASSERT_EQ(ModeOf(path), 0644);
  std::ofstream(path + "-wal").close();
  std::ofstream(path + "-shm").close();
  ::chmod((path + "-wal").c_str(), 0644);
  ::chmod((path + "-shm").c_str(), 0644);
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  ASSERT_OK((*store)->AppendAudit(MakeAudit("a_1")));
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(ModeOf(path + "-wal"), 0600);
  EXPECT_EQ(ModeOf(path + "-shm"), 0600);
}

// ---- Durable writes ----

// A VFS that forwards everything to the default one and counts xSync calls on WAL files, installed as the
// process default for one test (SqliteStore opens its connections with the default VFS).
class WalSyncCounter {
 public:
  WalSyncCounter() {
    real_ = sqlite3_vfs_find(nullptr);
    shim_ = *real_;
    shim_.zName = "ap-wal-sync-counter";
    shim_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    shim_.xOpen = &Open;
    instance_ = this;
    sqlite3_vfs_register(&shim_, 1);
  }
  ~WalSyncCounter() {
    sqlite3_vfs_unregister(&shim_);
    sqlite3_vfs_register(real_, 1);
    instance_ = nullptr;
  }
  WalSyncCounter(const WalSyncCounter&) = delete;
  WalSyncCounter& operator=(const WalSyncCounter&) = delete;

  int wal_syncs() const { return wal_syncs_.load(); }

 private:
  struct File {
    sqlite3_file base;
    bool wal;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
  };
  static sqlite3_file* R(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real(); }

  static int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    File* f = reinterpret_cast<File*>(file);
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = instance_->real_->xOpen(instance_->real_, name, f->real(), flags, out_flags);
    f->base.pMethods = f->real()->pMethods != nullptr ? &kMethods : nullptr;
    return rc;
  }
  static int Close(sqlite3_file* f) { return R(f)->pMethods->xClose(R(f)); }
  static int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return R(f)->pMethods->xRead(R(f), b, n, o); }
  static int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
    return R(f)->pMethods->xWrite(R(f), b, n, o);
  }
  static int Truncate(sqlite3_file* f, sqlite3_int64 size) { return R(f)->pMethods->xTruncate(R(f), size); }
  static int Sync(sqlite3_file* f, int flags) {
    if (reinterpret_cast<File*>(f)->wal) ++instance_->wal_syncs_;
    return R(f)->pMethods->xSync(R(f), flags);
  }
  static int FileSize(sqlite3_file* f, sqlite3_int64* size) { return R(f)->pMethods->xFileSize(R(f), size); }
  static int Lock(sqlite3_file* f, int l) { return R(f)->pMethods->xLock(R(f), l); }
  static int Unlock(sqlite3_file* f, int l) { return R(f)->pMethods->xUnlock(R(f), l); }
  static int CheckReservedLock(sqlite3_file* f, int* out) { return R(f)->pMethods->xCheckReservedLock(R(f), out); }
  static int FileControl(sqlite3_file* f, int op, void* arg) { return R(f)->pMethods->xFileControl(R(f), op, arg); }
  static int SectorSize(sqlite3_file* f) { return R(f)->pMethods->xSectorSize(R(f)); }
  static int DeviceCharacteristics(sqlite3_file* f) { return R(f)->pMethods->xDeviceCharacteristics(R(f)); }
  static int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return R(f)->pMethods->xShmMap(R(f), page, size, extend, out);
  }
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return R(f)->pMethods->xShmLock(R(f), offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) { R(f)->pMethods->xShmBarrier(R(f)); }
  static int ShmUnmap(sqlite3_file* f, int del) { return R(f)->pMethods->xShmUnmap(R(f), del); }
  static int Fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** out) {
    return R(f)->pMethods->xFetch(R(f), o, n, out);
  }
  static int Unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return R(f)->pMethods->xUnfetch(R(f), o, p); }

  static constexpr sqlite3_io_methods kMethods = {3,
                                                  &Close,
                                                  &Read,
                                                  &Write,
                                                  &Truncate,
                                                  &Sync,
                                                  &FileSize,
                                                  &Lock,
                                                  &Unlock,
                                                  &CheckReservedLock,
                                                  &FileControl,
                                                  &SectorSize,
                                                  &DeviceCharacteristics,
                                                  &ShmMap,
                                                  &ShmLock,
                                                  &ShmBarrier,
                                                  &ShmUnmap,
                                                  &Fetch,
                                                  &Unfetch};
  static inline WalSyncCounter* instance_ = nullptr;

  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs shim_{};
  std::atomic<int> wal_syncs_{0};
};

TEST_F(SqliteStoreTest, DurableAuditAppendSyncsTheWalAndOnlyThatWriteDoes) {
  WalSyncCounter counter;
  auto store = SqliteStore::Open({.path = dir_.File("store.db")});
  ASSERT_OK(store);
  ASSERT_OK((*store)->AppendAudit(MakeAudit("a_0")));  // the WAL exists and holds frames

  int before = counter.wal_syncs();
  ASSERT_OK((*store)->AppendAudit(MakeAudit("a_1")));
  EXPECT_EQ(counter.wal_syncs(), before) << "synchronous=NORMAL: a commit does not sync the WAL";

  before = counter.wal_syncs();
  auto durable = (*store)->AppendAudit(MakeAudit("a_2"), Durability::kSync);
  ASSERT_OK(durable);
  EXPECT_GE(counter.wal_syncs(), before + 1) << "a durable append syncs the WAL before it returns";

  before = counter.wal_syncs();
  ASSERT_OK((*store)->AppendAudit(MakeAudit("a_3")));
  ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Prod")));
  EXPECT_EQ(counter.wal_syncs(), before) << "later writes are back to synchronous=NORMAL";
  EXPECT_EQ((*store)->ListAudit({}).value().items.size(), 4u);
}

TEST_F(SqliteStoreTest, CreateSessionForAnUnknownUserIsNotFound) {
  auto store = SqliteStore::Open({.path = ":memory:"});
  ASSERT_OK(store);
  domain::Session s{.token_hash = "h", .user_id = "u_missing", .expires_at_ms = 10};
  EXPECT_EQ((*store)->CreateSession(s, 20).code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, CorruptRowIsInternalNotACrash) {
  const std::string path = dir_.File("store.db");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  ASSERT_OK((*store)->CreateAccount(MakeAccount("111111111111", "Prod")));
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE accounts SET status = 'bogus'");
  }
  auto got = (*store)->GetAccount("111111111111");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInternal);
  EXPECT_EQ(got.status().message().find("bogus"), std::string::npos) << "no stored data in the message";
}

// The statement parts every SQL statement is assembled from come from one column table per record.
TEST(RowCodec, DerivesColumnListsPlaceholdersAndAssignmentsFromOneTable) {
  using namespace sqlite_internal;
  EXPECT_EQ(SelectColumns<domain::Team>(), "team_id, name, created_at_ms");
  EXPECT_EQ(InsertColumns<domain::Team>(), "team_id, name, created_at_ms");
  EXPECT_EQ(InsertPlaceholders<domain::Team>(), "?1, ?2, ?3");
  EXPECT_EQ(UpdateAssignments<domain::User>(),
            "email = ?2, role = ?3, teams = ?4, disabled = ?5, password_hash = ?6, created_at_ms = ?7, "
            "updated_at_ms = ?8, must_change_password = ?9");
  // Records whose first parameters the caller binds.
  EXPECT_EQ(InsertPlaceholders<domain::QuotaValue>(), "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11");
  EXPECT_EQ(SelectColumns<domain::QuotaValue>("v."),
            "v.quota_code, v.value, v.state, v.is_default, v.reason, v.read_at_ms, v.attempted_at_ms, v.aws_default, "
            "v.aws_default_read_at_ms");
  // coalesce_key is inserted (by the caller), never selected.
  EXPECT_EQ(SelectColumns<domain::AuditEntry>(),
            "audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, client_ip, "
            "user_agent, request_id, detail, event_count, max(at_ms, last_at_ms)");
  EXPECT_EQ(InsertColumns<domain::AuditEntry>(),
            "audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, client_ip, "
            "user_agent, request_id, detail, event_count, last_at_ms, coalesce_key");
  EXPECT_EQ(InsertPlaceholders<domain::AuditEntry>(),
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15");
  EXPECT_EQ(SelectColumns<domain::QuotaHistoryEntry>(),
            "account_id, region, history_id, quota_code, at_ms, event, value, previous_value, state, is_default, "
            "reason");
}

TEST_F(SqliteStoreTest, AnUnknownJobItemOutcomeIsInternal) {
  const std::string path = dir_.File("store.db");
  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  domain::Job j;
  j.job_id = "j_1";
  j.kind = "quota_refresh_all";
  ASSERT_OK((*store)->CreateJob(j));
  domain::JobItem item;
  item.account_id = "111111111111";
  item.region = "us-east-1";
  ASSERT_OK((*store)->AddJobItems("j_1", {item}));
  ASSERT_OK((*store)->ListJobItems("j_1", {}));
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE job_items SET outcome = 'waiting'");
  }
  EXPECT_EQ((*store)->ListJobItems("j_1", {}).status().code(), StatusCode::kInternal);
}

// Migration 7 on a job table as versions 2..6 made it: each job one row, its items in one list-encoded column.
// The schema before the migration is put back by hand (the tables of migration 7 replaced by the old one), then
// migration 7 runs as Migrate runs it, in one transaction, followed by migration 9's jobs column.
class JobMigrationTest : public SqliteStoreTest {
 protected:
  // A version-6 item: (account_id, region, outcome, values_ok, values_failed, error, finished_at_ms).
  static std::string OldItem(const std::string& account, const std::string& region, const std::string& outcome, int ok,
                             int failed, const std::string& error, int64_t finished) {
    return sqlite_internal::EncodeList(
        {account, region, outcome, std::to_string(ok), std::to_string(failed), error, std::to_string(finished)});
  }

  // Creates a current database at `path`, then swaps the job tables for a version-6 `jobs` table holding `rows`
  // (job_id, state, created_at_ms, finished_at_ms, items).
  void MakeVersion6(const std::string& path,
                    const std::vector<std::tuple<std::string, std::string, int64_t, int64_t, std::string>>& rows) {
    { ASSERT_OK(SqliteStore::Open({.path = path})); }
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec(
        "DROP TABLE job_items; DROP TABLE jobs;"
        "CREATE TABLE jobs (job_id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,"
        " created_by TEXT NOT NULL, team_filter TEXT NOT NULL, region_filter TEXT NOT NULL,"
        " created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, finished_at_ms INTEGER NOT NULL,"
        " items TEXT NOT NULL);"
        "CREATE INDEX jobs_by_created ON jobs(created_at_ms);");
    for (const auto& [id, state, created, finished, items] : rows) {
      SQLite::Statement insert(raw,
                               "INSERT INTO jobs VALUES (?1, 'quota_refresh_all', ?2, 'u_admin', 'ops', '', ?3, "
                               "?3 + 7, ?4, ?5)");
      insert.bind(1, id);
      insert.bind(2, state);
      insert.bind(3, created);
      insert.bind(4, finished);
      insert.bind(5, items);
      insert.exec();
    }
  }

  // Runs migration 7 on `path` as Migrate does: script and data step in one transaction.
  static void RunMigration7(const std::string& path) {
    auto conn = sqlite_internal::Connection::Open(path, SQLite::OPEN_READWRITE, std::chrono::seconds(5));
    ASSERT_OK(conn);
    sqlite_internal::Migration m = sqlite_internal::JobItemsMigration();
    ASSERT_EQ(m.version, 7);
    sqlite_internal::WriteTransaction txn(**conn);
    (*conn)->Exec(m.sql);
    ASSERT_NE(m.code, nullptr);
    m.code(**conn);
    // The later migration that changes the jobs table (the file says it is at the latest version already).
    (*conn)->Exec("ALTER TABLE jobs ADD COLUMN fence INTEGER NOT NULL DEFAULT 0");
    // And migration 16's (fleet jobs that poll usage).
    (*conn)->Exec(
        "ALTER TABLE jobs ADD COLUMN include_usage INTEGER NOT NULL DEFAULT 0; "
        "ALTER TABLE jobs ADD COLUMN usage_failed INTEGER NOT NULL DEFAULT 0; "
        "ALTER TABLE job_items ADD COLUMN usage_state TEXT NOT NULL DEFAULT ''; "
        "ALTER TABLE job_items ADD COLUMN usage_error TEXT NOT NULL DEFAULT ''");
    // And migration 17's (the bulk increase action's params and item refs).
    (*conn)->Exec(
        "ALTER TABLE jobs ADD COLUMN params TEXT NOT NULL DEFAULT ''; "
        "ALTER TABLE job_items ADD COLUMN ref TEXT NOT NULL DEFAULT ''");
    txn.Commit();
  }
};

TEST_F(JobMigrationTest, OldJobRowsBecomeHeadersWithCountersAndOneRowPerItem) {
  const std::string path = dir_.File("v6.db");
  const std::string finished_items = sqlite_internal::EncodeList(
      {OldItem("100000000001", "us-east-1", "ok", 8, 0, "", 1'700'000'001'000),
       OldItem("100000000002", "us-east-1", "partial", 6, 2, "ThrottlingException: slow", 1'700'000'002'000),
       OldItem("100000000003", "eu-west-1", "failed", 0, 8, "InvalidClientTokenId: \"bad\" 7:x", 1'700'000'003'000)});
  const std::string interrupted_items =
      sqlite_internal::EncodeList({OldItem("100000000001", "us-east-1", "ok", 8, 0, "", 1'700'000'101'000),
                                   OldItem("100000000002", "us-east-1", "pending", 0, 0, "", 0),
                                   OldItem("100000000003", "eu-west-1", "pending", 0, 0, "", 0)});
  MakeVersion6(path, {{"j_5e1f00aa", "failed", 1'700'000'000'000, 1'700'000'004'000, finished_items},
                      {"j_0badcafe", "interrupted", 1'700'000'100'000, 0, interrupted_items},
                      {"j_00000001", "succeeded", 1'600'000'000'000, 1'600'000'000'500, ""}});
  RunMigration7(path);

  auto store = SqliteStore::Open({.path = path});
  ASSERT_OK(store);
  // Every job kept, newest first.
  auto jobs = (*store)->ListJobs({});
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->items.size(), 3u);
  EXPECT_EQ(jobs->items[0].job_id, "j_0badcafe");
  EXPECT_EQ(jobs->items[1].job_id, "j_5e1f00aa");
  EXPECT_EQ(jobs->items[2].job_id, "j_00000001");

  auto failed = (*store)->GetJob("j_5e1f00aa");
  ASSERT_OK(failed);
  EXPECT_EQ(failed->kind, "quota_refresh_all");
  EXPECT_EQ(failed->state, domain::JobState::kFailed);
  EXPECT_EQ(failed->created_by, "u_admin");
  EXPECT_EQ(failed->team_filter, "ops");
  EXPECT_EQ(failed->region_filter, "");
  EXPECT_EQ(failed->created_at_ms, 1'700'000'000'000);
  EXPECT_EQ(failed->updated_at_ms, 1'700'000'000'007);
  EXPECT_EQ(failed->finished_at_ms, 1'700'000'004'000);
  EXPECT_EQ(failed->counters, (domain::JobCounters{.total = 3, .ok = 1, .partial = 1, .failed = 1}));
  auto items = (*store)->ListJobItems("j_5e1f00aa", {});
  ASSERT_OK(items);
  ASSERT_EQ(items->items.size(), 3u);
  domain::JobItem want;
  want.seq = 2;
  want.account_id = "100000000003";
  want.region = "eu-west-1";
  want.outcome = domain::JobItemOutcome::kFailed;
  want.values_failed = 8;
  want.error = "InvalidClientTokenId: \"bad\" 7:x";
  want.finished_at_ms = 1'700'000'003'000;
  EXPECT_EQ(items->items[2], want);
  EXPECT_EQ(items->items[1].outcome, domain::JobItemOutcome::kPartial);
  EXPECT_EQ(items->items[1].values_ok, 6);
  EXPECT_EQ(items->items[1].error, "ThrottlingException: slow");
  EXPECT_EQ(items->items[0].seq, 0);

  // The interrupted job resumes where it stopped: its pending items, in their order, and exact counters.
  auto interrupted = (*store)->GetJob("j_0badcafe");
  ASSERT_OK(interrupted);
  EXPECT_EQ(interrupted->state, domain::JobState::kInterrupted);
  EXPECT_EQ(interrupted->counters, (domain::JobCounters{.total = 3, .ok = 1}));
  auto pending = (*store)->ListJobItems("j_0badcafe", {.outcome = domain::JobItemOutcome::kPending});
  ASSERT_OK(pending);
  ASSERT_EQ(pending->items.size(), 2u);
  EXPECT_EQ(pending->items[0].seq, 1);
  EXPECT_EQ(pending->items[0].account_id, "100000000002");
  EXPECT_EQ(pending->items[1].seq, 2);
  ASSERT_OK((*store)->FinishJobItem("j_0badcafe", 1, {.outcome = domain::JobItemOutcome::kOk, .values_ok = 8}));
  EXPECT_EQ((*store)->GetJob("j_0badcafe")->counters, (domain::JobCounters{.total = 3, .ok = 2}));

  // A job without items.
  auto empty = (*store)->GetJob("j_00000001");
  ASSERT_OK(empty);
  EXPECT_EQ(empty->state, domain::JobState::kSucceeded);
  EXPECT_EQ(empty->counters, domain::JobCounters{});
  EXPECT_TRUE((*store)->ListJobItems("j_00000001", {})->items.empty());

  // The old table is gone.
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'jobs_v6'").getInt(), 0);
}

TEST_F(JobMigrationTest, AnUndecodableOldJobFailsTheMigrationInsteadOfLosingTheJob) {
  const std::string path = dir_.File("v6.db");
  MakeVersion6(path, {{"j_ok", "succeeded", 1, 2, sqlite_internal::EncodeList({OldItem("1", "r", "ok", 1, 0, "", 2)})},
                      {"j_bad", "succeeded", 1, 2, "3:abc"}});
  auto conn = sqlite_internal::Connection::Open(path, SQLite::OPEN_READWRITE, std::chrono::seconds(5));
  ASSERT_OK(conn);
  sqlite_internal::Migration m = sqlite_internal::JobItemsMigration();
  {
    sqlite_internal::WriteTransaction txn(**conn);
    (*conn)->Exec(m.sql);
    EXPECT_THROW(m.code(**conn), sqlite_internal::CorruptRow);
  }  // rolled back
  EXPECT_EQ((*conn)->db().execAndGet("SELECT count(*) FROM jobs WHERE items <> ''").getInt(), 2);
}

// Eight threads on a file store with a read pool: writers (accounts, audit, snapshots) and readers (lists and
// gets) at once. Every call must succeed (no SQLITE_BUSY leaking out) and readers must only ever see
// committed, complete states.
TEST_F(SqliteStoreTest, ConcurrentReadersAndWritersFromEightThreads) {
  auto opened = SqliteStore::Open({.path = dir_.File("store.db"), .read_connections = 4});
  ASSERT_OK(opened);
  SqliteStore& store = **opened;
  ASSERT_OK(store.CreateAccount(MakeAccount("000000000000", "Shared")));

  constexpr int kThreads = 8;
  constexpr int kIterations = 60;
  std::atomic<int> failures{0};
  auto fail = [&](const std::string& what) {
    ++failures;
    ADD_FAILURE() << what;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        if (t % 2 == 0) {  // writer
          const std::string id = AccountId(t + 1, i);
          if (Status s = store.CreateAccount(MakeAccount(id, "Acct")); !s.ok()) fail(s.ToString());
          if (auto r = store.AppendAudit(MakeAudit("a_" + std::to_string(t) + "_" + std::to_string(i))); !r.ok()) {
            fail(r.status().ToString());
          }
          domain::QuotaSnapshot snap;
          snap.account_id = "000000000000";
          snap.region = "us-east-1";
          snap.updated_at_ms = i;
          // Every snapshot has exactly 3 values; a reader seeing another count saw a half-written one.
          for (int c = 0; c < 3; ++c) {
            snap.values.push_back({.quota_code = "L-" + std::to_string(t) + std::to_string(c), .value = 1.0 * i});
          }
          if (Status s = store.PutQuotaSnapshot(snap); !s.ok()) fail(s.ToString());
        } else {  // reader
          auto page = store.ListAccounts({.limit = 1000});
          if (!page.ok()) fail(page.status().ToString());
          if (auto a = store.GetAccount("000000000000"); !a.ok()) fail(a.status().ToString());
          if (auto audit = store.ListAudit({}); !audit.ok()) fail(audit.status().ToString());
          auto snap = store.GetQuotaSnapshot("000000000000", "us-east-1");
          if (snap.ok() && snap->values.size() != 3) fail("torn snapshot: " + std::to_string(snap->values.size()));
          if (!snap.ok() && snap.status().code() != StatusCode::kNotFound) fail(snap.status().ToString());
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  auto accounts = store.ListAccounts({.limit = 1000});
  ASSERT_OK(accounts);
  EXPECT_EQ(static_cast<int64_t>(accounts->items.size()), 1 + (kThreads / 2) * kIterations);
  auto audit = store.ListAudit({.limit = 1000});
  ASSERT_OK(audit);
  EXPECT_EQ(static_cast<int64_t>(audit->items.size()), (kThreads / 2) * kIterations);
}

TEST_F(SqliteStoreTest, ReadsThroughThePoolSeeCommittedWritesImmediately) {
  auto store = SqliteStore::Open({.path = dir_.File("store.db"), .read_connections = 4});
  ASSERT_OK(store);
  for (int i = 0; i < 20; ++i) {
    const std::string id = AccountId(0, i);
    ASSERT_OK((*store)->CreateAccount(MakeAccount(id, "A")));
    // Each read may land on a different pooled connection; all must see the write just committed.
    for (int r = 0; r < 5; ++r) ASSERT_OK((*store)->GetAccount(id)) << i << "/" << r;
    ASSERT_EQ((*store)->ListAccounts({.limit = 1000})->items.size(), static_cast<size_t>(i + 1));
  }
}

// Processes sharing one file each have their own connections: several stores opened on one file stand for them.
// Their write mutexes are separate, so only BEGIN IMMEDIATE orders these calls.
TEST_F(SqliteStoreTest, StoresSharingAFileAgreeOnOneLeaseHolderAndLoseNoEpochBump) {
  constexpr int kStores = 4;
  const std::string path = dir_.File("shared.db");
  std::vector<std::unique_ptr<SqliteStore>> stores;
  for (int i = 0; i < kStores; ++i) {
    auto s = SqliteStore::Open({.path = path});
    ASSERT_OK(s);
    stores.push_back(std::move(s).value());
  }
  std::atomic<int> wins{0};
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kStores; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto r = stores[i]->AcquireLease("fleet-job", "i_" + std::to_string(i), 1000, 30'000);
      if (r.ok()) {
        ++wins;
      } else if (r.status().code() != StatusCode::kFailedPrecondition) {
        ++errors;
      }
      for (int n = 0; n < 20; ++n)
        if (!stores[i]->BumpEpoch("sessions").ok()) ++errors;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(wins.load(), 1);
  ASSERT_OK_AND_ASSIGN(Lease lease, stores[0]->GetLease("fleet-job"));
  EXPECT_EQ(lease.token, 1);
  ASSERT_OK_AND_ASSIGN(int64_t epoch, stores[1]->GetEpoch("sessions"));
  EXPECT_EQ(epoch, kStores * 20);
}

}  // namespace
}  // namespace ap::store
