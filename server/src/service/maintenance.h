// MaintenanceRunner: the background purges that keep storage bounded — expired sessions, audit entries older
// than the retention, and any purge added with AddPurge — run every `interval` (jittered, so that several
// instances do not purge at the same second).
//
// Several instances may run it on one store at once without coordination: every purge is idempotent (deleting
// what is already gone deletes nothing) and bounded (the audit retention deletes in batches of audit_batch, at most
// max_audit_batches per run, so that one run never holds the store's writer for long; a backlog shrinks run by
// run).
//
// Adding a purge is one line where the runner is built (app/platform.cc), as for expired login throttles:
//   maintenance->AddPurge("login_throttles", [s](int64_t now_ms) { return s->DeleteExpiredLoginThrottles(now_ms); });
//
// Tick() holds the whole decision and is driven by a FakeClock in tests; Start() runs it on a thread.
// Thread safety: safe from any thread, except AddPurge (before Start). Does not own the store.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/periodic.h"
#include "common/random.h"
#include "common/status.h"
#include "store/store.h"

namespace ap::service {

struct MaintenanceOptions {
  Duration interval = std::chrono::minutes(10);  // between runs; must be positive
  double jitter = 0.1;                           // each wait is interval × (1 ± jitter), uniformly
  // Audit entries older than this are deleted (--audit-retention). Zero keeps them forever.
  Duration audit_retention = std::chrono::hours(24 * 400);
  int64_t audit_batch = 1000;       // entries per Store::DeleteAuditBefore call (1..100000)
  int64_t max_audit_batches = 100;  // calls per run at most; the rest waits for the next run
};

// One purge's outcome in a run.
struct PurgeResult {
  std::string name;
  Status status;        // the store's error, if the purge failed
  int64_t removed = 0;  // records deleted (0 when it failed)
};

class MaintenanceRunner {
 public:
  // Deletes what has expired at `now_ms` (the runner's clock, Unix milliseconds) and returns how many records
  // it removed, or the store's error. Must be idempotent and bounded.
  using Purge = std::function<Result<int64_t>(int64_t now_ms)>;

  MaintenanceRunner(store::Store& store, const Clock& clock, Random& random, MaintenanceOptions options);
  ~MaintenanceRunner();  // Stop()
  MaintenanceRunner(const MaintenanceRunner&) = delete;
  MaintenanceRunner& operator=(const MaintenanceRunner&) = delete;

  // Adds a purge run after the built-in ones, in the order added. REQUIRES: Start() has not been called.
  void AddPurge(std::string name, Purge purge);

  // Runs every purge now, in order: "sessions" (Store::DeleteExpiredSessions), "audit_retention" (when the
  // retention is not zero), then the added ones. A failing purge is logged and does not stop the others.
  std::vector<PurgeResult> RunOnce();
  // If a run is due, RunOnce() and plans the next one a jittered interval later; returns true when it ran. The
  // first run is due at construction (a server restarted more often than `interval` still purges).
  bool Tick();
  TimePoint next_run() const;

  // Runs Tick() on a thread, waking at the next due time (checked at least every minute). Stop() joins it;
  // both are idempotent.
  void Start();
  void Stop();

 private:
  Result<int64_t> PurgeAudit(int64_t now_ms);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  const MaintenanceOptions options_;
  std::vector<std::pair<std::string, Purge>> purges_;  // fixed once started

  Mutex run_mu_;      // one run at a time (Tick from the thread and RunOnce from a caller)
  mutable Mutex mu_;  // guards next_run_
  TimePoint next_run_ GUARDED_BY(mu_);
  TickThread ticker_;  // last: stopped (by the destructor) before the members its ticks use go
};

}  // namespace ap::service
