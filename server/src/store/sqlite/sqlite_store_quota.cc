// SqliteStore: the quota cache (snapshots and their values) and the quota configuration document. The aggregates
// over the cache are in sqlite_store_aggregates.cc.
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/cursor.h"
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

// The values of a snapshot whose header was read. REQUIRES: a transaction open on `c` (header and values from one
// snapshot).
void ReadValues(Connection& c, domain::QuotaSnapshot* snapshot) {
  Stmt values = c.Prepare(kSelectSnapshotValues);
  values->bind(1, snapshot->account_id);
  values->bind(2, snapshot->region);
  while (values->executeStep()) snapshot->values.push_back(sqlite_internal::Read<domain::QuotaValue>(*values, 0));
}

// The head columns after updated_at_ms, in this order (see ReadLowered).
constexpr char kLoweredColumns[] = "lowered_at_ms, lowered_code, lowered_previous, lowered_value";

// last_lowered from the four head columns starting at `first` (NULL lowered_at_ms: none).
std::optional<domain::QuotaLowered> ReadLowered(Stmt& head, int first) {
  if (head->getColumn(first).isNull()) return std::nullopt;
  domain::QuotaLowered l;
  l.at_ms = head->getColumn(first).getInt64();
  l.quota_code = head->getColumn(first + 1).getString();
  l.previous_value = head->getColumn(first + 2).getDouble();
  l.value = head->getColumn(first + 3).getDouble();
  return l;
}

// The snapshot of (account_id, region), or nullopt. REQUIRES: as ReadValues.
std::optional<domain::QuotaSnapshot> ReadSnapshot(Connection& c, const std::string& account_id,
                                                  const std::string& region) {
  domain::QuotaSnapshot snapshot;
  {
    Stmt head = c.Prepare(std::string("SELECT updated_at_ms, ") + kLoweredColumns +
                          " FROM quota_snapshots WHERE account_id = ?1 AND region = ?2");
    head->bind(1, account_id);
    head->bind(2, region);
    if (!head->executeStep()) return std::nullopt;
    snapshot.account_id = account_id;
    snapshot.region = region;
    snapshot.updated_at_ms = head->getColumn(0).getInt64();
    snapshot.last_lowered = ReadLowered(head, 1);
  }
  ReadValues(c, &snapshot);
  return snapshot;
}

constexpr size_t kMaxSnapshotKeys = 1000;

}  // namespace

Result<domain::QuotaSnapshot> SqliteStore::GetQuotaSnapshot(const std::string& account_id, const std::string& region) {
  return Read("GetQuotaSnapshot", [&](Connection& c) -> Result<domain::QuotaSnapshot> {
    ReadTransaction txn(c);  // the header row and its values from one snapshot
    auto snapshot = ReadSnapshot(c, account_id, region);
    if (!snapshot) return NotFound("no cached quotas for account " + account_id + " in " + region);
    return std::move(*snapshot);
  });
}

Result<std::vector<domain::QuotaSnapshot>> SqliteStore::GetQuotaSnapshots(const std::vector<SnapshotKey>& keys) {
  if (keys.size() > kMaxSnapshotKeys) return InvalidArgument("at most 1000 snapshot keys per call", "keys");
  return Read("GetQuotaSnapshots", [&](Connection& c) -> Result<std::vector<domain::QuotaSnapshot>> {
    ReadTransaction txn(c);
    std::vector<domain::QuotaSnapshot> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const SnapshotKey& key : keys) {
      if (!seen.emplace(key.account_id, key.region).second) continue;
      if (auto snapshot = ReadSnapshot(c, key.account_id, key.region)) out.push_back(std::move(*snapshot));
    }
    return out;
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
    // Before the old values are replaced: the aggregates trade their contribution for the new values'.
    sqlite_internal::ApplySnapshotToAggregates(c, snapshot);
    {
      Stmt head = c.Prepare(
          "INSERT INTO quota_snapshots (account_id, region, updated_at_ms, lowered_at_ms, lowered_code, "
          "lowered_previous, lowered_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
          "ON CONFLICT (account_id, region) DO UPDATE SET updated_at_ms = excluded.updated_at_ms, "
          "lowered_at_ms = excluded.lowered_at_ms, lowered_code = excluded.lowered_code, "
          "lowered_previous = excluded.lowered_previous, lowered_value = excluded.lowered_value");
      head->bind(1, snapshot.account_id);
      head->bind(2, snapshot.region);
      head->bind(3, snapshot.updated_at_ms);
      if (const auto& l = snapshot.last_lowered) {
        head->bind(4, l->at_ms);
        head->bind(5, l->quota_code);
        head->bind(6, l->previous_value);
        head->bind(7, l->value);
      }  // else NULLs: none seen
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

Result<SnapshotPage> SqliteStore::ListQuotaSnapshots(const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<std::string> after;
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(after, DecodeCursor(cursor, "quota_snapshots", 2));
  }
  return Read("ListQuotaSnapshots", [&](Connection& c) -> Result<SnapshotPage> {
    ReadTransaction txn(c);  // the page's headers and their values from one snapshot
    SnapshotPage page;
    {
      // Keyset paging on the primary key: O(page) whatever the cursor.
      const std::string columns = std::string("SELECT account_id, region, updated_at_ms, ") + kLoweredColumns;
      Stmt heads = c.Prepare(after.empty() ? columns + " FROM quota_snapshots ORDER BY account_id, region LIMIT ?1"
                                           : columns +
                                                 " FROM quota_snapshots WHERE (account_id, region) > (?2, ?3) "
                                                 "ORDER BY account_id, region LIMIT ?1");
      heads->bind(1, limit + 1);
      if (!after.empty()) {
        heads->bind(2, after[0]);
        heads->bind(3, after[1]);
      }
      while (heads->executeStep()) {
        domain::QuotaSnapshot& s = page.items.emplace_back();
        s.account_id = heads->getColumn(0).getString();
        s.region = heads->getColumn(1).getString();
        s.updated_at_ms = heads->getColumn(2).getInt64();
        s.last_lowered = ReadLowered(heads, 3);
      }
    }
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.pop_back();
      page.next = EncodeCursor("quota_snapshots", {page.items.back().account_id, page.items.back().region});
    }
    for (domain::QuotaSnapshot& s : page.items) ReadValues(c, &s);
    return page;
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
