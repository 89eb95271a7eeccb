// UsageScheduler: polls the usage of every active account, in every region it uses, every `interval` (with
// jitter), once fleet-wide (issue 13).
//
// Once per interval across instances: each instance runs its own scheduler, and a due run first takes lease
// kScheduledUsagePollLease ("scheduled-usage-poll") for the interval (capped at store::kMaxLeaseTtlMs), never
// releasing it. Only the instance that gets it runs; the others plan their next tick (as RefreshScheduler does).
// A run walks the active accounts page by page (AccountStore::ListAccounts, `page_size` at a time: never the whole
// registry in memory) and polls each (account, region) through UsagePoller::PollAsync, at most `max_concurrent`
// at once; it returns when every poll has answered. A failed poll is logged and counted, never retried here (the
// next run polls it again).
//
// Tick() holds the whole decision and runs the walk on the caller's thread: tests drive it with a FakeClock;
// Start() runs it on a thread.
// Thread safety: safe from any thread; a Tick() running blocks a concurrent one until it ends.
#pragma once

#include <cstdint>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/periodic.h"
#include "common/random.h"
#include "service/usage_poller.h"
#include "store/account_store.h"
#include "store/coordination_store.h"

namespace ap::service {

inline constexpr char kScheduledUsagePollLease[] = "scheduled-usage-poll";

struct UsageSchedulerOptions {
  Duration interval = std::chrono::minutes(5);  // 0 turns scheduled usage polls off
  double jitter = 0.1;                          // each wait is interval × (1 ± jitter), uniformly
  std::string instance_id = "local";            // the lease holder: distinct for every instance
  int64_t page_size = 100;                      // accounts read per page (1..1000)
  int max_concurrent = 4;                       // polls in flight at once (>= 1)
};

// What one run did.
struct UsageRunReport {
  int64_t accounts = 0;  // active accounts walked
  int64_t polls = 0;     // (account, region) polls started
  int64_t ok = 0;        // polls whose snapshot is ok
  int64_t stale = 0;     // polls that could not read AWS (snapshot marked stale)
  int64_t failed = 0;    // polls that returned an error
};

class UsageScheduler {
 public:
  UsageScheduler(UsagePoller& poller, store::AccountStore& accounts, store::CoordinationStore& leases,
                 const Clock& clock, Random& random, UsageSchedulerOptions options);
  ~UsageScheduler();  // Stop()

  // If the next run is due, takes the scheduled-usage-poll lease and runs (blocking until every poll answered),
  // then plans the following run. Returns true when this call ran. The first run is due one jittered interval
  // after construction. A store error of the account walk ends the run early (logged; the next run starts over).
  bool Tick();
  TimePoint next_run() const;
  // The report of the last run made here (zeros before the first).
  UsageRunReport last_run() const;

  // Runs Tick() on a thread. No-op when the interval is 0.
  void Start();
  void Stop();

 private:
  Duration NextInterval();
  // Walks the fleet and polls it; the report of what it did.
  UsageRunReport RunOnce();

  UsagePoller& poller_;
  store::AccountStore& accounts_;
  store::CoordinationStore& leases_;
  const Clock& clock_;
  Random& random_;
  const UsageSchedulerOptions options_;
  mutable Mutex mu_;
  TimePoint next_run_ GUARDED_BY(mu_);
  UsageRunReport last_run_ GUARDED_BY(mu_);
  Mutex run_mu_;       // one run at a time on this instance
  TickThread ticker_;  // last: stopped before the members its ticks use go
};

}  // namespace ap::service
