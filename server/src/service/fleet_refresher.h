// FleetRefresher: refreshes the quotas of many accounts as one background job, with progress, an estimate of
// the time left, per-account outcomes, and resumption after a restart.
//
// A job is a header and one item per (account, region) in the JobStore: Start writes the header, then the items in
// batches as it lists the accounts page by page; the job thread reads the pending items back a page at a time and
// refreshes them `account_concurrency` at a time through the QuotaRefresher (so each account's own AWS rate limits
// and single flight still hold); each item's outcome is written as it ends, together with the header's counters
// (JobStore::FinishJobItem). Memory and every store write stay bounded whatever the job's size: no record holds
// the job's items, none is rewritten as it progresses.
//
// One fleet job runs at a time across every instance sharing the store. The instance running a job holds lease
// kFleetJobLease ("fleet-job", CoordinationStore) for `lease_ttl`, renewed every lease_ttl / 3 by Tick(); the job
// header's fence is the lease's token, and every state change of the job is fenced with it (JobStateChange::fence),
// so once another instance took the job over, this one's state changes are refused. When a renewal fails, the job
// stops launching items at once (those in flight finish), leaves the header "running" and ends here; whoever takes
// the lease next resumes it. A job "running" in the store while the lease is free (expired: its instance died or
// lost the store) is abandoned: TakeOverAbandonedJob (at start, and every lease_ttl from Tick()) takes the lease
// and resumes it, skipping the items already finished; a job whose lease is live is never touched. So a dead
// instance's job continues on another within 2 × lease_ttl of its last renewal (expiry + the next check), with no
// operator action. Items in flight on an instance that lost its lease (alive, but cut off from the store) may be
// refreshed a second time by the new holder: at most account_concurrency of them; each item is counted once
// (FinishJobItem refuses a second finish, which is treated as done). A job stopped by Shutdown() ends
// "interrupted" (Resume continues its pending items, taking the lease too); with hand_over_on_shutdown it stays
// "running" with its lease released instead, so that another instance takes it over at its next check.
//
// Usage (issue 13): a job started with include_usage also polls each item's (account, region) usage through the
// UsagePoller once its quota refresh ended (whatever its outcome), so coalesced with the usage schedule's polls (a
// poll running here is joined; one holding its lease on another instance is waited for and its snapshot read, no
// AWS call made). The item stays in flight (one of account_concurrency) until its poll ends, and is finished in
// the store once, with both: its quota outcome (unchanged by the poll) and its usage_state / usage_error; a stale
// poll counts in the header's usage_failed. A resumed item that was pending re-polls. The scheduled job
// (RefreshScheduler) does not ask for usage: the usage schedule polls it.
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
#include "common/periodic.h"
#include "common/random.h"
#include "domain/job.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/quota_refresher.h"
#include "service/usage_poller.h"
#include "store/coordination_store.h"
#include "store/job_store.h"

