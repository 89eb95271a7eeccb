#include "service/fleet_refresher.h"

#include "common/log.h"

namespace ap::service {

FleetRefresher::FleetRefresher(AccountService& accounts, QuotaRefresher& refresher, store::Store& store,
                               AuditService& audit, const Clock& clock, Random& random, FleetOptions options)
    : accounts_(accounts),
      refresher_(refresher),
      store_(store),
      audit_(audit),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

FleetRefresher::~FleetRefresher() { Shutdown(); }

void FleetRefresher::Persist(const domain::Job& job) {
  if (Status s = store_.PutJob(job); !s.ok())
    log::Error("fleet_job_persist_failed", {{"job_id", job.job_id}, {"error", s.ToString()}});
}

Status FleetRefresher::RecoverInterrupted() {
  ASSIGN_OR_RETURN(auto jobs, store_.ListJobs(1000));
  for (domain::Job& j : jobs) {
    if (j.state != domain::JobState::kRunning) continue;
    j.state = domain::JobState::kInterrupted;
    j.updated_at_ms = clock_.NowUnixMillis();
    RETURN_IF_ERROR(store_.PutJob(j));
    log::Warn("fleet_job_interrupted", {{"job_id", j.job_id}, {"done", j.done()}, {"total", j.total()}});
  }
  return Status::Ok();
}

std::optional<std::string> FleetRefresher::Running() const {
  MutexLock lock(mu_);
  if (running_) return running_->job_id;
  return std::nullopt;
}

Status FleetRefresher::CheckCanStartLocked() const {
  if (running_) return FailedPrecondition("a fleet refresh is already running (job " + running_->job_id + ")");
  if (stopping_) return Unavailable("the server is shutting down");
  return Status::Ok();
}

Result<domain::Job> FleetRefresher::Start(const RequestContext& ctx, const FleetRequest& request) {
  if (!request.team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId(request.team, "team"));
  if (!request.region.empty() && !domain::IsKnownRegion(request.region))
    return InvalidArgument("unknown AWS region \"" + request.region + "\"", "region");
  {
    // Refuse cheaply: listing the fleet is the expensive part. Launch() checks again, as a job may start while
    // this one lists.
    MutexLock lock(mu_);
    RETURN_IF_ERROR(CheckCanStartLocked());
  }
  // Which (account, region) pairs: every active account the filters select, page by page.
  auto job = std::make_shared<domain::Job>();
  job->job_id = "j_" + random_.HexString(8);
  job->kind = request.kind;
  job->state = domain::JobState::kRunning;
  job->created_by = ctx.principal.user_id;
  job->team_filter = request.team;
  job->region_filter = request.region;
  job->created_at_ms = job->updated_at_ms = clock_.NowUnixMillis();
  AccountQuery q;
  q.team = request.team;
  q.page_size = 200;
  RequestContext admin = RequestContext::System();  // the filters choose, not the visibility of the caller
  for (;;) {
    ASSIGN_OR_RETURN(store::AccountPage page, accounts_.List(admin, q));
    for (const domain::Account& a : page.items) {
      for (const std::string& r : a.regions) {
        if (!request.region.empty() && r != request.region) continue;
        if (request.skip && request.skip(a, r)) continue;
        domain::JobItem item;
        item.account_id = a.account_id;
        item.region = r;
        job->items.push_back(std::move(item));
      }
    }
    if (page.next.empty()) break;
    q.cursor = page.next;
  }
  return Launch(ctx, job, "quota.refresh_all", domain::AuditDetail({{"accounts", job->total()}}));
}

Result<domain::Job> FleetRefresher::Launch(const RequestContext& ctx, const std::shared_ptr<domain::Job>& job,
                                           std::string_view action, std::string_view audit_detail) {
  std::thread previous;
  {
    MutexLock lock(mu_);
    RETURN_IF_ERROR(CheckCanStartLocked());
    running_ = job;
    run_started_ = clock_.Now();
    done_at_start_ = job->done();
    previous = std::move(worker_);
  }
  // The previous job's thread has finished its work, but may still be writing its final state, for which it
  // takes mu_: join it only once mu_ is free.
  if (previous.joinable()) previous.join();
  Persist(*job);
  audit_.RecordBestEffort(ctx, action, "job", job->job_id, Outcome::kSuccess, audit_detail);
  MutexLock lock(mu_);
  domain::Job snapshot = *job;
  // Started under mu_: RunJob takes mu_ first, so worker_ holds the thread before the job can end, and
  // Shutdown() (which moves worker_ out under mu_ after the job ended) always finds it.
  worker_ = std::thread([this, job, ctx] { RunJob(job, ctx); });
  return snapshot;
}

Result<domain::Job> FleetRefresher::Resume(const RequestContext& ctx, const std::string& job_id) {
  ASSIGN_OR_RETURN(domain::Job stored, store_.GetJob(job_id));
  if (stored.state != domain::JobState::kInterrupted)
    return FailedPrecondition("job " + job_id + " is " + std::string(domain::JobStateName(stored.state)) +
                              "; only interrupted jobs can be resumed");
  stored.state = domain::JobState::kRunning;
  stored.updated_at_ms = clock_.NowUnixMillis();
  return Launch(ctx, std::make_shared<domain::Job>(std::move(stored)), "quota.refresh_all.resume", {});
}

void FleetRefresher::RunJob(const std::shared_ptr<domain::Job>& job, const RequestContext& ctx) {
  MutexLock lock(mu_);
  size_t next = 0;
  int in_flight = 0;
  TimePoint last_persist = clock_.Now();
  const size_t n = job->items.size();
  while (true) {
    // Launch while there is room, work, and no shutdown.
    while (!stopping_ && in_flight < options_.account_concurrency && next < n) {
      size_t i = next++;
      if (job->items[i].outcome != domain::JobItemOutcome::kPending) continue;  // done before an interruption
      ++in_flight;
      std::string account_id = job->items[i].account_id, region = job->items[i].region;
      lock.Unlock();
      refresher_.RefreshAsync(ctx, account_id, region, [this, job, i, &in_flight](Result<RefreshReport> r) {
        MutexLock inner(mu_);
        domain::JobItem& item = job->items[i];
        item.finished_at_ms = clock_.NowUnixMillis();
        if (!r.ok()) {
          item.outcome = domain::JobItemOutcome::kFailed;
          item.error = r.status().message();
        } else {
          item.values_ok = r->ok_count;
          item.values_failed = r->failed_count;
          item.outcome = domain::OutcomeOfValues(r->ok_count, r->failed_count);
          item.error = r->first_error;
        }
        --in_flight;
        cv_.notify_all();
      });
      if (options_.on_account_started) options_.on_account_started(i);
      lock.Lock();
    }
    bool launched_all = next >= n || stopping_;
    if (launched_all && in_flight == 0) break;
    lock.WaitFor(cv_, std::chrono::milliseconds(200));
    if (clock_.Now() - last_persist >= options_.persist_every) {
      job->updated_at_ms = clock_.NowUnixMillis();
      domain::Job copy = *job;
      lock.Unlock();
      Persist(copy);
      lock.Lock();
      last_persist = clock_.Now();
    }
  }
  bool interrupted = job->done() < job->total();
  job->state = interrupted         ? domain::JobState::kInterrupted
               : job->failed() > 0 ? domain::JobState::kFailed
                                   : domain::JobState::kSucceeded;
  job->updated_at_ms = clock_.NowUnixMillis();
  if (!interrupted) job->finished_at_ms = job->updated_at_ms;
  domain::Job final_job = *job;
  // The final state and "no job runs" become visible together: whoever sees this job finished may start the
  // next one at once. Get() answers from finished_ until the store has caught up.
  finished_ = job;
  running_.reset();
  ++persisting_final_;
  cv_.notify_all();
  lock.Unlock();
  Persist(final_job);
  lock.Lock();
  --persisting_final_;
  cv_.notify_all();
  lock.Unlock();
  log::Info("fleet_job_finished", {{"job_id", final_job.job_id},
                                   {"state", domain::JobStateName(final_job.state)},
                                   {"done", final_job.done()},
                                   {"failed", final_job.failed()},
                                   {"total", final_job.total()}});
}

Result<JobProgress> FleetRefresher::Get(const std::string& job_id) {
  JobProgress p;
  {
    MutexLock lock(mu_);
    if (running_ && running_->job_id == job_id) {
      p.job = *running_;
      int64_t done_now = p.job.done() - done_at_start_;
      auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - run_started_).count();
      if (done_now > 0 && p.job.state == domain::JobState::kRunning) {
        int64_t remaining = p.job.total() - p.job.done();
        p.eta_seconds = (elapsed * remaining / done_now + 999) / 1000;
      }
      return p;
    }
    if (finished_ && finished_->job_id == job_id) {
      p.job = *finished_;
      return p;
    }
  }
  ASSIGN_OR_RETURN(p.job, store_.GetJob(job_id));
  return p;
}

Result<std::vector<domain::Job>> FleetRefresher::List(int64_t limit) {
  ASSIGN_OR_RETURN(auto jobs, store_.ListJobs(limit));
  MutexLock lock(mu_);
  for (auto& j : jobs) {
    // In memory is fresher than the last persisted copy.
    if (running_ && j.job_id == running_->job_id) j = *running_;
    if (finished_ && j.job_id == finished_->job_id) j = *finished_;
  }
  return jobs;
}

void FleetRefresher::WaitIdle() {
  MutexLock lock(mu_);
  lock.Wait(cv_, [this]() REQUIRES(mu_) { return !running_ && persisting_final_ == 0; });
}

void FleetRefresher::Shutdown() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (options_.on_shutdown_started) options_.on_shutdown_started();
  WaitIdle();
  std::thread worker;
  {
    MutexLock lock(mu_);
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();  // outside mu_: the job thread's last steps take it
}

}  // namespace ap::service
