// Copying a whole platform from one store to another (`account-platform migrate --from sqlite:DIR --to dynamodb`)
// and checking the copy, through the Store interfaces only (so any backend to any backend).
//
// What is copied, page by page through each interface's list methods: users, teams, accounts (every status) and
// their contact information, the quota snapshots, the quota config, the quota history of every (account, region)
// that has an account region or a snapshot, fleet jobs with their items, the audit log, and the master-key canary
// (master_key.h: sealed credentials are copied as they are, so the target needs the source's AP_MASTER_KEY; a
// target whose canary differs is refused with FailedPrecondition before anything is copied). Not copied: sessions
// (everyone logs in again on the new store) and login throttles (they expire within the hour anyway).
//
// Re-running is safe (idempotent): a record that exists on the target is overwritten with the source's (users,
// teams, accounts that differ, contact information, snapshots, history entries: the same key replaces), or kept
// when it cannot differ (audit entries and job headers and items, which never change once written, and job items
// already finished). The quota config is stored when its models differ from the target's, as the target's next
// version (a config version restarts at 1 on a fresh target).
//
// Thread safety: none needed (one call runs alone); the stores are used from the calling thread only. The source
// should not be written meanwhile (stop its server first): what changes during the copy may be missed.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace ap::app {

// What one store holds, as the migration compares it.
struct StoreInventory {
  struct Kind {
    std::string name;  // "users", "teams", "accounts", "contact_info", "quota_snapshots", "quota_values",
                       // "quota_config_models", "quota_history", "jobs", "job_items", "audit_entries"
    int64_t count = 0;
  };
  std::vector<Kind> kinds;  // always the names above, in that order
  // Order-independent checksum of every cached quota value: the 64-bit sum of FNV-1a hashes of
  // "account_id \t region \t quota_code \t value (%.17g, or - when absent) \t state" (16 hex digits).
  std::string values_checksum;
};

// Walks `store` (every list to its end: O(store); maintenance only) and counts what it holds.
Result<StoreInventory> TakeInventory(store::Store& store);

// The outcome of a migration: both sides' inventories after the copy.
struct MigrationReport {
  StoreInventory source;
  StoreInventory target;
  // True when every kind's count and the values checksum agree.
  bool matches() const;
};

// Copies everything `from` holds into `to` (see the file comment), then takes both inventories. Writes one line
// per kind copied, then the comparison table, to `out`. Returns the report (check matches()); an error when a read
// or a write failed (the copy stops there; re-run after fixing the cause).
Result<MigrationReport> MigrateStore(store::Store& from, store::Store& to, std::ostream& out);

}  // namespace ap::app