namespace ap::service {

// The lease held by the instance running the fleet job.
inline constexpr char kFleetJobLease[] = "fleet-job";

struct FleetOptions {
  int account_concurrency = 16;  // accounts refreshed at once
  // Observers for tests (default none), called with no lock held, on the thread named:
  // after the job thread launched an item's refresh (with the item's seq)...
  std::function<void(int64_t seq)> on_account_started;
  // ...and in Shutdown(), once no account will be launched any more, before it waits for those in flight.
  std::function<void()> on_shutdown_started;
  // This instance's id: the holder of the leases it takes. Empty (default): a random "i_..." id made at construction.
  std::string instance_id;
  // How long the fleet job's lease lasts without a renewal; renewed every lease_ttl / 3, and abandoned jobs are
  // looked for every lease_ttl. Between 3 ms and 24 h. Default 30 s.
  Duration lease_ttl = std::chrono::seconds(30);
  // What Shutdown() leaves of a job with items still pending. false (default): the job ends "interrupted", resumed
  // by hand (Resume). true (several instances on one store, e.g. a rolling deployment): the job stays "running"
  // and its lease is released, so another instance takes it over within lease_ttl (its next look for abandoned
  // jobs), or this one at its next start; the items in flight at the shutdown are finished first, as without it.
  bool hand_over_on_shutdown = false;
};

struct FleetRequest {
  std::string kind = "quota_refresh_all";
  std::string team;    // only accounts of this team (empty = all active accounts)
  std::string region;  // only this region (empty = every region of each account); accounts without it are skipped
  // Optional: skip (account, region) pairs for which this returns true (the scheduler skips recent ones).
  std::function<bool(const domain::Account&, const std::string& region)> skip;
  // Also poll each item's usage after its quota refresh (see the header comment). Requires a UsagePoller.
  bool include_usage = false;
  // Read only these quota codes (issue 16 §3: a model just added or enabled is read across the fleet now, the
  // other values keep theirs untouched); empty = every configured code. Stored in the job's params
  // (domain::RefreshJobScope), so that an instance resuming or taking the job over reads the same codes.
  // `model_ids`: the models they belong to, for people (audit detail, job listing).
  std::vector<std::string> quota_codes;
  std::vector<std::string> model_ids;
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
  // `jobs` and `leases` are usually the same Store. `usage`: the poller of jobs started with include_usage; null
  // when the server does not poll usage (such a start is refused). REQUIRES: options.lease_ttl within 3 ms .. 24 h;
  // `usage`, when given, outlives this.
  FleetRefresher(AccountService& accounts, QuotaRefresher& refresher, store::JobStore& jobs,
                 store::CoordinationStore& leases, AuditService& audit, const Clock& clock, Random& random,
                 FleetOptions options, UsagePoller* usage = nullptr);
  ~FleetRefresher();  // Shutdown()

  // Starts a job over the matching active accounts: takes the fleet job lease, writes the header (fenced with the
  // lease's token) and the items (one per pair; blocking: the store writes grow with the fleet, in batches), and
  // returns the header once every item is written, the job thread running. FailedPrecondition naming the running
  // job when one runs here or on another instance (the lease is live; checked before any account is listed, so a
  // refused start costs no account read); Unavailable once Shutdown() began; InvalidArgument("team" / "region")
  // for malformed filters, InvalidArgument("include_usage") when asked without a UsagePoller,
  // InvalidArgument("quota_codes") for a code that is not ^L-[0-9A-F]{8}$ (or more than 200). A store failure while
  // the items are written fails the start and leaves the header "failed". Audited once, as quota.refresh_all with
  // the job as target (the refreshes it makes are not audited per account; see QuotaRefresher::RefreshAsync).
  Result<domain::Job> Start(const RequestContext& ctx, const FleetRequest& request);
  // The job's header; the running job's from memory, with an estimate. NotFound for an unknown job.
  Result<JobProgress> Get(const std::string& job_id);
  // Jobs newest first, a page at a time. InvalidArgument("page_size" / "cursor").
  Result<store::JobPage> List(const JobQuery& query);
  // A job's items in processing order, a page at a time. NotFound for an unknown job; InvalidArgument("page_size"
  // / "cursor").
  Result<store::JobItemPage> Items(const std::string& job_id, const JobItemQuery& query);
  // Continues an interrupted job's pending items, under the fleet job lease. FailedPrecondition unless the job is
  // interrupted (and stays so until this resume claims it) or while another job runs (here or on another
  // instance). Audited.
  Result<domain::Job> Resume(const RequestContext& ctx, const std::string& job_id);
  // Resumes a job abandoned by a dead instance: when no job runs here, the store holds a "running" job (the
  // newest) and the fleet job lease is free (expired, released or never taken), takes the lease and continues the
  // job's pending items (audited as quota.refresh_all.takeover). OK when there is nothing to take over, when
  // another instance holds the lease or took the job first, or after Shutdown(); the store's error otherwise.
  // Reads one page of one running job and the lease. Called at start and from Tick().
  Status TakeOverAbandonedJob();
  // What the tick thread does (tests call it with a FakeClock): renews the lease of this instance's running job
  // when lease_ttl / 3 passed since the last renewal (a failed renewal stops the job's launching at once) and, when
  // no job runs here and take-overs are on, calls TakeOverAbandonedJob once lease_ttl passed since the last check.
  void Tick();
  // Runs Tick() on a thread until Shutdown(). `take_over`: whether the thread takes abandoned jobs over (a server:
  // yes; a command that runs one job and exits: no). Idempotent.
  void StartTicks(bool take_over);
  // Whether jobs may poll usage (a UsagePoller was given): the default of a start's include_usage.
  bool polls_usage() const { return usage_ != nullptr; }
  // This instance's id (FleetOptions::instance_id, or the one made at construction).
  const std::string& instance_id() const { return instance_id_; }
  // The running job's id, if any.
  std::optional<std::string> Running() const;
  // Blocks until no job runs here and the last job's final state has been written to the store (CLI and tests).
  void WaitIdle();
  // Stops starting new accounts, waits for those in flight, marks the job interrupted (resumable), releases the
  // lease, joins the job thread and stops the tick thread. Later Start()/Resume() calls return Unavailable.
  // Idempotent.
  void Shutdown();

