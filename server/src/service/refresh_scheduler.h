// RefreshScheduler: refreshes the whole fleet every `interval` (with jitter, so that several instances and
// many installations do not hit AWS at the same second), skipping (account, region) pairs refreshed within
// `skip_recent` — an account an admin just refreshed is not read again minutes later. A refresh that read nothing
// (its values were marked stale) does not count: such a pair is read again by the next run.
//
// Once per interval across instances: each instance runs its own scheduler, and a due run first takes lease
// kScheduledRefreshLease ("scheduled-refresh") for the interval (capped at 24 h), never releasing it. Only the
// instance that gets it starts the job; the others plan their next tick. So runs start at least an interval apart
// whichever instance makes them (the holder's own next run may renew its lease, as one instance's schedule did).
//
// Tick() holds the whole decision and is driven by a FakeClock in tests; Start() runs it on a thread.
// Thread safety: safe from any thread.
#pragma once

#include <mutex>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/periodic.h"
#include "common/random.h"
#include "service/fleet_refresher.h"
#include "service/quota_service.h"
#include "store/coordination_store.h"

namespace ap::service {

// The lease a scheduled run is made under (see the file comment).
inline constexpr char kScheduledRefreshLease[] = "scheduled-refresh";

struct SchedulerOptions {
  Duration interval = std::chrono::hours(6);  // 0 turns scheduled refresh off
  double jitter = 0.1;                        // each wait is interval × (1 ± jitter), uniformly
  Duration skip_recent = Duration::zero();    // zero: interval / 2
};

class RefreshScheduler {
 public:
  // The lease holder is fleet.instance_id().
  RefreshScheduler(FleetRefresher& fleet, QuotaService& quota, store::CoordinationStore& leases, const Clock& clock,
                   Random& random, SchedulerOptions options);
  ~RefreshScheduler();  // Stop()

  // If the next run is due, takes the scheduled-refresh lease and starts a scheduled fleet job (unless a job
  // already runs here: then it waits for the next tick; or another instance holds the lease: then that instance
  // made this interval's run) and plans the following run. Returns true when a job was started. The first run is
  // due one jittered interval after construction.
  bool Tick();
  // When the next run is due.
  TimePoint next_run() const;

  // Runs Tick() on a thread, waking at the next due time (checked at least every minute). No-op when the
  // interval is 0.
  void Start();
  void Stop();

 private:
  // The jittered interval; zero when scheduled refresh is off.
  Duration NextInterval();
  bool RefreshedRecently(const domain::Account& account, const std::string& region);
  // Takes the lease and starts the job: FailedPrecondition when another instance holds the lease or a job runs.
  Status StartRun();

  FleetRefresher& fleet_;
  QuotaService& quota_;
  store::CoordinationStore& leases_;
  const Clock& clock_;
  Random& random_;
  const SchedulerOptions options_;
  mutable Mutex mu_;
  TimePoint next_run_ GUARDED_BY(mu_);
  TickThread ticker_;  // last: stopped (by the destructor) before the members its ticks use go
};

}  // namespace ap::service
