// SqliteStore: the quota cache (snapshots and their values) and the quota configuration document.
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

// ---- Quota cache ---------------------------------------------------------------------------------------

namespace {

// The quota read statements, built once from the column table (quota reads are the hot path).
const std::string kSelectSnapshotValues =
    "SELECT " + sqlite_internal::SelectColumns<domain::QuotaValue>() +
    " FROM quota_values WHERE account_id = ?1 AND region = ?2 ORDER BY quota_code";
// One ordered join instead of a query per snapshot; LEFT JOIN keeps snapshots that have no values.
const std::string kSelectAllSnapshots = "SELECT s.account_id, s.region, s.updated_at_ms, " +
                                        sqlite_internal::SelectColumns<domain::QuotaValue>("v.") +
                                        " FROM quota_snapshots s LEFT JOIN quota_values v "
                                        "ON v.account_id = s.account_id AND v.region = s.region "
                                        "ORDER BY s.account_id, s.region, v.quota_code";

}  // namespace

Result<domain::QuotaSnapshot> SqliteStore::GetQuotaSnapshot(const std::string& account_id, const std::string& region) {
  return Read("GetQuotaSnapshot", [&](Connection& c) -> Result<domain::QuotaSnapshot> {
    ReadTransaction txn(c);  // the header row and its values from one snapshot
    domain::QuotaSnapshot snapshot;
    {
      Stmt head = c.Prepare("SELECT updated_at_ms FROM quota_snapshots WHERE account_id = ?1 AND region = ?2");
      head->bind(1, account_id);
      head->bind(2, region);
      if (!head->executeStep()) {
        return NotFound("no cached quotas for account " + account_id + " in " + region);
      }
      snapshot.account_id = account_id;
      snapshot.region = region;
      snapshot.updated_at_ms = head->getColumn(0).getInt64();
    }
    Stmt values = c.Prepare(kSelectSnapshotValues);
    values->bind(1, account_id);
    values->bind(2, region);
    while (values->executeStep()) snapshot.values.push_back(sqlite_internal::Read<domain::QuotaValue>(*values, 0));
    return snapshot;
  });
}

