// FleetRefresher: refreshes the quotas of many accounts as one background job, with progress, an estimate of
// the time left, per-account outcomes, and resumption after a restart.
//
// One fleet job runs at a time. Accounts are refreshed `account_concurrency` at a time through the
// QuotaRefresher (so each account's own AWS rate limits and single flight still hold). The job is persisted in
// the store as it progresses (at most every `persist_every`, and at the end); a job found "running" at start
// belongs to a process that stopped, and is marked "interrupted" (RecoverInterrupted) — Resume continues its
// pending accounts.
//
// Thread safety: safe from any thread. Each job runs on its own thread; Shutdown() waits for it.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/random.h"
#include "domain/job.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/quota_refresher.h"
#include "store/store.h"

namespace ap::service {

struct FleetOptions {
  int account_concurrency = 16;                             // accounts refreshed at once
  Duration persist_every = std::chrono::milliseconds(500);  // how often progress is written to the store
  // Observers for tests (default none), called with no lock held, on the thread named:
  // after the job thread launched an account's refresh (with the item's index in Job::items)...
  std::function<void(size_t item)> on_account_started;
  // ...and in Shutdown(), once no account will be launched any more, before it waits for those in flight.
  std::function<void()> on_shutdown_started;
};

struct FleetRequest {
  std::string kind = "quota_refresh_all";
  std::string team;    // only accounts of this team (empty = all active accounts)
  std::string region;  // only this region (empty = every region of each account); accounts without it are skipped
  // Optional: skip (account, region) pairs for which this returns true (the scheduler skips recent ones).
  std::function<bool(const domain::Account&, const std::string& region)> skip;
};

struct JobProgress {
  domain::Job job;
  std::optional<int64_t> eta_seconds;  // while running, once at least one account is done
};

class FleetRefresher {
 public:
  FleetRefresher(AccountService& accounts, QuotaRefresher& refresher, store::Store& store, AuditService& audit,
                 const Clock& clock, Random& random, FleetOptions options);
  ~FleetRefresher();  // Shutdown()

  // Starts a job over the matching active accounts. FailedPrecondition naming the running job when one runs
  // (checked before any account is listed, so a refused start costs no store read); Unavailable once Shutdown()
  // began; InvalidArgument("team" / "region") for malformed filters. Audited as quota.refresh_all.
  Result<domain::Job> Start(const RequestContext& ctx, const FleetRequest& request);
  // NotFound for an unknown job.
  Result<JobProgress> Get(const std::string& job_id);
  Result<std::vector<domain::Job>> List(int64_t limit);
  // Continues an interrupted job's pending accounts. FailedPrecondition unless the job is interrupted or
  // another job runs. Audited.
  Result<domain::Job> Resume(const RequestContext& ctx, const std::string& job_id);
  // Marks jobs left "running" by a stopped process as "interrupted". Call once at start, before Start().
  Status RecoverInterrupted();
  // The running job's id, if any.
  std::optional<std::string> Running() const;
  // Blocks until no job runs and the last job's final state has been written to the store (CLI and tests).
  void WaitIdle();
  // Stops starting new accounts, waits for those in flight, persists the job as interrupted (resumable), and
  // joins the job thread. Later Start()/Resume() calls return Unavailable. Idempotent.
  void Shutdown();

 private:
  // FailedPrecondition naming the running job, or Unavailable once Shutdown() began; OK when a job may start.
  // REQUIRES: mu_ held.
  Status CheckCanStartLocked() const REQUIRES(mu_);
  // Claims the running slot for `job` (re-checking CheckCanStartLocked), joins the previous job's thread, writes
  // the job, audits `action` and starts its thread. Returns a snapshot of the job as started.
  Result<domain::Job> Launch(const RequestContext& ctx, const std::shared_ptr<domain::Job>& job,
                             std::string_view action, std::string_view audit_detail);
  void RunJob(const std::shared_ptr<domain::Job>& job, const RequestContext& ctx);
  void Persist(const domain::Job& job);

  AccountService& accounts_;
  QuotaRefresher& refresher_;
  store::Store& store_;
  AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  const FleetOptions options_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<domain::Job> running_ GUARDED_BY(mu_);   // its items too (read and written under mu_)
  std::shared_ptr<domain::Job> finished_ GUARDED_BY(mu_);  // the last job that ended, as it ended
  int persisting_final_ GUARDED_BY(mu_) = 0;               // finished jobs whose final state is being written
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread worker_ GUARDED_BY(mu_);  // joined only after being moved out from under mu_
  TimePoint run_started_ GUARDED_BY(mu_);
  int64_t done_at_start_ GUARDED_BY(mu_) = 0;
};

}  // namespace ap::service
