#include "service/fleet_refresher.h"
#include "service/paging.h"

#include <algorithm>
#include <deque>

#include "common/log.h"
#include "domain/ids.h"

namespace ap::service {
namespace {

// Pending items the job thread reads from the store at once: enough to keep account_concurrency refreshes busy
// between reads, few enough that a job of any size holds little in memory.
constexpr int64_t kPendingPage = 200;

}  // namespace

FleetRefresher::FleetRefresher(AccountService& accounts, QuotaRefresher& refresher, store::JobStore& jobs,
                               AuditService& audit, const Clock& clock, Random& random, FleetOptions options)
    : accounts_(accounts),
      refresher_(refresher),
      jobs_(jobs),
      audit_(audit),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

FleetRefresher::~FleetRefresher() { Shutdown(); }

Status FleetRefresher::RecoverInterrupted() {
  store::JobFilter running;
  running.state = domain::JobState::kRunning;
  running.limit = 100;
  for (;;) {
    ASSIGN_OR_RETURN(store::JobPage page, jobs_.ListJobs(running));
    for (const domain::Job& j : page.items) {
      RETURN_IF_ERROR(jobs_.UpdateJobState(
          j.job_id, {domain::JobState::kRunning, domain::JobState::kInterrupted, clock_.NowUnixMillis()}));
      log::Warn("fleet_job_interrupted", {{"job_id", j.job_id}, {"done", j.done()}, {"total", j.total()}});
    }
    if (page.next.empty()) return Status::Ok();
    running.cursor = page.next;
  }
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

Status FleetRefresher::Claim(const std::shared_ptr<domain::Job>& job) {
  std::thread previous;
  {
    MutexLock lock(mu_);
    RETURN_IF_ERROR(CheckCanStartLocked());
    running_ = job;
    done_at_start_ = job->done();
    previous = std::move(worker_);
  }
  // The previous job's thread has finished its work, but may still be writing its final state, for which it
  // takes mu_: join it only once mu_ is free.
  if (previous.joinable()) previous.join();
  return Status::Ok();
}

void FleetRefresher::Release() {
  MutexLock lock(mu_);
  running_.reset();
  cv_.notify_all();
}

Result<domain::Job> FleetRefresher::Start(const RequestContext& ctx, const FleetRequest& request) {
  if (!request.team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId(request.team, "team"));
  if (!request.region.empty() && !domain::IsKnownRegion(request.region))
    return InvalidArgument("unknown AWS region \"" + request.region + "\"", "region");
  auto job = std::make_shared<domain::Job>();
  job->created_at_ms = job->updated_at_ms = clock_.NowUnixMillis();
  job->job_id = domain::NewTimeOrderedId("j_", job->created_at_ms, random_);
  job->kind = request.kind;
  job->state = domain::JobState::kRunning;
  job->created_by = ctx.principal.user_id;
  job->team_filter = request.team;
  job->region_filter = request.region;
  // The slot is taken before the fleet is listed: listing is the expensive part, and a second start is refused
  // (naming this job) without it.
  RETURN_IF_ERROR(Claim(job));
  if (Status s = jobs_.CreateJob(*job); !s.ok()) {
    Release();
    return s;
  }
  if (Status s = AddItems(job, request); !s.ok()) {
    // Some items may be written, not all: the job cannot be resumed as what was asked. Best effort: a header
    // left "running" becomes "interrupted" at the next start, which is as visible.
    Status marked = jobs_.UpdateJobState(
        job->job_id, {domain::JobState::kRunning, domain::JobState::kFailed, clock_.NowUnixMillis()});
    log::Error("fleet_job_not_started",
               {{"job_id", job->job_id}, {"error", s.ToString()}, {"marked_failed", marked.ok()}});
    Release();
    return s;
  }
  int64_t total;
  {
    MutexLock lock(mu_);
    total = job->total();
  }
  return LaunchClaimed(ctx, job, "quota.refresh_all", domain::AuditDetail({{"accounts", total}}));
}

Status FleetRefresher::AddItems(const std::shared_ptr<domain::Job>& job, const FleetRequest& request) {
  std::vector<domain::JobItem> batch;
  int64_t seq = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    RETURN_IF_ERROR(jobs_.AddJobItems(job->job_id, batch));
    MutexLock lock(mu_);
    job->counters.total += static_cast<int64_t>(batch.size());
    batch.clear();
    return Status::Ok();
  };
  // Which (account, region) pairs: every active account the filters select, page by page.
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
        item.seq = seq++;
        item.account_id = a.account_id;
        item.region = r;
        batch.push_back(std::move(item));
        if (static_cast<int64_t>(batch.size()) == store::kMaxJobItemsPerAdd) RETURN_IF_ERROR(flush());
      }
    }
    if (page.next.empty()) break;
    q.cursor = page.next;
  }
  return flush();
}

