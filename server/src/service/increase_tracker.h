// IncreaseTracker: follows the open quota increase requests on a schedule (issue 14 §1), and finds requests made
// outside the platform.
//
// Every `interval` (with jitter; 0 = off), once fleet-wide: a due round takes lease kIncreaseCheckLease
// ("increase-check") for the interval (never released, like the usage schedule), so only one instance runs each
// round. The round pages the open requests (QuotaIncreaseStore::ListOpenIncreaseRequests, `page_size` at a
// time, at most `max_checks` per round) and reads each one's status from AWS through
// QuotaIncreaseService::CheckStored (a change is stored and audited; APPROVED triggers the refresh once). A
// request of an inactive or deleted account is skipped. The next round starts again from the newest open
// request; with more than max_checks open requests the oldest wait for a round where fewer are open (raise
// max_checks for fleets with that many).
//
// Discovery: every `sync_every`-th round (default 6: hourly at the default interval) the round also syncs
// `sync_accounts` active accounts (QuotaIncreaseService::Sync: every configured code in every region), continuing
// from where the previous discovery stopped. The position is kept in memory by the instance that ran the round:
// when rounds move to another instance (a restart, another instance winning the lease) discovery starts again
// from the first account there, so with N instances a full pass may take up to N times longer; it never skips
// an account for good.
//
// Tick() decides and runs the round on the caller's thread (tests use a FakeClock); Start() runs it on a thread.
// Thread safety: safe from any thread; one Tick() at a time.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/periodic.h"
#include "common/random.h"
#include "service/quota_increase_service.h"
#include "store/account_store.h"
#include "store/coordination_store.h"
#include "store/quota_increase_store.h"

namespace ap::service {

inline constexpr char kIncreaseCheckLease[] = "increase-check";

struct IncreaseTrackerOptions {
  Duration interval = std::chrono::minutes(10);  // --increase-check-interval; 0 turns the schedule off
  double jitter = 0.1;
  std::string instance_id = "local";
  int64_t page_size = 100;     // open requests read per page (1..1000)
  int64_t max_checks = 1000;   // status reads per round
  int sync_every = 6;          // discovery every this many rounds (0 = never)
  int64_t sync_accounts = 20;  // accounts synced per discovery round (1..1000)
};

struct IncreaseRoundReport {
  int64_t checked = 0;  // status reads made
  int64_t changed = 0;  // requests whose status changed
  int64_t failed = 0;   // reads that failed (check_error set) or could not be stored
  int64_t skipped = 0;  // requests of inactive or deleted accounts
  int64_t synced_accounts = 0;
  int64_t found = 0;  // external requests found by the sync
};

class IncreaseTracker {
 public:
  IncreaseTracker(QuotaIncreaseService& increases, store::QuotaIncreaseStore& requests, store::AccountStore& accounts,
                  store::CoordinationStore& leases, const Clock& clock, Random& random, IncreaseTrackerOptions options);
  ~IncreaseTracker();  // Stop()

  // When a round is due, takes the lease and runs it; true when this call ran one. The first round is due one
  // jittered interval after construction.
  bool Tick();
  // One round now, without the schedule or the lease (tests).
  IncreaseRoundReport RunOnce(bool sync);
  TimePoint next_run() const;
  IncreaseRoundReport last_run() const;
  void Start();  // no-op when the interval is 0
  void Stop();

 private:
  QuotaIncreaseService& increases_;
  store::QuotaIncreaseStore& requests_;
  store::AccountStore& accounts_;
  store::CoordinationStore& leases_;
  const Clock& clock_;
  Random& random_;
  const IncreaseTrackerOptions options_;
  mutable Mutex mu_;
  TimePoint next_run_ GUARDED_BY(mu_);
  IncreaseRoundReport last_run_ GUARDED_BY(mu_);
  int64_t rounds_ GUARDED_BY(mu_) = 0;
  std::string sync_cursor_ GUARDED_BY(mu_);  // the account page discovery continues from
  Mutex run_mu_;
  TickThread ticker_;  // last
};

}  // namespace ap::service
