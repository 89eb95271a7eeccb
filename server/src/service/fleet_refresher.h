// FleetRefresher: refreshes the quotas of many accounts as one background job, with progress, an estimate of
// the time left, per-account outcomes, and resumption after a restart.
//
// One fleet job runs at a time (in this process). A job is a header and one item per (account, region) in the
// JobStore: Start writes the header, then the items in batches as it lists the accounts page by page; the job
// thread reads the pending items back a page at a time and refreshes them `account_concurrency` at a time through
// the QuotaRefresher (so each account's own AWS rate limits and single flight still hold); each item's outcome is
// written as it ends, together with the header's counters (JobStore::FinishJobItem). Memory and every store
// write stay bounded whatever the job's size: no record holds the job's items, none is rewritten as it
// progresses. A job found "running" at start belongs to a process that stopped and is marked "interrupted"
// (RecoverInterrupted); Resume continues its pending items.
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
#include "store/job_store.h"

namespace ap::service {

struct FleetOptions {
  int account_concurrency = 16;  // accounts refreshed at once
  // Observers for tests (default none), called with no lock held, on the thread named:
  // after the job thread launched an item's refresh (with the item's seq)...
  std::function<void(int64_t seq)> on_account_started;
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
  domain::Job job;                     // the header with its counters
  std::optional<int64_t> eta_seconds;  // while running, once at least one account is done
};

struct JobQuery {
  std::string cursor;      // "" = the first page; store::JobPage::next of the page before
  int64_t page_size = 20;  // 1..200
};

struct JobItemQuery {
  std::optional<domain::JobItemOutcome> outcome;  // nullopt = any outcome
  std::string cursor;                             // "" = the first page; store::JobItemPage::next of the page before
  int64_t page_size = 100;                        // 1..200
};

class FleetRefresher {
 public:
  FleetRefresher(AccountService& accounts, QuotaRefresher& refresher, store::JobStore& jobs, AuditService& audit,
                 const Clock& clock, Random& random, FleetOptions options);
  ~FleetRefresher();  // Shutdown()

  // Starts a job over the matching active accounts: writes its header and items (one per pair; blocking: the
  // store writes grow with the fleet, in batches) and returns the header once every item is written, the job
  // thread running. FailedPrecondition naming the running job when one runs (checked before any account is
  // listed, so a refused start costs no store read); Unavailable once Shutdown() began; InvalidArgument("team" /
  // "region") for malformed filters. A store failure while the items are written fails the start and leaves the
  // header "failed". Audited as quota.refresh_all.
  Result<domain::Job> Start(const RequestContext& ctx, const FleetRequest& request);
  // The job's header; the running job's from memory, with an estimate. NotFound for an unknown job.
  Result<JobProgress> Get(const std::string& job_id);
  // Jobs newest first, a page at a time. InvalidArgument("page_size" / "cursor").
  Result<store::JobPage> List(const JobQuery& query);
  // A job's items in processing order, a page at a time. NotFound for an unknown job; InvalidArgument("page_size"
  // / "cursor").
  Result<store::JobItemPage> Items(const std::string& job_id, const JobItemQuery& query);
  // Continues an interrupted job's pending items. FailedPrecondition unless the job is interrupted (and stays so
  // until this resume claims it) or while another job runs. Audited.
  Result<domain::Job> Resume(const RequestContext& ctx, const std::string& job_id);
  // Marks jobs left "running" by a stopped process as "interrupted", reading only the running jobs, a page at a
  // time. Call once at start, before Start(). (With several instances this would need a lease per job.)
  Status RecoverInterrupted();
  // The running job's id, if any.
  std::optional<std::string> Running() const;
  // Blocks until no job runs and the last job's final state has been written to the store (CLI and tests).
  void WaitIdle();
  // Stops starting new accounts, waits for those in flight, marks the job interrupted (resumable), and joins the
  // job thread. Later Start()/Resume() calls return Unavailable. Idempotent.
  void Shutdown();

 private:
  // FailedPrecondition naming the running job, or Unavailable once Shutdown() began; OK when a job may start.
  // REQUIRES: mu_ held.
  Status CheckCanStartLocked() const REQUIRES(mu_);
  // Takes the running slot for `job` (CheckCanStartLocked), then joins the previous job's thread.
  Status Claim(const std::shared_ptr<domain::Job>& job);
  // Gives the slot back after a start that failed before its thread ran.
  void Release();
  // Writes one item per matching (account, region) in batches, counting them in job->counters.total.
  Status AddItems(const std::shared_ptr<domain::Job>& job, const FleetRequest& request);
  // Audits `action` and starts the job thread. Returns a snapshot of the header as started.
  domain::Job LaunchClaimed(const RequestContext& ctx, const std::shared_ptr<domain::Job>& job, std::string_view action,
                            std::string_view audit_detail);
  void RunJob(const std::shared_ptr<domain::Job>& job, const RequestContext& ctx);
  // Records how item `seq` ended, in the store and then in job's counters. Called on a refresher thread.
  void FinishItem(const std::shared_ptr<domain::Job>& job, int64_t seq, const Result<RefreshReport>& r);

  AccountService& accounts_;
  QuotaRefresher& refresher_;
  store::JobStore& jobs_;
  AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  const FleetOptions options_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<domain::Job> running_ GUARDED_BY(mu_);   // header and counters (read and written under mu_)
  std::shared_ptr<domain::Job> finished_ GUARDED_BY(mu_);  // the last job that ended, as it ended
  int persisting_final_ GUARDED_BY(mu_) = 0;               // finished jobs whose final state is being written
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread worker_ GUARDED_BY(mu_);  // joined only after being moved out from under mu_
  TimePoint run_started_ GUARDED_BY(mu_);
  int64_t done_at_start_ GUARDED_BY(mu_) = 0;
};

}  // namespace ap::service
