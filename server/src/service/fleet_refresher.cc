#include "service/fleet_refresher.h"
#include "service/paging.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "common/log.h"
#include "domain/ids.h"
#include "domain/quota_config.h"

namespace ap::service {
namespace {

// Pending items the job thread reads from the store at once: enough to keep account_concurrency refreshes busy
// between reads, few enough that a job of any size holds little in memory.
constexpr int64_t kPendingPage = 200;

int64_t Millis(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

// The newest job the store holds as running (the one the fleet job lease's holder runs, or one it abandoned).
// The newest running refresh job. Jobs of other kinds (issue 14's "quota_increase", run by IncreaseJobRunner
// under their own leases) are passed over; few jobs run at once, so the first page or two hold the answer.
Result<std::optional<domain::Job>> NewestRunningJob(store::JobStore& jobs) {
  store::JobFilter running;
  running.state = domain::JobState::kRunning;
  running.limit = 20;
  do {
    ASSIGN_OR_RETURN(store::JobPage page, jobs.ListJobs(running));
    for (domain::Job& job : page.items)
      if (job.kind != "quota_increase") return std::optional<domain::Job>(std::move(job));
    running.cursor = page.next;
  } while (!running.cursor.empty());
  return std::optional<domain::Job>();
}

// How an item's usage poll ended: skipped when the account or region is no longer pollable (gone, inactive, region
// removed: nothing was polled), stale when AWS or the usage store failed, ok otherwise.
void SetUsageResult(const Result<UsagePollReport>& usage, store::JobItemResult* result) {
  if (!usage.ok()) {
    const StatusCode code = usage.status().code();
    const bool skipped = code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument ||
                         code == StatusCode::kFailedPrecondition;
    result->usage_state = skipped ? domain::JobUsageState::kSkipped : domain::JobUsageState::kStale;
    result->usage_error = usage.status().message();
    return;
  }
  if (usage->state == store::UsageState::kStale) {
    result->usage_state = domain::JobUsageState::kStale;
    result->usage_error = UsageErrorMessage(usage->error_code);  // safe to show, as the snapshot's error_message
    return;
  }
  result->usage_state = domain::JobUsageState::kOk;
}

}  // namespace

FleetRefresher::FleetRefresher(AccountService& accounts, QuotaRefresher& refresher, store::JobStore& jobs,
                               store::CoordinationStore& leases, AuditService& audit, const Clock& clock,
                               Random& random, FleetOptions options, UsagePoller* usage)
    : accounts_(accounts),
      refresher_(refresher),
      jobs_(jobs),
      leases_(leases),
      audit_(audit),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      usage_(usage),
      instance_id_(options_.instance_id.empty() ? domain::NewTimeOrderedId("i_", clock.NowUnixMillis(), random)
                                                : options_.instance_id),
      lease_ttl_ms_(std::clamp<int64_t>(Millis(options_.lease_ttl), 3, store::kMaxLeaseTtlMs)),
      ticker_(
          clock, [this] { return NextTick(); }, [this] { Tick(); }) {
  MutexLock lock(mu_);
  next_take_over_ = clock_.Now() + std::chrono::milliseconds(lease_ttl_ms_);
}

FleetRefresher::~FleetRefresher() { Shutdown(); }

Status FleetRefresher::TakeOverAbandonedJob() {
  {
    MutexLock lock(mu_);
    if (running_ || stopping_) return Status::Ok();
  }
  ASSIGN_OR_RETURN(std::optional<domain::Job> abandoned, NewestRunningJob(jobs_));
  if (!abandoned) return Status::Ok();
  // Only a free lease means nobody runs it: a live one is another instance's (or this one's) job, never touched.
  auto lease = leases_.GetLease(kFleetJobLease);
  if (lease.ok() && lease->expires_at_ms > clock_.NowUnixMillis()) return Status::Ok();
  if (!lease.ok() && lease.status().code() != StatusCode::kNotFound) return lease.status();
  auto job = std::make_shared<domain::Job>(*std::move(abandoned));
  if (!Claim(job).ok()) return Status::Ok();  // a job started here meanwhile, or the shutdown began
  if (Status s = TakeLease(job); !s.ok()) {
    Release();
    // Another instance took it first: its job now.
    return s.code() == StatusCode::kFailedPrecondition ? Status::Ok() : s;
  }
  // Fenced: from here on the previous holder's state changes are refused. Refused itself when the job ended
  // meanwhile (its holder was alive after all and finished it) or a newer holder wrote.
  const int64_t now_ms = clock_.NowUnixMillis();
  if (Status s = jobs_.UpdateJobState(job->job_id,
                                      {domain::JobState::kRunning, domain::JobState::kRunning, now_ms, job->fence});
      !s.ok()) {
    Release();
    return s.code() == StatusCode::kFailedPrecondition ? Status::Ok() : s;
  }
  {
    MutexLock lock(mu_);
    job->updated_at_ms = now_ms;
  }
  log::Warn("fleet_job_taken_over",
            {{"job_id", job->job_id}, {"done", job->done()}, {"total", job->total()}, {"token", job->fence}});
  LaunchClaimed(RequestContext::System(), job, "quota.refresh_all.takeover",
                domain::AuditDetail({{"token", job->fence}}));
  return Status::Ok();
}

TimePoint FleetRefresher::NextTick() const {
  MutexLock lock(mu_);
  if (running_ && lease_ && !lease_lost_) return next_renewal_;
  if (take_over_) return next_take_over_;
  return clock_.Now() + std::chrono::minutes(1);
}

void FleetRefresher::Tick() {
  RenewIfDue();
  {
    MutexLock lock(mu_);
    if (!take_over_ || running_ || stopping_ || clock_.Now() < next_take_over_) return;
    next_take_over_ = clock_.Now() + std::chrono::milliseconds(lease_ttl_ms_);
  }
  if (Status s = TakeOverAbandonedJob(); !s.ok()) log::Warn("fleet_job_take_over_failed", {{"error", s.ToString()}});
}

void FleetRefresher::StartTicks(bool take_over) {
  {
    MutexLock lock(mu_);
    take_over_ = take_over;
  }
  ticker_.Start();
}

void FleetRefresher::RenewIfDue() {
  store::Lease held;
  {
    MutexLock lock(mu_);
    if (!running_ || !lease_ || lease_lost_ || clock_.Now() < next_renewal_) return;
    held = *lease_;
  }
  const TimePoint now = clock_.Now();
  auto renewed = leases_.RenewLease(held.name, held.holder, held.token, clock_.NowUnixMillis(), lease_ttl_ms_);
  MutexLock lock(mu_);
  if (!lease_ || lease_->token != held.token) return;  // the job ended (and released it) meanwhile
  if (renewed.ok()) {
    lease_ = *renewed;
    next_renewal_ = now + std::chrono::milliseconds(lease_ttl_ms_ / 3);
    return;
  }
  // Taken over, or the store cannot say: either way another instance may hold it soon. Launch nothing more.
  lease_lost_ = true;
  cv_.notify_all();
  log::Error("fleet_job_lease_lost", {{"job_id", running_->job_id}, {"error", renewed.status().ToString()}});
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
    lease_.reset();
    lease_lost_ = false;
    previous = std::move(worker_);
  }
  // The previous job's thread has finished its work, but may still be writing its final state, for which it
  // takes mu_: join it only once mu_ is free.
  if (previous.joinable()) previous.join();
  return Status::Ok();
}

Status FleetRefresher::TakeLease(const std::shared_ptr<domain::Job>& job) {
  const TimePoint now = clock_.Now();
  auto lease = leases_.AcquireLease(kFleetJobLease, instance_id_, clock_.NowUnixMillis(), lease_ttl_ms_);
  if (lease.status().code() == StatusCode::kFailedPrecondition) {
    // Name the job that instance runs, as a refusal in this process does.
    auto other = NewestRunningJob(jobs_);
    if (other.ok() && other->has_value())
      return FailedPrecondition("a fleet refresh is already running (job " + (*other)->job_id +
                                ", on another instance)");
    return lease.status();
  }
  RETURN_IF_ERROR(lease.status());
  MutexLock lock(mu_);
  lease_ = *lease;
  next_renewal_ = now + std::chrono::milliseconds(lease_ttl_ms_ / 3);
  job->fence = lease->token;
  return Status::Ok();
}

void FleetRefresher::ReleaseLease() {
  std::optional<store::Lease> held;
  {
    MutexLock lock(mu_);
    held = std::exchange(lease_, std::nullopt);
  }
  if (!held) return;
  // Never frees a later holder's tenure (ReleaseLease checks the token). When it fails, the lease expires.
  if (Status s = leases_.ReleaseLease(held->name, held->holder, held->token); !s.ok())
    log::Warn("fleet_job_lease_not_released", {{"error", s.ToString()}});
}

void FleetRefresher::Release() {
  // The lease first: until the slot is free, no other start here can take the lease and see it released under it.
  ReleaseLease();
  MutexLock lock(mu_);
  running_.reset();
  cv_.notify_all();
}

Result<domain::Job> FleetRefresher::Start(const RequestContext& ctx, const FleetRequest& request) {
  if (!request.team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId(request.team, "team"));
  if (!request.region.empty() && !domain::IsKnownRegion(request.region))
    return InvalidArgument("unknown AWS region \"" + request.region + "\"", "region");
  if (request.include_usage && usage_ == nullptr)
    return InvalidArgument("this server does not poll usage (no CloudWatch client)", "include_usage");
  if (request.quota_codes.size() > 200) return InvalidArgument("at most 200 quota codes", "quota_codes");
  for (const std::string& code : request.quota_codes) {
    if (!domain::IsQuotaCode(code)) return InvalidArgument("must match ^L-[0-9A-F]{8}$", "quota_codes");
  }
  for (const std::string& id : request.model_ids) {
    if (id.empty() || id.size() > 64 || id.find_first_of(",|") != std::string::npos)
      return InvalidArgument("not a model id", "model_ids");
  }
  auto job = std::make_shared<domain::Job>();
  job->created_at_ms = job->updated_at_ms = clock_.NowUnixMillis();
  job->job_id = domain::NewTimeOrderedId("j_", job->created_at_ms, random_);
  job->kind = request.kind;
  job->state = domain::JobState::kRunning;
  job->created_by = ctx.principal.user_id;
  job->team_filter = request.team;
  job->region_filter = request.region;
  job->include_usage = request.include_usage;
  job->params = domain::EncodeRefreshJobScope({request.model_ids, request.quota_codes});
  // The slot and the lease are taken before the fleet is listed: listing is the expensive part, and a second start
  // (here or on another instance) is refused, naming this job, without it.
  RETURN_IF_ERROR(Claim(job));
  if (Status s = TakeLease(job); !s.ok()) {
    Release();
    return s;
  }
  if (Status s = jobs_.CreateJob(*job); !s.ok()) {
    Release();
    return s;
  }
  if (Status s = AddItems(job, request); !s.ok()) {
    // Some items may be written, not all: the job cannot be resumed as what was asked. Best effort: a header
    // left "running" is taken over once the lease expires, which is as visible.
    Status marked = jobs_.UpdateJobState(
        job->job_id, {domain::JobState::kRunning, domain::JobState::kFailed, clock_.NowUnixMillis(), job->fence});
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
  return LaunchClaimed(
      ctx, job, "quota.refresh_all",
      domain::AuditDetail(
          {{"accounts", total}, {"team", request.team}, {"region", request.region}, {"model_ids", request.model_ids}}));
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
  if (Status s = TakeLease(job); !s.ok()) {
    Release();
    return s;
  }
  // Conditional: of two resumes of one job (or a resume racing anything else that moves it), one wins.
  if (Status s = jobs_.UpdateJobState(
          job_id, {domain::JobState::kInterrupted, domain::JobState::kRunning, job->updated_at_ms, job->fence});
      !s.ok()) {
    Release();
    return s;
  }
  return LaunchClaimed(ctx, job, "quota.refresh_all.resume", {});
}

void FleetRefresher::FinishItem(const std::shared_ptr<domain::Job>& job, int64_t seq, const Result<RefreshReport>& r,
                                const Result<UsagePollReport>* usage) {
  store::JobItemResult result;
  if (usage != nullptr) SetUsageResult(*usage, &result);
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
  // stays pending there, and the job ends interrupted (resumable) rather than claiming it. FailedPrecondition: the
  // item was finished already (by the instance this job was taken from): done, and counted by the store.
  Status s = jobs_.FinishJobItem(job->job_id, seq, result);
  if (s.code() == StatusCode::kFailedPrecondition) {
    log::Info("fleet_job_item_finished_elsewhere", {{"job_id", job->job_id}, {"seq", seq}});
  } else if (!s.ok()) {
    log::Error("fleet_job_item_not_recorded", {{"job_id", job->job_id}, {"seq", seq}, {"error", s.ToString()}});
  }
  MutexLock lock(mu_);
  if (s.ok()) {
    job->counters.Add(result.outcome);
    if (result.usage_state == domain::JobUsageState::kStale) ++job->counters.usage_failed;
    job->updated_at_ms = std::max(job->updated_at_ms, result.finished_at_ms);
  }
}

void FleetRefresher::RunJob(const std::shared_ptr<domain::Job>& job, const RequestContext& ctx) {
  MutexLock lock(mu_);
  const std::string job_id = job->job_id;
  const bool poll_usage = job->include_usage && usage_ != nullptr;
  // Every refresh of the job says so: audited once, as the job (QuotaRefresher::RefreshAsync).
  RequestContext job_ctx = ctx;
  job_ctx.job_id = job_id;
  // The codes the job reads, as it was started (the params of jobs stored before issue 16 are "": all).
  std::vector<std::string> only_codes;
  if (auto scope = domain::DecodeRefreshJobScope(job->params); scope.ok()) {
    only_codes = scope->quota_codes;
  } else {
    log::Error("fleet_job_params_unreadable", {{"job_id", job_id}, {"error", scope.status().ToString()}});
  }
  std::deque<domain::JobItem> queue;  // pending items read from the store, not launched yet
  store::JobItemFilter pending;
  pending.outcome = domain::JobItemOutcome::kPending;
  pending.limit = kPendingPage;
  bool more = true;  // the store may have pending items after pending.cursor
  int in_flight = 0;
  while (true) {
    if (LaunchingLocked() && queue.empty() && more) {
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
    // Launch while there is room, work, no shutdown and the lease.
    while (LaunchingLocked() && in_flight < options_.account_concurrency && !queue.empty()) {
      domain::JobItem item = std::move(queue.front());
      queue.pop_front();
      ++in_flight;
      lock.Unlock();
      // Ends the item: recorded, then its slot freed.
      auto finish = [this, job, seq = item.seq, &in_flight](const Result<RefreshReport>& r,
                                                            const Result<UsagePollReport>* usage) {
        FinishItem(job, seq, r, usage);
        MutexLock inner(mu_);
        --in_flight;
        cv_.notify_all();
      };
      if (!poll_usage) {
        refresher_.RefreshAsync(
            job_ctx, item.account_id, item.region, [finish](const Result<RefreshReport>& r) { finish(r, nullptr); },
            nullptr, only_codes);
      } else {
        // The usage poll after the quota refresh, whatever its outcome; the slot is held until the poll ends.
        refresher_.RefreshAsync(
            job_ctx, item.account_id, item.region,
            [this, finish, account = item.account_id, region = item.region](const Result<RefreshReport>& r) {
              usage_->PollAsync(account, region,
                                [finish, r](const Result<UsagePollReport>& usage) { finish(r, &usage); });
            },
            nullptr, only_codes);
      }
      if (options_.on_account_started) options_.on_account_started(item.seq);
      lock.Lock();
    }
    const bool launched_all = (queue.empty() && !more) || !LaunchingLocked();
    if (launched_all && in_flight == 0) break;
    if (LaunchingLocked() && queue.empty() && more) continue;  // read the next page at once
    lock.Wait(cv_, [&]() REQUIRES(mu_) {
      return in_flight == 0 || (LaunchingLocked() && in_flight < options_.account_concurrency && !queue.empty());
    });
  }
  const bool lease_lost = lease_lost_;
  const bool handing_over = stopping_ && options_.hand_over_on_shutdown;
  // The end state from the store's counters (exact, whoever finished the items); from memory if it cannot answer.
  lock.Unlock();
  auto stored = jobs_.GetJob(job_id);
  lock.Lock();
  // Published only once the store holds it: until then Get() shows the job running.
  domain::Job final_job = *job;
  lock.Unlock();
  if (stored.ok()) final_job.counters = stored->counters;
  // A job that lost its lease, or is handed over at shutdown, with items pending stays "running" in the store:
  // whoever takes the lease resumes it (released just below when handed over, so at once).
  const bool left_running = (lease_lost || handing_over) && final_job.pending() > 0;
  if (!left_running) {
    final_job.state = domain::EndStateOf(final_job.counters);
    final_job.updated_at_ms = clock_.NowUnixMillis();
    if (domain::IsFinalJobState(final_job.state)) final_job.finished_at_ms = final_job.updated_at_ms;
  }
  // Fenced: refused when another instance took the job over meanwhile (it writes the end state then).
  if (!left_running) {
    if (Status s = jobs_.UpdateJobState(
            job_id, {domain::JobState::kRunning, final_job.state, final_job.updated_at_ms, final_job.fence});
        !s.ok())
      log::Error("fleet_job_state_not_recorded", {{"job_id", job_id}, {"error", s.ToString()}});
  }
  // After the end state: an instance that finds the lease free never finds this job running (unless left so).
  ReleaseLease();
  lock.Lock();
  // The end state and "no job runs" become visible together, once the store holds them: whoever sees this job
  // finished may start the next one at once. A job left running is read from the store.
  *job = final_job;
  finished_ = left_running ? nullptr : job;
  running_.reset();
  cv_.notify_all();
  lock.Unlock();
  log::Info("fleet_job_finished", {{"job_id", final_job.job_id},
                                   {"state", domain::JobStateName(final_job.state)},
                                   {"lease_lost", lease_lost},
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
  lock.Wait(cv_, [this]() REQUIRES(mu_) { return !running_; });
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
  // Last: the lease was renewed while the job's last items finished.
  ticker_.Stop();
}

}  // namespace ap::service
