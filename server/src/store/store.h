// Store: the persistence interface of the platform. Today it has one backend, SqliteStore (embedded, the
// default), which passes the conformance suite in test/store/. The interface is kept storage-neutral so that a
// second backend (DynamoDB, for several instances; not written yet) can follow; any backend must pass that suite.
//
// Contracts common to every method:
//  - Returns Unavailable / Internal when the backend fails (I/O error, corrupt data); callers never see
//    backend-specific error types.
//  - Lists come back in a stable documented order. Team and region lists inside records come back sorted and
//    without duplicates. Accounts are ordered and searched with Unicode case folding (account_store.h).
//  - A limit outside the range its field documents (1..1000 unless stated) or a negative offset is
//    InvalidArgument("limit" / "offset").
//  - Thread safety: every implementation is safe to call concurrently from many threads.
#pragma once

#include "common/status.h"
#include "store/account_store.h"
#include "store/audit_store.h"
#include "store/job_store.h"
#include "store/login_throttle_store.h"
#include "store/quota_cache_store.h"
#include "store/quota_history_store.h"
#include "store/session_store.h"
#include "store/user_store.h"

namespace ap::store {

// Every interface of one backend. Services take the narrowest interface they use.
class Store : public UserStore,
              public SessionStore,
              public AccountStore,
              public QuotaCacheStore,
              public QuotaHistoryStore,
              public JobStore,
              public AuditStore,
              public LoginThrottleStore {
 public:
  ~Store() override = default;

  // OK when the backend answers a trivial query. Used by /ready.
  virtual Status Ping() = 0;
};

}  // namespace ap::store
