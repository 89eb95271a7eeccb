// SqliteStore: leases and epochs (store/coordination_store.h). Each write is one IMMEDIATE transaction: the write
// mutex orders this process's callers, BEGIN IMMEDIATE orders every process sharing the file, so the read, the
// decision (the shared rules of coordination_store.h) and the write are one step for all of them.
#include <cstdint>
#include <optional>
#include <string>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

std::optional<Lease> ReadLeaseRow(Connection& c, const std::string& name) {
  Stmt get = c.Prepare("SELECT holder, token, expires_at_ms FROM leases WHERE name = ?1");
  get->bind(1, name);
  if (!get->executeStep()) return std::nullopt;
  return Lease{.name = name,
               .holder = get->getColumn(0).getString(),
               .token = get->getColumn(1).getInt64(),
               .expires_at_ms = get->getColumn(2).getInt64()};
}

void WriteLeaseRow(Connection& c, const Lease& lease) {
  Stmt put = c.Prepare(
      "INSERT INTO leases (name, holder, token, expires_at_ms) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token, "
      "expires_at_ms = excluded.expires_at_ms");
  put->bind(1, lease.name);
  put->bind(2, lease.holder);
  put->bind(3, lease.token);
  put->bind(4, lease.expires_at_ms);
  put->exec();
}

}  // namespace

Result<Lease> SqliteStore::AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                                        int64_t ttl_ms) {
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, ttl_ms));
  return Write("AcquireLease", [&](Connection& c) -> Result<Lease> {
    WriteTransaction txn(c);
    const std::optional<Lease> stored = ReadLeaseRow(c, name);
    ASSIGN_OR_RETURN(Lease next, AcquiredLease(stored ? &*stored : nullptr, name, holder, now_ms, ttl_ms));
    WriteLeaseRow(c, next);
    txn.Commit();
    return next;
  });
}

Result<Lease> SqliteStore::RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                                      int64_t ttl_ms) {
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, ttl_ms));
  return Write("RenewLease", [&](Connection& c) -> Result<Lease> {
    WriteTransaction txn(c);
    const std::optional<Lease> stored = ReadLeaseRow(c, name);
    if (!stored) return NotFound("lease " + name + " not found");
    ASSIGN_OR_RETURN(Lease next, RenewedLease(*stored, holder, token, now_ms, ttl_ms));
    WriteLeaseRow(c, next);
    txn.Commit();
    return next;
  });
}

Status SqliteStore::ReleaseLease(const std::string& name, const std::string& holder, int64_t token) {
  RETURN_IF_ERROR(CheckLeaseArguments(name, holder, std::nullopt));
  return Write("ReleaseLease", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    std::optional<Lease> stored = ReadLeaseRow(c, name);
    if (!stored || !ReleaseFrees(*stored, holder, token)) return Status::Ok();
    stored->expires_at_ms = 0;
    WriteLeaseRow(c, *stored);
    txn.Commit();
    return Status::Ok();
  });
}

Result<Lease> SqliteStore::GetLease(const std::string& name) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  return Read("GetLease", [&](Connection& c) -> Result<Lease> {
    std::optional<Lease> stored = ReadLeaseRow(c, name);
    if (!stored) return NotFound("lease " + name + " not found");
    return *std::move(stored);
  });
}

Result<int64_t> SqliteStore::BumpEpoch(const std::string& name) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  return Write("BumpEpoch", [&](Connection& c) -> Result<int64_t> {
    // One statement is atomic on its own; RETURNING reads the value it wrote.
    Stmt bump = c.Prepare(
        "INSERT INTO epochs (name, value) VALUES (?1, 1) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
    bump->bind(1, name);
    if (!bump->executeStep()) return Internal("BumpEpoch: no value returned");
    const int64_t value = bump->getColumn(0).getInt64();
    return value;
  });
}

Result<int64_t> SqliteStore::GetEpoch(const std::string& name) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  return Read("GetEpoch", [&](Connection& c) -> Result<int64_t> {
    Stmt get = c.Prepare("SELECT value FROM epochs WHERE name = ?1");
    get->bind(1, name);
    if (!get->executeStep()) return int64_t{0};
    return get->getColumn(0).getInt64();
  });
}

}  // namespace ap::store
