// SqliteStore: usage against quota (store/usage_store.h) — hour records, usage snapshots and the headroom index
// (tables in migration_usage.cc; encodings in store/usage_records.h).
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
#include "store/usage_records.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

constexpr size_t kMaxSnapshotKeys = 1000;
constexpr int64_t kMaxSweep = 1000;
constexpr char kHeadroomCursor[] = "usage_headroom";
constexpr char kFleetScope[] = "fleet";

std::string TeamScope(const std::string& team) { return "team:" + team; }

// The scopes a snapshot's entries are listed under: the fleet and each of its teams.
std::vector<std::string> ScopesOf(const std::vector<std::string>& teams) {
  std::vector<std::string> scopes{kFleetScope};
  for (const std::string& team : teams) scopes.push_back(TeamScope(team));
  return scopes;
}

// The snapshot of (account_id, region), or nullopt. REQUIRES: a transaction open on `c`.
Result<std::optional<UsageSnapshot>> ReadUsageSnapshot(Connection& c, const std::string& account_id,
                                                       const std::string& region) {
  Stmt stmt = c.Prepare(
      "SELECT teams, state, polled_at_ms, attempted_at_ms, error_code, error_message, summaries, revision "
      "FROM usage_snapshots WHERE account_id = ?1 AND region = ?2");
  stmt->bind(1, account_id);
  stmt->bind(2, region);
  if (!stmt->executeStep()) return std::optional<UsageSnapshot>();
  UsageSnapshot s;
  s.account_id = account_id;
  s.region = region;
  s.teams = sqlite_internal::DecodeList(stmt->getColumn(0).getString());
  ASSIGN_OR_RETURN(s.state, usage_records::ParseUsageState(stmt->getColumn(1).getString()));
  s.polled_at_ms = stmt->getColumn(2).getInt64();
  s.attempted_at_ms = stmt->getColumn(3).getInt64();
  s.error_code = stmt->getColumn(4).getString();
  s.error_message = stmt->getColumn(5).getString();
  RETURN_IF_ERROR(usage_records::DecodeSummaries(stmt->getColumn(6).getString(), &s));
  s.revision = stmt->getColumn(7).getInt64();
  return std::optional<UsageSnapshot>(std::move(s));
}

// The stored teams and revision of (account_id, region), or nullopt. REQUIRES: a transaction open on `c`.
std::optional<std::pair<std::vector<std::string>, int64_t>> ReadTeamsAndRevision(Connection& c,
                                                                                 const std::string& account_id,
                                                                                 const std::string& region) {
  Stmt stmt = c.Prepare("SELECT teams, revision FROM usage_snapshots WHERE account_id = ?1 AND region = ?2");
  stmt->bind(1, account_id);
  stmt->bind(2, region);
  if (!stmt->executeStep()) return std::nullopt;
  return std::make_pair(sqlite_internal::DecodeList(stmt->getColumn(0).getString()), stmt->getColumn(1).getInt64());
}

// Deletes the index entries of (account_id, region) under the fleet and `teams` (the snapshot's stored teams: the
// only scopes it has entries under). REQUIRES: a write transaction open on `c`.
void DeleteEntries(Connection& c, const std::string& account_id, const std::string& region,
                   const std::vector<std::string>& teams) {
  for (const std::string& scope : ScopesOf(teams)) {
    Stmt del = c.Prepare("DELETE FROM usage_headroom WHERE scope = ?1 AND account_id = ?2 AND region = ?3");
    del->bind(1, scope);
    del->bind(2, account_id);
    del->bind(3, region);
    del->exec();
  }
}

void BindOptional(SQLite::Statement& stmt, int index, const std::optional<double>& v) {
  if (v) {
    stmt.bind(index, *v);
  } else {
    stmt.bind(index);
  }
}

std::optional<double> OptionalColumn(SQLite::Statement& stmt, int index) {
  if (stmt.isColumnNull(index)) return std::nullopt;
  return stmt.getColumn(index).getDouble();
}

}  // namespace

// ---- Hour records --------------------------------------------------------------------------------------