Status SqliteStore::PutQuotaSnapshot(const domain::QuotaSnapshot& snapshot) {
  // Checked before touching the database so that a bad snapshot changes nothing.
  std::set<std::string> codes;
  for (const domain::QuotaValue& v : snapshot.values) {
    if (!codes.insert(v.quota_code).second) {
      return InvalidArgument("duplicate quota_code " + v.quota_code + " in snapshot", "values");
    }
    // SQLite stores NaN as NULL, which would read back as "absent": refuse rather than change meaning.
    if (v.value && std::isnan(*v.value)) {
      return InvalidArgument("quota value of " + v.quota_code + " is NaN", "values");
    }
  }
  return Write("PutQuotaSnapshot", [&](Connection& c) -> Status {
    // One transaction: readers see the old snapshot or the new one, never a mix.
    WriteTransaction txn(c);
    {
      Stmt head = c.Prepare(
          "INSERT INTO quota_snapshots (account_id, region, updated_at_ms) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (account_id, region) DO UPDATE SET updated_at_ms = excluded.updated_at_ms");
      head->bind(1, snapshot.account_id);
      head->bind(2, snapshot.region);
      head->bind(3, snapshot.updated_at_ms);
      head->exec();
    }
    {
      // Replace, not merge: codes missing from the new snapshot must disappear.
      Stmt del = c.Prepare("DELETE FROM quota_values WHERE account_id = ?1 AND region = ?2");
      del->bind(1, snapshot.account_id);
      del->bind(2, snapshot.region);
      del->exec();
    }
    for (const domain::QuotaValue& v : snapshot.values) {
      Stmt insert = c.Prepare("INSERT INTO quota_values (account_id, region, " +
                              sqlite_internal::InsertColumns<domain::QuotaValue>() + ") VALUES (?1, ?2, " +
                              sqlite_internal::InsertPlaceholders<domain::QuotaValue>() + ")");
      insert->bind(1, snapshot.account_id);
      insert->bind(2, snapshot.region);
      sqlite_internal::Bind(*insert, v);
      insert->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

Result<std::vector<domain::QuotaSnapshot>> SqliteStore::ListQuotaSnapshots() {
  return Read("ListQuotaSnapshots", [&](Connection& c) -> Result<std::vector<domain::QuotaSnapshot>> {
    Stmt stmt = c.Prepare(kSelectAllSnapshots);
    std::vector<domain::QuotaSnapshot> snapshots;
    while (stmt->executeStep()) {
      std::string account_id = stmt->getColumn(0).getString();
      std::string region = stmt->getColumn(1).getString();
      if (snapshots.empty() || snapshots.back().account_id != account_id || snapshots.back().region != region) {
        domain::QuotaSnapshot& s = snapshots.emplace_back();
        s.account_id = std::move(account_id);
        s.region = std::move(region);
        s.updated_at_ms = stmt->getColumn(2).getInt64();
      }
      if (!stmt->isColumnNull(3))
        snapshots.back().values.push_back(sqlite_internal::Read<domain::QuotaValue>(*stmt, 3));
    }
    return snapshots;
  });
}

// ---- Quota config --------------------------------------------------------------------------------------

Result<domain::QuotaConfig> SqliteStore::GetQuotaConfig() {
  return Read("GetQuotaConfig", [&](Connection& c) -> Result<domain::QuotaConfig> {
    ReadTransaction txn(c);  // the document row and its models from one snapshot
    domain::QuotaConfig config;
    {
      Stmt head =
          c.Prepare("SELECT config_id, updated_at_ms, updated_by, version FROM quota_config WHERE singleton = 1");
      if (!head->executeStep()) return NotFound("quota config has never been stored");
      config.config_id = head->getColumn(0).getString();
      config.updated_at_ms = head->getColumn(1).getInt64();
      config.updated_by = head->getColumn(2).getString();
      config.version = head->getColumn(3).getInt64();
    }
    Stmt models = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::ModelSpec>() +
                            " FROM quota_config_models ORDER BY position");
    while (models->executeStep()) config.models.push_back(sqlite_internal::Read<domain::ModelSpec>(*models));
    return config;
  });
}

Status SqliteStore::PutQuotaConfig(const domain::QuotaConfig& config, int64_t expected_version) {
  if (config.version != expected_version + 1) {
    return InvalidArgument("config.version must be expected_version + 1 (" + std::to_string(expected_version + 1) +
                               "), got " + std::to_string(config.version),
                           "version");
  }
  return Write("PutQuotaConfig", [&](Connection& c) -> Status {
    // Compare and set in one write transaction; on a mismatch it rolls back and nothing changes.
    WriteTransaction txn(c);
    {
      Stmt current = c.Prepare("SELECT version FROM quota_config WHERE singleton = 1");
      const int64_t stored = current->executeStep() ? current->getColumn(0).getInt64() : 0;
      if (stored != expected_version) {
        return FailedPrecondition("quota config is at version " + std::to_string(stored) + ", not " +
                                  std::to_string(expected_version) + "; reload and retry");
      }
    }
    {
      Stmt head = c.Prepare(
          "INSERT OR REPLACE INTO quota_config (singleton, config_id, updated_at_ms, updated_by, version) "
          "VALUES (1, ?1, ?2, ?3, ?4)");
      head->bind(1, config.config_id);
      head->bind(2, config.updated_at_ms);
      head->bind(3, config.updated_by);
      head->bind(4, config.version);
      head->exec();
    }
    {
      Stmt del = c.Prepare("DELETE FROM quota_config_models");
      del->exec();
    }
    for (size_t i = 0; i < config.models.size(); ++i) {
      Stmt insert = c.Prepare("INSERT INTO quota_config_models (position, " +
                              sqlite_internal::InsertColumns<domain::ModelSpec>() + ") VALUES (?1, " +
                              sqlite_internal::InsertPlaceholders<domain::ModelSpec>() + ")");
      insert->bind(1, static_cast<int64_t>(i));
      sqlite_internal::Bind(*insert, config.models[i]);
      insert->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

}  // namespace ap::store
