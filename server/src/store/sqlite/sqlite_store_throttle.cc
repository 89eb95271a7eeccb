// SqliteStore: login attempt counters (store.h "Login throttle").
#include <cstdint>
#include <string>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

Result<ThrottleDecision> SqliteStore::CountLoginAttempt(const std::string& key, int64_t now_ms,
                                                        const LoginThrottlePolicy& policy) {
  return Write("CountLoginAttempt", [&](Connection& c) -> Result<ThrottleDecision> {
    // The write mutex serialises this process; BEGIN IMMEDIATE serialises other processes on the same file, so
    // the read and the write below are one step for every caller.
    WriteTransaction txn(c);
    LoginThrottle current;
    bool found = false;
    {
      Stmt get =
          c.Prepare("SELECT attempts, locked_until_ms, expires_at_ms FROM login_throttles WHERE throttle_key = ?1");
      get->bind(1, key);
      if (get->executeStep()) {
        found = true;
        current.attempts = get->getColumn(0).getInt64();
        current.locked_until_ms = get->getColumn(1).getInt64();
        current.expires_at_ms = get->getColumn(2).getInt64();
      }
    }
    ThrottleDecision d = ApplyLoginAttempt(found ? &current : nullptr, now_ms, policy);
    if (d.allowed) {
      Stmt put = c.Prepare(
          "INSERT INTO login_throttles (throttle_key, attempts, locked_until_ms, expires_at_ms) "
          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (throttle_key) DO UPDATE SET attempts = excluded.attempts, "
          "locked_until_ms = excluded.locked_until_ms, expires_at_ms = excluded.expires_at_ms");
      put->bind(1, key);
      put->bind(2, d.state.attempts);
      put->bind(3, d.state.locked_until_ms);
      put->bind(4, d.state.expires_at_ms);
      put->exec();
    }
    txn.Commit();
    return d;
  });
}

Status SqliteStore::RefundLoginAttempt(const std::string& key) {
  return Write("RefundLoginAttempt", [&](Connection& c) -> Status {
    Stmt upd = c.Prepare("UPDATE login_throttles SET attempts = max(attempts - 1, 0) WHERE throttle_key = ?1");
    upd->bind(1, key);
    upd->exec();
    return Status::Ok();
  });
}

Status SqliteStore::ClearLoginFailures(const std::string& key) {
  return Write("ClearLoginFailures", [&](Connection& c) -> Status {
    Stmt del = c.Prepare("DELETE FROM login_throttles WHERE throttle_key = ?1");
    del->bind(1, key);
    del->exec();
    return Status::Ok();
  });
}

Result<LoginThrottle> SqliteStore::GetLoginThrottle(const std::string& key, int64_t now_ms) {
  return Read("GetLoginThrottle", [&](Connection& c) -> Result<LoginThrottle> {
    Stmt get = c.Prepare(
        "SELECT attempts, locked_until_ms, expires_at_ms FROM login_throttles "
        "WHERE throttle_key = ?1 AND expires_at_ms > ?2");
    get->bind(1, key);
    get->bind(2, now_ms);
    if (!get->executeStep()) return NotFound("no login throttle for this key");
    LoginThrottle t;
    t.attempts = get->getColumn(0).getInt64();
    t.locked_until_ms = get->getColumn(1).getInt64();
    t.expires_at_ms = get->getColumn(2).getInt64();
    return t;
  });
}

Result<int64_t> SqliteStore::DeleteExpiredLoginThrottles(int64_t now_ms) {
  return Write("DeleteExpiredLoginThrottles", [&](Connection& c) -> Result<int64_t> {
    Stmt del = c.Prepare("DELETE FROM login_throttles WHERE expires_at_ms <= ?1");
    del->bind(1, now_ms);
    return static_cast<int64_t>(del->exec());
  });
}

}  // namespace ap::store