domain::Job FleetRefresher::LaunchClaimed(const RequestContext& ctx, const std::shared_ptr<domain::Job>& job,
                                          std::string_view action, std::string_view audit_detail) {
  audit_.RecordBestEffort(ctx, action, "job", job->job_id, Outcome::kSuccess, audit_detail);
  MutexLock lock(mu_);
  domain::Job snapshot = *job;
  run_started_ = clock_.Now();
  // Started under mu_: RunJob takes mu_ first, so worker_ holds the thread before the job can end, and
  // Shutdown() (which moves worker_ out under mu_ after the job ended) always finds it.
  worker_ = std::thread([this, job, ctx] { RunJob(job, ctx); });
  return snapshot;
}

Result<domain::Job> FleetRefresher::Resume(const RequestContext& ctx, const std::string& job_id) {
  ASSIGN_OR_RETURN(domain::Job stored, jobs_.GetJob(job_id));
  if (stored.state != domain::JobState::kInterrupted)
    return FailedPrecondition("job " + job_id + " is " + std::string(domain::JobStateName(stored.state)) +
                              "; only interrupted jobs can be resumed");
  auto job = std::make_shared<domain::Job>(std::move(stored));
  job->state = domain::JobState::kRunning;
  job->updated_at_ms = clock_.NowUnixMillis();
  RETURN_IF_ERROR(Claim(job));
  // Conditional: of two resumes of one job (or a resume racing anything else that moves it), one wins.
  if (Status s = jobs_.UpdateJobState(job_id,
                                      {domain::JobState::kInterrupted, domain::JobState::kRunning, job->updated_at_ms});
      !s.ok()) {
    Release();
    return s;
  }
  return LaunchClaimed(ctx, job, "quota.refresh_all.resume", {});
}

void FleetRefresher::FinishItem(const std::shared_ptr<domain::Job>& job, int64_t seq, const Result<RefreshReport>& r) {
  store::JobItemResult result;
  result.finished_at_ms = clock_.NowUnixMillis();
  if (!r.ok()) {
    result.outcome = domain::JobItemOutcome::kFailed;
    result.error = r.status().message();
  } else {
    result.values_ok = r->ok_count;
    result.values_failed = r->failed_count;
    result.outcome = domain::OutcomeOfValues(r->ok_count, r->failed_count);
    result.error = r->first_error;
  }
  // The store first: memory never shows progress the store does not have. An item whose outcome cannot be written
  // stays pending there, and the job ends interrupted (resumable) rather than claiming it.
  Status s = jobs_.FinishJobItem(job->job_id, seq, result);
  if (!s.ok())
    log::Error("fleet_job_item_not_recorded", {{"job_id", job->job_id}, {"seq", seq}, {"error", s.ToString()}});
  MutexLock lock(mu_);
  if (s.ok()) {
    job->counters.Add(result.outcome);
    job->updated_at_ms = std::max(job->updated_at_ms, result.finished_at_ms);
  }
}

