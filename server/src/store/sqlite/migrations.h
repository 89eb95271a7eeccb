// Schema of the SQLite store: an ordered list of migration scripts and the code that applies them.
//
// Each migration runs in its own transaction and is recorded in schema_migrations(version, applied_at), so a
// crash part-way leaves the database at the last fully applied version. Migrations are append-only: a shipped
// script is never edited; a change is a new script.
//
// A migration that moves data (not only the schema) adds a `code` step: it runs after the script, in the same
// transaction, and throws (SQLite::Exception) on failure, which rolls the migration back.
//
// Thread safety: call with exclusive use of the connection (SqliteStore::Open does, before anything else).
#pragma once

#include "common/status.h"
#include "store/sqlite/connection.h"

namespace ap::store::sqlite_internal {

struct Migration {
  int version;
  const char* name;
  const char* sql;                           // the schema change (may be empty)
  void (*code)(Connection& conn) = nullptr;  // the data change, after `sql`; nullptr = none
};

// The migrations after the initial four, each in its own file.
Migration AccountIndexMigration();      // 5
Migration QuotaAggregateMigration();    // 6
Migration JobItemsMigration();          // 7
Migration TimeOrderedIdsMigration();    // 8
Migration CoordinationMigration();      // 9
Migration SettingsMigration();          // 10
Migration ModelBurndownMigration();     // 11
Migration UsageMigration();             // 12
Migration AlertsMigration();            // 13
Migration AlertChannelsMigration();     // 14
Migration QuotaLoweredMigration();      // 15
Migration JobUsageMigration();          // 16
Migration IncreaseRequestsMigration();  // 17
Migration NameOrderMigration();         // 18
Migration NaturalTermsMigration();      // 19
Migration PasswordResetMigration();     // 20
Migration AwsDefaultMigration();        // 21
Migration SortIndexMigration();         // 22

// The newest schema version this binary knows (the number of migrations).
int LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion(). Returns OK when it is (already or now) current;
// FailedPrecondition if the database was written by a newer binary (its version is above
// LatestSchemaVersion()); Unavailable / Internal if a migration fails (that migration is rolled back).
Status Migrate(Connection& conn);

}  // namespace ap::store::sqlite_internal