Status SqliteStore::PutUsageHours(const std::vector<UsageHour>& hours) {
  RETURN_IF_ERROR(usage_records::ValidateUsageHours(hours));
  if (hours.empty()) return Status::Ok();
  return Write("PutUsageHours", [&](Connection& c) -> Status {
    WriteTransaction txn(c);  // one transaction for the batch: cheaper, and stricter than the contract asks
    for (const UsageHour& h : hours) {
      Stmt put = c.Prepare(
          "INSERT OR REPLACE INTO usage_hours (account_id, region, series, hour, points, expires_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      put->bind(1, h.account_id);
      put->bind(2, h.region);
      put->bind(3, h.series);
      put->bind(4, h.hour);
      put->bind(5, usage_records::EncodePoints(h.points, h.hour));
      put->bind(6, h.expires_at);
      put->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

Result<std::vector<UsageHour>> SqliteStore::ListUsageHours(const std::string& account_id, const std::string& region,
                                                           const std::string& series, int64_t from_hour,
                                                           int64_t to_hour) {
  RETURN_IF_ERROR(usage_records::ValidateHourRange(from_hour, to_hour));
  return Read("ListUsageHours", [&](Connection& c) -> Result<std::vector<UsageHour>> {
    Stmt stmt = c.Prepare(
        "SELECT hour, points, expires_at FROM usage_hours WHERE account_id = ?1 AND region = ?2 AND series = ?3 "
        "AND hour BETWEEN ?4 AND ?5 ORDER BY hour");
    stmt->bind(1, account_id);
    stmt->bind(2, region);
    stmt->bind(3, series);
    stmt->bind(4, from_hour);
    stmt->bind(5, to_hour);
    std::vector<UsageHour> hours;
    while (stmt->executeStep()) {
      UsageHour& h = hours.emplace_back();
      h.account_id = account_id;
      h.region = region;
      h.series = series;
      h.hour = stmt->getColumn(0).getInt64();
      ASSIGN_OR_RETURN(h.points, usage_records::DecodePoints(stmt->getColumn(1).getString(), h.hour));
      h.expires_at = stmt->getColumn(2).getInt64();
    }
    return hours;
  });
}

Result<int64_t> SqliteStore::DeleteExpiredUsageHours(int64_t now, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit, kMaxSweep));
  return Write("DeleteExpiredUsageHours", [&](Connection& c) -> Result<int64_t> {
    WriteTransaction txn(c);
    // The rowid-less table is deleted from by key: the oldest `limit` records found through the expiry index.
    Stmt del = c.Prepare(
        "DELETE FROM usage_hours WHERE (account_id, region, series, hour) IN (SELECT account_id, region, series, "
        "hour FROM usage_hours WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)");
    del->bind(1, now);
    del->bind(2, limit);
    const int64_t deleted = del->exec();
    txn.Commit();
    return deleted;
  });
}

// ---- Snapshots -----------------------------------------------------------------------------------------

Result<UsageSnapshot> SqliteStore::GetUsageSnapshot(const std::string& account_id, const std::string& region) {
  return Read("GetUsageSnapshot", [&](Connection& c) -> Result<UsageSnapshot> {
    ASSIGN_OR_RETURN(std::optional<UsageSnapshot> s, ReadUsageSnapshot(c, account_id, region));
    if (!s) return NotFound("no usage stored for account " + account_id + " in " + region);
    return std::move(*s);
  });
}

Result<std::vector<UsageSnapshot>> SqliteStore::GetUsageSnapshots(const std::vector<UsageSnapshotKey>& keys) {
  if (keys.size() > kMaxSnapshotKeys) return InvalidArgument("at most 1000 snapshot keys per call", "keys");
  return Read("GetUsageSnapshots", [&](Connection& c) -> Result<std::vector<UsageSnapshot>> {
    ReadTransaction txn(c);
    std::vector<UsageSnapshot> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const UsageSnapshotKey& key : keys) {
      if (!seen.emplace(key.account_id, key.region).second) continue;
      ASSIGN_OR_RETURN(std::optional<UsageSnapshot> s, ReadUsageSnapshot(c, key.account_id, key.region));
      if (s) out.push_back(std::move(*s));
    }
    return out;
  });
}

Result<int64_t> SqliteStore::PutUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision) {
  RETURN_IF_ERROR(usage_records::ValidateUsageSnapshot(snapshot, expected_revision));
  const std::string summaries = usage_records::EncodeSummaries(snapshot);
  const std::vector<HeadroomEntry> entries = HeadroomEntriesOf(snapshot);
  return Write("PutUsageSnapshot", [&](Connection& c) -> Result<int64_t> {
    // Compare and set, the snapshot and its index entries in one IMMEDIATE transaction: all or nothing.
    WriteTransaction txn(c);
    auto stored = ReadTeamsAndRevision(c, snapshot.account_id, snapshot.region);
    const int64_t revision = stored ? stored->second : 0;
    if (revision != expected_revision) {
      return FailedPrecondition("the usage of " + snapshot.account_id + " in " + snapshot.region + " is at revision " +
                                std::to_string(revision) + ", not " + std::to_string(expected_revision) +
                                "; re-read and retry");
    }
    if (stored) DeleteEntries(c, snapshot.account_id, snapshot.region, stored->first);
    {
      Stmt put = c.Prepare(
          "INSERT OR REPLACE INTO usage_snapshots (account_id, region, teams, state, polled_at_ms, attempted_at_ms, "
          "error_code, error_message, summaries, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      put->bind(1, snapshot.account_id);
      put->bind(2, snapshot.region);
      put->bind(3, sqlite_internal::EncodeList(snapshot.teams));
      put->bind(4, std::string(usage_records::UsageStateName(snapshot.state)));
      put->bind(5, snapshot.polled_at_ms);
      put->bind(6, snapshot.attempted_at_ms);
      put->bind(7, snapshot.error_code);
      put->bind(8, snapshot.error_message);
      put->bind(9, summaries);
      put->bind(10, expected_revision + 1);
      put->exec();
    }
    for (const std::string& scope : ScopesOf(snapshot.teams)) {
      for (const HeadroomEntry& e : entries) {
        Stmt put = c.Prepare(
            "INSERT INTO usage_headroom (scope, account_id, region, model_id, headroom, headroom_tpm, headroom_rpm, "
            "polled_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        put->bind(1, scope);
        put->bind(2, e.account_id);
        put->bind(3, e.region);
        put->bind(4, e.model_id);
        put->bind(5, e.headroom == 0 ? 0.0 : e.headroom);  // -0 stored as 0, as on DynamoDB
        BindOptional(*put, 6, e.headroom_tpm);
        BindOptional(*put, 7, e.headroom_rpm);
        put->bind(8, e.polled_at_ms);
        put->exec();
      }
    }
    txn.Commit();
    return expected_revision + 1;
  });
}

Status SqliteStore::DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) {
  return Write("DeleteAccountUsage", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    for (const std::string& region : regions) {
      if (auto stored = ReadTeamsAndRevision(c, account_id, region)) {
        DeleteEntries(c, account_id, region, stored->first);
      }
      for (const char* sql : {"DELETE FROM usage_snapshots WHERE account_id = ?1 AND region = ?2",
                              "DELETE FROM usage_hours WHERE account_id = ?1 AND region = ?2"}) {
        Stmt del = c.Prepare(sql);
        del->bind(1, account_id);
        del->bind(2, region);
        del->exec();
      }
    }
    txn.Commit();
    return Status::Ok();
  });
}

// ---- Headroom index ------------------------------------------------------------------------------------

Result<HeadroomPage> SqliteStore::ListHeadroom(const std::string& team, const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<std::string> after;
  double after_headroom = 0;
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(after, DecodeCursor(cursor, kHeadroomCursor, 4));
    ASSIGN_OR_RETURN(after_headroom, usage_records::HeadroomFromSortKey(after[0]));
  }
  const std::string scope = team.empty() ? std::string(kFleetScope) : TeamScope(team);
  return Read("ListHeadroom", [&](Connection& c) -> Result<HeadroomPage> {
    // Keyset paging on usage_headroom_order: O(page) whatever the cursor.
    const std::string columns =
        "SELECT account_id, region, model_id, headroom, headroom_tpm, headroom_rpm, polled_at_ms FROM usage_headroom "
        "WHERE scope = ?1 ";
    const std::string order = "ORDER BY headroom, account_id, region, model_id LIMIT ?2";
    Stmt stmt =
        c.Prepare(after.empty() ? columns + order
                                : columns + "AND (headroom, account_id, region, model_id) > (?3, ?4, ?5, ?6) " + order);
    stmt->bind(1, scope);
    stmt->bind(2, limit + 1);
    if (!after.empty()) {
      stmt->bind(3, after_headroom);
      stmt->bind(4, after[1]);
      stmt->bind(5, after[2]);
      stmt->bind(6, after[3]);
    }
    HeadroomPage page;
    while (stmt->executeStep()) {
      page.items.push_back(HeadroomEntry{.account_id = stmt->getColumn(0).getString(),
                                         .region = stmt->getColumn(1).getString(),
                                         .model_id = stmt->getColumn(2).getString(),
                                         .headroom = stmt->getColumn(3).getDouble(),
                                         .headroom_tpm = OptionalColumn(*stmt, 4),
                                         .headroom_rpm = OptionalColumn(*stmt, 5),
                                         .polled_at_ms = stmt->getColumn(6).getInt64()});
    }
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.pop_back();
      const HeadroomEntry& last = page.items.back();
      page.next = EncodeCursor(kHeadroomCursor, {usage_records::HeadroomSortKey(last.headroom), last.account_id,
                                                 last.region, last.model_id});
    }
    return page;
  });
}

}  // namespace ap::store