void FleetRefresher::RunJob(const std::shared_ptr<domain::Job>& job, const RequestContext& ctx) {
  MutexLock lock(mu_);
  const std::string job_id = job->job_id;
  std::deque<domain::JobItem> queue;  // pending items read from the store, not launched yet
  store::JobItemFilter pending;
  pending.outcome = domain::JobItemOutcome::kPending;
  pending.limit = kPendingPage;
  bool more = true;  // the store may have pending items after pending.cursor
  int in_flight = 0;
  while (true) {
    if (!stopping_ && queue.empty() && more) {
      // Items finishing meanwhile leave the pending list behind the cursor (seq order): none is read twice.
      lock.Unlock();
      auto page = jobs_.ListJobItems(job_id, pending);
      lock.Lock();
      if (!page.ok()) {
        // Stop launching; what is pending stays pending, so the job ends interrupted and can be resumed.
        log::Error("fleet_job_items_unreadable", {{"job_id", job_id}, {"error", page.status().ToString()}});
        more = false;
      } else {
        for (domain::JobItem& item : page->items) queue.push_back(std::move(item));
        pending.cursor = page->next;
        more = !page->next.empty();
      }
    }
    // Launch while there is room, work, and no shutdown.
    while (!stopping_ && in_flight < options_.account_concurrency && !queue.empty()) {
      domain::JobItem item = std::move(queue.front());
      queue.pop_front();
      ++in_flight;
      lock.Unlock();
      refresher_.RefreshAsync(ctx, item.account_id, item.region,
                              [this, job, seq = item.seq, &in_flight](const Result<RefreshReport>& r) {
                                FinishItem(job, seq, r);
                                MutexLock inner(mu_);
                                --in_flight;
                                cv_.notify_all();
                              });
      if (options_.on_account_started) options_.on_account_started(item.seq);
      lock.Lock();
    }
    const bool launched_all = (queue.empty() && !more) || stopping_;
    if (launched_all && in_flight == 0) break;
    if (!stopping_ && queue.empty() && more) continue;  // read the next page at once
    lock.Wait(cv_, [&]() REQUIRES(mu_) {
      return in_flight == 0 || (!stopping_ && in_flight < options_.account_concurrency && !queue.empty());
    });
  }
  // The end state from the store's counters (exact, whoever finished the items); from memory if it cannot answer.
  lock.Unlock();
  auto stored = jobs_.GetJob(job_id);
  lock.Lock();
  if (stored.ok()) job->counters = stored->counters;
  job->state = domain::EndStateOf(job->counters);
  job->updated_at_ms = clock_.NowUnixMillis();
  if (domain::IsFinalJobState(job->state)) job->finished_at_ms = job->updated_at_ms;
  const domain::Job final_job = *job;
  // The final state and "no job runs" become visible together: whoever sees this job finished may start the
  // next one at once. Get() answers from finished_ until the store has caught up.
  finished_ = job;
  running_.reset();
  ++persisting_final_;
  cv_.notify_all();
  lock.Unlock();
  if (Status s = jobs_.UpdateJobState(job_id, {domain::JobState::kRunning, final_job.state, final_job.updated_at_ms});
      !s.ok())
    log::Error("fleet_job_state_not_recorded", {{"job_id", job_id}, {"error", s.ToString()}});
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
  ASSIGN_OR_RETURN(p.job, jobs_.GetJob(job_id));
  return p;
}

Result<store::JobPage> FleetRefresher::List(const JobQuery& query) {
  RETURN_IF_ERROR(CheckPageSize(query.page_size, 200));
  store::JobFilter filter;
  filter.cursor = query.cursor;
  filter.limit = query.page_size;
  ASSIGN_OR_RETURN(store::JobPage page, jobs_.ListJobs(filter));
  MutexLock lock(mu_);
  for (auto& j : page.items) {
    // In memory is fresher than the store's copy.
    if (running_ && j.job_id == running_->job_id) j = *running_;
    if (finished_ && j.job_id == finished_->job_id) j = *finished_;
  }
  return page;
}

Result<store::JobItemPage> FleetRefresher::Items(const std::string& job_id, const JobItemQuery& query) {
  RETURN_IF_ERROR(CheckPageSize(query.page_size, 200));
  store::JobItemFilter filter;
  filter.outcome = query.outcome;
  filter.cursor = query.cursor;
  filter.limit = query.page_size;
  return jobs_.ListJobItems(job_id, filter);
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
