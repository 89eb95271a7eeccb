// The persistence interfaces of the platform, one per area (users and teams, sessions, accounts, the quota cache
// with its maintained aggregates, quota history, fleet jobs, the audit log, login throttles, leases and epochs,
// installation settings, usage against quota, alert rules and alerts, alert channels, quota increase requests), and
// Store, which is all of them for one backend. SqliteStore (embedded, the default) and DynamoDbStore (several
// instances) implement them. Every backend must pass the conformance suite in server/test/store/, which tests through
// these interfaces only.
//
// Contracts common to every interface (each header states the rest):
//  - Errors: Unavailable / Internal when the backend fails (I/O, throttling it gave up on, corrupt data); callers
//    never see backend-specific error types. InvalidArgument names the offending field.
//  - Atomicity: each operation says what it writes all-or-nothing and which condition it checks (e.g. "only if
//    the stored version equals expected_version"); a failed check changes nothing. Nothing is written "in a
//    transaction" beyond what the operation states, and no write cascades to other records unless the operation
//    says so (services delete dependent records themselves). A backend without multi-record transactions
//    (DynamoDbStore: store/dynamodb/dynamodb_store.h) makes the operation's main record the commit point and
//    writes the records derived from it (index entries, counters, aggregates) right after, exactly once, from an
//    intent stored with the commit: the condition and the main record are atomic, and the derived records may
//    lag it for the duration of the write (or until the next sweep after a crash).
//  - Lists: every list served to clients pages by an opaque cursor (store/cursor.h) in a stable documented order
//    and costs O(page): no offsets, no counts computed per call (a `total` exists only where it is a maintained
//    counter), no store-assigned sequence numbers (ids are time-ordered where order matters: domain/ids.h). A
//    limit outside the range its field documents (1..1000 unless stated) is InvalidArgument("limit"); a cursor
//    not made by the same list is InvalidArgument("cursor").
//  - Records are bounded in size (a backend's item limit, 400 KB on DynamoDB, is never approached): unbounded
//    collections (job items, history, audit entries) are records of their own.
//  - Team and region lists inside records come back sorted and without duplicates. Accounts are ordered and
//    searched with Unicode case folding (account_store.h).
//  - Thread safety: every implementation is safe to call concurrently from many threads.
#pragma once

#include "common/status.h"
#include "store/account_store.h"
#include "store/alert_channel_store.h"
#include "store/alert_store.h"
#include "store/audit_store.h"
#include "store/coordination_store.h"
#include "store/job_store.h"
#include "store/login_throttle_store.h"
#include "store/quota_cache_store.h"
#include "store/quota_history_store.h"
#include "store/quota_increase_store.h"
#include "store/session_store.h"
#include "store/setting_store.h"
#include "store/usage_store.h"
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
              public LoginThrottleStore,
              public CoordinationStore,
              public SettingStore,
              public UsageStore,
              public AlertStore,
              public AlertChannelStore,
              public QuotaIncreaseStore {
 public:
  ~Store() override = default;

  // OK when the backend answers a trivial query. Used by /ready.
  virtual Status Ping() = 0;
};

}  // namespace ap::store
