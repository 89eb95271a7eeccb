#include "store/sqlite/migrations.h"

#include <cstdint>
#include <string>
#include <vector>

#include "common/log.h"

namespace ap::store::sqlite_internal {
namespace {

// Conventions of the schema:
//  - Times are INTEGER milliseconds since the Unix epoch, as in domain/.
//  - Lists (user teams, account regions and teams) are TEXT in the length-prefixed encoding of row_codec.h;
//    account teams are also in account_teams, which exists only so that "any of these teams" is a plain join.
//    Both are written in the same transaction, and reads take the list from the accounts row.
//  - Enums are stored by their domain names ("active", "access_key", "ok") so that the file is readable with
//    the sqlite3 shell and independent of enum ordinals.
//  - quota_values.value is NULL when no value was ever read: "missing is never zero".
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", R"sql(
CREATE TABLE users (
  user_id       TEXT PRIMARY KEY NOT NULL,
  email         TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  teams         TEXT NOT NULL,
  disabled      INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY NOT NULL,
  user_id       TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  user_agent    TEXT NOT NULL,
  client_ip     TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms);

CREATE TABLE teams (
  team_id       TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE accounts (
  account_id           TEXT PRIMARY KEY NOT NULL,
  account_name         TEXT NOT NULL,
  regions              TEXT NOT NULL,
  teams                TEXT NOT NULL,
  status               TEXT NOT NULL,
  credential_type      TEXT NOT NULL,
  access_key_id_masked TEXT NOT NULL,
  role_arn             TEXT NOT NULL,
  sealed_credentials   BLOB NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  updated_at_ms        INTEGER NOT NULL,
  created_by           TEXT NOT NULL,
  version              INTEGER NOT NULL
);
CREATE INDEX accounts_by_name ON accounts(account_name COLLATE NOCASE, account_id);

-- No foreign key to teams: deleting a team leaves accounts that name it untouched (store.h).
CREATE TABLE account_teams (
  account_id TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
  team_id    TEXT NOT NULL,
  PRIMARY KEY (account_id, team_id)
) WITHOUT ROWID;
CREATE INDEX account_teams_by_team ON account_teams(team_id, account_id);

CREATE TABLE contact_info (
  account_id         TEXT PRIMARY KEY NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
  full_name          TEXT NOT NULL,
  address_line1      TEXT NOT NULL,
  address_line2      TEXT NOT NULL,
  address_line3      TEXT NOT NULL,
  city               TEXT NOT NULL,
  company_name       TEXT NOT NULL,
  country_code       TEXT NOT NULL,
  district_or_county TEXT NOT NULL,
  phone_number       TEXT NOT NULL,
  postal_code        TEXT NOT NULL,
  state_or_region    TEXT NOT NULL,
  website_url        TEXT NOT NULL,
  updated_at_ms      INTEGER NOT NULL,
  updated_by         TEXT NOT NULL
);

-- No foreign key to accounts: the quota cache may hold entries the service has not reconciled yet, and
-- store.h does not make PutQuotaSnapshot fail for unknown accounts.
CREATE TABLE quota_snapshots (
  account_id    TEXT NOT NULL,
  region        TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, region)
) WITHOUT ROWID;

CREATE TABLE quota_values (
  account_id      TEXT NOT NULL,
  region          TEXT NOT NULL,
  quota_code      TEXT NOT NULL,
  value           REAL,
  state           TEXT NOT NULL,
  is_default      INTEGER NOT NULL,
  reason          TEXT NOT NULL,
  read_at_ms      INTEGER NOT NULL,
  attempted_at_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, quota_code),
  FOREIGN KEY (account_id, region) REFERENCES quota_snapshots(account_id, region) ON DELETE CASCADE
) WITHOUT ROWID;

-- The quota configuration document: one row (singleton = 1) plus its models in document order. NULL codes
-- are SQL NULLs, so "no code" and "empty code" stay distinct.
CREATE TABLE quota_config (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  config_id     TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  updated_by    TEXT NOT NULL,
  version       INTEGER NOT NULL
);
CREATE TABLE quota_config_models (
  position          INTEGER PRIMARY KEY,
  model_id          TEXT NOT NULL,
  display_name      TEXT NOT NULL,
  quota_code_tpm    TEXT,
  quota_code_rpm    TEXT,
  enabled           INTEGER NOT NULL,
  show_in_dashboard INTEGER NOT NULL,
  has_1m_context    INTEGER NOT NULL,
  quota_code_tpm_1m TEXT,
  quota_code_rpm_1m TEXT
);

-- AUTOINCREMENT: seq never goes backwards, even if the newest rows are ever deleted.
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  audit_id    TEXT NOT NULL UNIQUE,
  at_ms       INTEGER NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_email TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  client_ip   TEXT NOT NULL,
  user_agent  TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX audit_by_at ON audit_log(at_ms);
CREATE INDEX audit_by_actor ON audit_log(actor_id);
CREATE INDEX audit_by_action ON audit_log(action);
CREATE INDEX audit_by_target ON audit_log(target_type, target_id);
)sql"},
      {2, "quota history and fleet jobs", R"sql(
CREATE TABLE quota_history (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id     TEXT NOT NULL,
  region         TEXT NOT NULL,
  quota_code     TEXT NOT NULL,
  at_ms          INTEGER NOT NULL,
  event          TEXT NOT NULL,
  value          REAL,
  previous_value REAL,
  state          TEXT NOT NULL,
  is_default     INTEGER NOT NULL,
  reason         TEXT NOT NULL
);
CREATE INDEX quota_history_by_key ON quota_history(account_id, region, quota_code, at_ms);

-- A job's items change together with its progress; one TEXT column (row_codec's list encoding of
-- list-encoded items) keeps a progress update to one row write.
CREATE TABLE jobs (
  job_id         TEXT PRIMARY KEY NOT NULL,
  kind           TEXT NOT NULL,
  state          TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  team_filter    TEXT NOT NULL,
  region_filter  TEXT NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL,
  finished_at_ms INTEGER NOT NULL,
  items          TEXT NOT NULL
);
CREATE INDEX jobs_by_created ON jobs(created_at_ms);
)sql"},
      {3, "login throttle", R"sql(
-- Login attempt counters by opaque key (store.h "Login throttle"); rows expire, the purge uses the index.
CREATE TABLE login_throttles (
  throttle_key    TEXT PRIMARY KEY NOT NULL,
  attempts        INTEGER NOT NULL,
  locked_until_ms INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL
);
CREATE INDEX login_throttles_by_expiry ON login_throttles(expires_at_ms);
)sql"},
      {4, "audit coalescing", R"sql(
-- An entry may stand for several identical events (store.h AppendAuditCoalesced): how many, and when the last
-- was. coalesce_key is set only on entries made by AppendAuditCoalesced; the partial index finds the entry to
-- increment without a scan and costs nothing for ordinary entries. Existing rows keep last_at_ms = 0, read as
-- max(at_ms, last_at_ms) (row_codec.h), so the migration does not rewrite a large audit log.
ALTER TABLE audit_log ADD COLUMN event_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN coalesce_key TEXT;
CREATE INDEX audit_by_coalesce_key ON audit_log(coalesce_key, at_ms) WHERE coalesce_key IS NOT NULL;
)sql"},
      AccountIndexMigration(),      // 5, migration_accounts.cc
      QuotaAggregateMigration(),    // 6, migration_aggregates.cc
      JobItemsMigration(),          // 7, migration_jobs.cc
      TimeOrderedIdsMigration(),    // 8, migration_time_ordered_ids.cc
      CoordinationMigration(),      // 9, migration_coordination.cc
      SettingsMigration(),          // 10, migration_settings.cc
      ModelBurndownMigration(),     // 11, migration_model_burndown.cc
      UsageMigration(),             // 12, migration_usage.cc
      AlertsMigration(),            // 13, migration_alerts.cc
      AlertChannelsMigration(),     // 14, migration_alert_channels.cc
      QuotaLoweredMigration(),      // 15, migration_quota_lowered.cc
      JobUsageMigration(),          // 16, migration_job_usage.cc
      IncreaseRequestsMigration(),  // 17, migration_increases.cc
      NameOrderMigration(),         // 18, migration_name_order.cc
      NaturalTermsMigration(),      // 19, migration_natural_terms.cc
      PasswordResetMigration(),     // 20, migration_password_reset.cc
      AwsDefaultMigration(),        // 21, migration_aws_default.cc
      SortIndexMigration(),         // 22, migration_sort_index.cc
  };
  return kMigrations;
}

