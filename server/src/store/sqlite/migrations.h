// Schema of the SQLite store: an ordered list of migration scripts and the code that applies them.
//
// Each migration runs in its own transaction and is recorded in schema_migrations(version, applied_at), so a
// crash part-way leaves the database at the last fully applied version. Migrations are append-only: a shipped
// script is never edited; a change is a new script.
//
// Thread safety: call with exclusive use of the connection (SqliteStore::Open does, before anything else).
#pragma once

#include "common/status.h"
#include "store/sqlite/connection.h"

namespace ap::store::sqlite_internal {

// The newest schema version this binary knows (the number of migrations).
int LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion(). Returns OK when it is (already or now) current;
// FailedPrecondition if the database was written by a newer binary (its version is above
// LatestSchemaVersion()); Unavailable / Internal if a migration fails (that migration is rolled back).
Status Migrate(Connection& conn);

}  // namespace ap::store::sqlite_internal
