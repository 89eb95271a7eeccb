// IncreaseJobRunner: the bulk quota increase request (issue 14 §1) as a background job of kind "quota_increase"
// on the JobStore, like a fleet refresh: progress, per-item outcomes, resumable.
//
// Start writes the header (Job::params: the spec, EncodeIncreaseParams) and one item per (account, region)
// target (at most kMaxIncreaseTargets), then a job thread sends the pending items `concurrency` at a time through
// QuotaIncreaseService::Request — the same checks as a single request, as the job's creator (requested_by). An
// item ends ok with JobItem::ref = the request_id made, or failed with the refusal or AWS's error in its error
// ("open_request_exists: …", "AWS refused the request: …"). Each outcome is written as it ends (FinishJobItem),
// so the job's counters and items are exact at every moment.
//
// Once across instances: the instance running a job holds lease "increase-job/<job_id>" (CoordinationStore),
// renewed every lease_ttl / 3 by Tick(); the header's fence is the lease's token and every state change is fenced
// with it. A renewal that fails stops launching items (the job stays "running" in the store). A job "running"
// whose lease is free (its instance died) is taken over by the next Tick() of an idle instance that looks for
// abandoned jobs (every lease_ttl), and continues its pending items (items in flight on the dead instance may have
// been sent: a second send is refused by the "open_request_exists" check or by AWS). Shutdown() ends a job with
// pending items "interrupted"; Resume (POST /api/jobs/{id}/resume) continues it.
//
// One increase job runs at a time on an instance (another Start is FailedPrecondition naming it); several
// instances may each run one. Increase jobs never block fleet refreshes (they use their own leases).
//
// Thread safety: safe from any thread. The job thread and its item threads are joined by Shutdown().
#pragma once

#include <condition_variable>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/periodic.h"
#include "common/random.h"
#include "domain/job.h"
#include "service/audit_service.h"
#include "service/quota_increase_service.h"
#include "store/coordination_store.h"
#include "store/job_store.h"

namespace ap::service {

inline constexpr char kIncreaseJobKind[] = "quota_increase";

struct IncreaseJobOptions {
  int concurrency = 4;                            // items sent at once (>= 1)
  Duration lease_ttl = std::chrono::seconds(30);  // the job lease; renewed every third of it
  std::string instance_id = "local";              // the lease holder: distinct for every instance
};

// The spec as Job::params text (and back). Decode: InvalidArgument for text Encode did not make.
std::string EncodeIncreaseParams(const IncreaseSpec& spec);
Result<IncreaseSpec> DecodeIncreaseParams(const std::string& params);

class IncreaseJobRunner {
 public:
  IncreaseJobRunner(QuotaIncreaseService& increases, store::JobStore& jobs, store::CoordinationStore& leases,
                    AuditService& audit, const Clock& clock, Random& random, IncreaseJobOptions options);
  ~IncreaseJobRunner();  // Shutdown()

  // Validates (ValidateSpec, ValidateTargets), writes the job and its items and starts the job thread; audited as
  // quota_increase.bulk. FailedPrecondition while an increase job runs here; Unavailable after Shutdown().
  Result<domain::Job> Start(const RequestContext& ctx, const IncreaseSpec& spec,
                            const std::vector<IncreaseTarget>& targets);
  // Continues an interrupted increase job. FailedPrecondition unless it is interrupted and of kind
  // quota_increase, or while an increase job runs here. Audited as quota_increase.bulk.resume.
  Result<domain::Job> Resume(const RequestContext& ctx, const std::string& job_id);
  // Renews the running job's lease when due; when idle, looks for an abandoned increase job every lease_ttl.
  void Tick();
  // Runs Tick() on a thread until Shutdown().
  void StartTicks();
  // The running job's id, if any.
  std::optional<std::string> Running() const;
  // Blocks until no job runs here (tests, CLI).
  void WaitIdle();
  // Stops launching items, waits for those in flight, marks a job with pending items interrupted, releases its
  // lease and joins every thread. Idempotent.
  void Shutdown();

 private:
  struct Run;
  Status TakeOver(const domain::Job& job);
  // Claims the slot and takes the job's lease (job.fence = its token); then, for a stored job (`from` set), moves
  // its state from → running (fenced), or, for a new one, creates it. On failure nothing is left claimed.
  Result<std::shared_ptr<Run>> Claim(domain::Job job, std::optional<domain::JobState> from, IncreaseSpec spec);
  // Gives the lease and the slot back (a start that failed before its thread ran).
  void Unclaim(const std::shared_ptr<Run>& run);
  void Launch(const std::shared_ptr<Run>& run, const RequestContext& ctx);
  void RunJob(const std::shared_ptr<Run>& run, RequestContext ctx);
  void RunItem(const std::shared_ptr<Run>& run, const RequestContext& ctx, const domain::JobItem& item);
  TimePoint NextTick() const;
  void JoinFinished();
  void RenewIfDue();

  QuotaIncreaseService& increases_;
  store::JobStore& jobs_;
  store::CoordinationStore& leases_;
  AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  const IncreaseJobOptions options_;
  const int64_t lease_ttl_ms_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<Run> running_ GUARDED_BY(mu_);
  std::thread worker_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  TimePoint next_renewal_ GUARDED_BY(mu_);
  TimePoint next_take_over_ GUARDED_BY(mu_);
  TickThread ticker_;  // last: stopped first
};

}  // namespace ap::service
