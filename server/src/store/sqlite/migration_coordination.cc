// Migration 9: what several instances sharing the store agree on (store/coordination_store.h, job_store.h).
//
// leases: one row per lease name ever taken; rows are never deleted (a lease's token must survive its expiry and
// its release, or a later holder could be given a token already used). expires_at_ms = 0 marks a released lease.
// epochs: one row per epoch ever bumped; an absent row reads as 0.
// jobs.fence: the fencing token of the last lease holder that changed the job's state (0 = none yet). Existing
// rows get 0, so jobs made before this migration accept any holder's first fenced change.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration CoordinationMigration() {
  return {9, "leases, epochs and job fences", R"sql(
CREATE TABLE leases (
  name          TEXT PRIMARY KEY NOT NULL,
  holder        TEXT NOT NULL,
  token         INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE epochs (
  name  TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE jobs ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
)sql"};
}

}  // namespace ap::store::sqlite_internal