 private:
  // FailedPrecondition naming the running job, or Unavailable once Shutdown() began; OK when a job may start.
  // REQUIRES: mu_ held.
  Status CheckCanStartLocked() const REQUIRES(mu_);
  // Takes the running slot for `job` (CheckCanStartLocked), then joins the previous job's thread.
  Status Claim(const std::shared_ptr<domain::Job>& job);
  // Takes the fleet job lease for the claimed job and sets job->fence to its token. FailedPrecondition naming the
  // job another instance runs when the lease is live there.
  Status TakeLease(const std::shared_ptr<domain::Job>& job);
  // Gives the lease (if taken) and then the slot back after a start that failed before its thread ran.
  void Release();
  // Releases the lease in the store, if this instance holds it (lease_), and forgets it.
  void ReleaseLease();
  // Renews the lease when a renewal is due (Tick).
  void RenewIfDue();
  // When Tick() has something to do next.
  TimePoint NextTick() const;
  // REQUIRES: mu_ held. Whether the job thread may launch more items.
  bool LaunchingLocked() const REQUIRES(mu_) { return !stopping_ && !lease_lost_; }
  // Writes one item per matching (account, region) in batches, counting them in job->counters.total.
  Status AddItems(const std::shared_ptr<domain::Job>& job, const FleetRequest& request);
  // Audits `action` and starts the job thread. Returns a snapshot of the header as started.
  domain::Job LaunchClaimed(const RequestContext& ctx, const std::shared_ptr<domain::Job>& job, std::string_view action,
                            std::string_view audit_detail);
  void RunJob(const std::shared_ptr<domain::Job>& job, const RequestContext& ctx);
  // Records how item `seq` ended (its refresh `r` and, when polled, its usage poll `usage`), in the store and then
  // in job's counters. Called on a refresher or poller thread.
  void FinishItem(const std::shared_ptr<domain::Job>& job, int64_t seq, const Result<RefreshReport>& r,
                  const Result<UsagePollReport>* usage);

  AccountService& accounts_;
  QuotaRefresher& refresher_;
  store::JobStore& jobs_;
  store::CoordinationStore& leases_;
  AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  const FleetOptions options_;
  UsagePoller* const usage_;  // null: jobs do not poll usage
  const std::string instance_id_;
  const int64_t lease_ttl_ms_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<domain::Job> running_ GUARDED_BY(mu_);   // header and counters (read and written under mu_)
  std::shared_ptr<domain::Job> finished_ GUARDED_BY(mu_);  // the last job that ended, as it ended
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread worker_ GUARDED_BY(mu_);  // joined only after being moved out from under mu_
  TimePoint run_started_ GUARDED_BY(mu_);
  int64_t done_at_start_ GUARDED_BY(mu_) = 0;
  // The fleet job lease while this instance holds it for running_ (taken after the slot, released before it).
  std::optional<store::Lease> lease_ GUARDED_BY(mu_);
  bool lease_lost_ GUARDED_BY(mu_) = false;  // a renewal of lease_ failed: launch nothing more
  TimePoint next_renewal_ GUARDED_BY(mu_);
  TimePoint next_take_over_ GUARDED_BY(mu_);
  bool take_over_ GUARDED_BY(mu_) = true;  // StartTicks(false) turns take-overs off
  TickThread ticker_;                      // last: stopped before the members its ticks use go
};

}  // namespace ap::service