int64_t CurrentVersion(Connection& conn) {
  Stmt stmt = conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  stmt->executeStep();
  return stmt->getColumn(0).getInt64();
}

}  // namespace

// The last migration's version (versions are consecutive once every branch's migrations are merged).
int LatestSchemaVersion() { return Migrations().back().version; }

Status Migrate(Connection& conn) {
  return Guarded("Migrate", [&]() -> Status {
    // applied_at is for operators reading the file; no logic depends on it, so SQLite's clock is used rather
    // than threading a Clock through Open.
    conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY NOT NULL,"
        " applied_at TEXT NOT NULL)");
    const int64_t found = CurrentVersion(conn);
    if (found > LatestSchemaVersion()) {
      return FailedPrecondition("database schema version " + std::to_string(found) +
                                " is newer than this server supports (" + std::to_string(LatestSchemaVersion()) +
                                "); run a newer server or restore a matching backup");
    }
    for (const Migration& m : Migrations()) {
      // Skipping without a transaction keeps opening a current database free of write locks.
      if (m.version <= found) continue;
      WriteTransaction txn(conn);
      // Re-read under the write lock: another process may have migrated the same file meanwhile.
      if (CurrentVersion(conn) >= m.version) continue;
      conn.Exec(m.sql);
      if (m.code != nullptr) m.code(conn);
      {
        Stmt record = conn.Prepare(
            "INSERT INTO schema_migrations (version, applied_at) "
            "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
        record->bind(1, m.version);
        record->exec();
      }
      txn.Commit();
      log::Info("sqlite store: applied migration", {{"version", m.version}, {"name", m.name}});
    }
    return Status::Ok();
  });
}

}  // namespace ap::store::sqlite_internal
