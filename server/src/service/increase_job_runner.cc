#include "service/increase_job_runner.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>

#include "common/encoding.h"
#include "common/log.h"
#include "domain/audit.h"
#include "domain/ids.h"

namespace ap::service {
namespace {

std::string LeaseName(const std::string& job_id) { return "increase-job/" + job_id; }

// A context for work done on behalf of the job's creator after a restart or a take-over.
RequestContext CreatorContext(const domain::Job& job) {
  RequestContext ctx = RequestContext::System();
  ctx.principal.user_id = job.created_by;
  return ctx;
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == sep)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

}  // namespace

struct IncreaseJobRunner::Run {
  domain::Job job;  // header; counters maintained as items end (guarded by the runner's mu_)
  IncreaseSpec spec;
  store::Lease lease;
  bool lease_lost = false;  // guarded by the runner's mu_
};

// "v1|model_id|dimension|desired_value|hex(reason)": model ids and dimensions hold no '|'.
std::string EncodeIncreaseParams(const IncreaseSpec& spec) {
  char value[64];
  std::snprintf(value, sizeof value, "%.17g", spec.desired_value);
  std::span<const uint8_t> reason(reinterpret_cast<const uint8_t*>(spec.reason.data()), spec.reason.size());
  return "v1|" + spec.model_id + "|" + spec.dimension + "|" + value + "|" + HexEncode(reason);
}

Result<IncreaseSpec> DecodeIncreaseParams(const std::string& params) {
  std::vector<std::string> parts = Split(params, '|');
  if (parts.size() != 5 || parts[0] != "v1") return InvalidArgument("not the params of an increase job", "params");
  IncreaseSpec spec;
  spec.model_id = parts[1];
  spec.dimension = parts[2];
  char* end = nullptr;
  spec.desired_value = std::strtod(parts[3].c_str(), &end);
  if (end == parts[3].c_str() || *end != '\0' || !std::isfinite(spec.desired_value))
    return InvalidArgument("not the params of an increase job", "params");
  auto reason = HexDecode(parts[4]);
  if (!reason) return InvalidArgument("not the params of an increase job", "params");
  spec.reason.assign(reason->begin(), reason->end());
  return spec;
}

IncreaseJobRunner::IncreaseJobRunner(QuotaIncreaseService& increases, store::JobStore& jobs,
                                     store::CoordinationStore& leases, AuditService& audit, const Clock& clock,
                                     Random& random, IncreaseJobOptions options)
    : increases_(increases),
      jobs_(jobs),
      leases_(leases),
      audit_(audit),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      lease_ttl_ms_(std::clamp<int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease_ttl).count(), 3, store::kMaxLeaseTtlMs)),
      ticker_(
          clock, [this] { return NextTick(); }, [this] { Tick(); }) {
  MutexLock lock(mu_);
  next_take_over_ = clock_.Now();
}

IncreaseJobRunner::~IncreaseJobRunner() { Shutdown(); }

void IncreaseJobRunner::JoinFinished() {
  std::thread done;
  {
    MutexLock lock(mu_);
    if (running_ || !worker_.joinable()) return;
    done = std::move(worker_);
  }
  done.join();
}

Result<std::shared_ptr<IncreaseJobRunner::Run>> IncreaseJobRunner::Claim(domain::Job job,
                                                                         std::optional<domain::JobState> from,
                                                                         IncreaseSpec spec) {
  JoinFinished();
  auto run = std::make_shared<Run>();
  {
    MutexLock lock(mu_);
    if (stopping_) return Unavailable("the server is stopping");
    if (running_) return FailedPrecondition("increase job " + running_->job.job_id + " is running");
    running_ = run;
  }
  auto lease = leases_.AcquireLease(LeaseName(job.job_id), options_.instance_id, clock_.NowUnixMillis(), lease_ttl_ms_);
  if (!lease.ok()) {
    MutexLock lock(mu_);
    running_.reset();
    cv_.notify_all();
    return lease.status();
  }
  run->lease = *lease;
  job.fence = lease->token;
  job.state = domain::JobState::kRunning;
  job.updated_at_ms = clock_.NowUnixMillis();
  run->job = job;
  run->spec = std::move(spec);
  Status s = from ? jobs_.UpdateJobState(job.job_id, {*from, domain::JobState::kRunning, job.updated_at_ms, job.fence})
                  : jobs_.CreateJob(job);
  if (!s.ok()) {
    Unclaim(run);
    return s;
  }
  MutexLock lock(mu_);
  next_renewal_ = clock_.Now() + options_.lease_ttl / 3;
  return run;
}

void IncreaseJobRunner::Unclaim(const std::shared_ptr<Run>& run) {
  if (Status s = leases_.ReleaseLease(run->lease.name, run->lease.holder, run->lease.token); !s.ok())
    log::Warn("increase_job_lease_not_released", {{"job_id", run->job.job_id}, {"error", s.ToString()}});
  MutexLock lock(mu_);
  if (running_ == run) running_.reset();
  cv_.notify_all();
}

void IncreaseJobRunner::Launch(const std::shared_ptr<Run>& run, const RequestContext& ctx) {
  MutexLock lock(mu_);
  worker_ = std::thread([this, run, ctx] { RunJob(run, ctx); });
}

Result<domain::Job> IncreaseJobRunner::Start(const RequestContext& ctx, const IncreaseSpec& spec,
                                             const std::vector<IncreaseTarget>& targets) {
  RETURN_IF_ERROR(QuotaIncreaseService::ValidateTargets(targets));
  RETURN_IF_ERROR(increases_.ValidateSpec(spec));
  const int64_t now = clock_.NowUnixMillis();
  domain::Job job;
  job.job_id = domain::NewTimeOrderedId("j_", now, random_);
  job.kind = kIncreaseJobKind;
  job.created_by = ctx.principal.user_id;
  job.created_at_ms = now;
  job.params = EncodeIncreaseParams(spec);
  ASSIGN_OR_RETURN(std::shared_ptr<Run> run, Claim(job, std::nullopt, spec));
  std::vector<domain::JobItem> batch;
  Status added;
  for (size_t i = 0; i < targets.size() && added.ok(); ++i) {
    domain::JobItem item;
    item.seq = static_cast<int64_t>(i);
    item.account_id = targets[i].account_id;
    item.region = targets[i].region;
    batch.push_back(std::move(item));
    if (static_cast<int64_t>(batch.size()) == store::kMaxJobItemsPerAdd || i + 1 == targets.size()) {
      added = jobs_.AddJobItems(run->job.job_id, batch);
      batch.clear();
    }
  }
  if (!added.ok()) {
    if (Status s = jobs_.UpdateJobState(run->job.job_id, {domain::JobState::kRunning, domain::JobState::kFailed,
                                                          clock_.NowUnixMillis(), run->job.fence});
        !s.ok())
      log::Error("increase_job_state_not_recorded", {{"job_id", run->job.job_id}, {"error", s.ToString()}});
    Unclaim(run);
    return added;
  }
  {
    MutexLock lock(mu_);
    run->job.counters.total = static_cast<int64_t>(targets.size());
  }
  audit_.RecordBestEffort(ctx, "quota_increase.bulk", "job", run->job.job_id, Outcome::kSuccess,
                          domain::AuditDetail({{"model_id", spec.model_id},
                                               {"dimension", spec.dimension},
                                               {"desired_value", std::optional<double>(spec.desired_value)},
                                               {"targets", static_cast<int64_t>(targets.size())}}));
  domain::Job started;
  {
    MutexLock lock(mu_);
    started = run->job;
  }
  Launch(run, ctx);
  return started;
}

Result<domain::Job> IncreaseJobRunner::Resume(const RequestContext& ctx, const std::string& job_id) {
  ASSIGN_OR_RETURN(domain::Job stored, jobs_.GetJob(job_id));
  if (stored.kind != kIncreaseJobKind) return FailedPrecondition("job " + job_id + " is not an increase job");
  if (stored.state != domain::JobState::kInterrupted)
    return FailedPrecondition("job " + job_id + " is " + std::string(domain::JobStateName(stored.state)) +
                              "; only interrupted jobs can be resumed");
  ASSIGN_OR_RETURN(IncreaseSpec spec, DecodeIncreaseParams(stored.params));
  ASSIGN_OR_RETURN(std::shared_ptr<Run> run, Claim(stored, domain::JobState::kInterrupted, std::move(spec)));
  audit_.RecordBestEffort(ctx, "quota_increase.bulk.resume", "job", job_id, Outcome::kSuccess);
  domain::Job resumed;
  {
    MutexLock lock(mu_);
    resumed = run->job;
  }
  Launch(run, CreatorContext(resumed));
  return resumed;
}

Status IncreaseJobRunner::TakeOver(const domain::Job& job) {
  ASSIGN_OR_RETURN(IncreaseSpec spec, DecodeIncreaseParams(job.params));
  auto run = Claim(job, domain::JobState::kRunning, std::move(spec));
  if (!run.ok()) return run.status();
  log::Warn("increase_job_taken_over", {{"job_id", job.job_id}, {"token", (*run)->job.fence}});
  audit_.RecordBestEffort(RequestContext::System(), "quota_increase.bulk.takeover", "job", job.job_id,
                          Outcome::kSuccess);
  Launch(*run, CreatorContext(job));
  return Status::Ok();
}

void IncreaseJobRunner::RunItem(const std::shared_ptr<Run>& run, const RequestContext& ctx,
                                const domain::JobItem& item) {
  IncreaseSendError err;
  auto made = increases_.Request(ctx, {item.account_id, item.region}, run->spec, &err);
  store::JobItemResult result;
  result.finished_at_ms = clock_.NowUnixMillis();
  if (made.ok()) {
    result.outcome = domain::JobItemOutcome::kOk;
    result.values_ok = 1;
    result.ref = made->request_id;
  } else {
    result.outcome = domain::JobItemOutcome::kFailed;
    result.values_failed = 1;
    result.error = made.status().message().substr(0, 1000);
  }
  Status s = jobs_.FinishJobItem(run->job.job_id, item.seq, result);
  if (!s.ok() && s.code() != StatusCode::kFailedPrecondition) {
    log::Error("increase_job_item_not_recorded",
               {{"job_id", run->job.job_id}, {"seq", item.seq}, {"error", s.ToString()}});
    return;
  }
  MutexLock lock(mu_);
  if (s.ok()) run->job.counters.Add(result.outcome);
  run->job.updated_at_ms = std::max(run->job.updated_at_ms, result.finished_at_ms);
}

void IncreaseJobRunner::RunJob(const std::shared_ptr<Run>& run, RequestContext ctx) {
  const std::string job_id = run->job.job_id;
  const int concurrency = std::max(1, options_.concurrency);
  auto launching = [&] {
    MutexLock lock(mu_);
    return !stopping_ && !run->lease_lost;
  };
  store::JobItemFilter pending;
  pending.outcome = domain::JobItemOutcome::kPending;
  pending.limit = 100;
  while (launching()) {
    auto page = jobs_.ListJobItems(job_id, pending);
    if (!page.ok()) {
      log::Error("increase_job_items_unreadable", {{"job_id", job_id}, {"error", page.status().ToString()}});
      break;
    }
    // One page at a time, `concurrency` items at once; the page's threads are joined before the next page.
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < page->items.size(); i = next++) {
        if (!launching()) return;
        RunItem(run, ctx, page->items[i]);
      }
    };
    std::vector<std::thread> helpers;
    const size_t extra = std::min<size_t>(concurrency, page->items.size());
    for (size_t k = 1; k < extra; ++k) helpers.emplace_back(work);
    work();
    for (std::thread& t : helpers) t.join();
    if (page->next.empty()) break;
    pending.cursor = page->next;
  }
  auto stored = jobs_.GetJob(job_id);
  domain::Job final_job;
  bool lease_lost = false;
  {
    MutexLock lock(mu_);
    final_job = run->job;
    lease_lost = run->lease_lost;
  }
  if (stored.ok()) final_job.counters = stored->counters;
  if (!(lease_lost && final_job.pending() > 0)) {
    // EndStateOf: interrupted while items are pending (a shutdown or a store failure), else the final state.
    final_job.state = domain::EndStateOf(final_job.counters);
    final_job.updated_at_ms = clock_.NowUnixMillis();
    if (Status s = jobs_.UpdateJobState(
            job_id, {domain::JobState::kRunning, final_job.state, final_job.updated_at_ms, final_job.fence});
        !s.ok())
      log::Error("increase_job_state_not_recorded", {{"job_id", job_id}, {"error", s.ToString()}});
  }
  log::Info("increase_job_finished", {{"job_id", job_id},
                                      {"state", std::string(domain::JobStateName(final_job.state))},
                                      {"ok", final_job.counters.ok},
                                      {"failed", final_job.counters.failed}});
  Unclaim(run);
}

void IncreaseJobRunner::RenewIfDue() {
  std::shared_ptr<Run> run;
  {
    MutexLock lock(mu_);
    if (!running_ || running_->lease_lost || clock_.Now() < next_renewal_) return;
    run = running_;
    next_renewal_ = clock_.Now() + options_.lease_ttl / 3;
  }
  auto renewed =
      leases_.RenewLease(run->lease.name, run->lease.holder, run->lease.token, clock_.NowUnixMillis(), lease_ttl_ms_);
  if (!renewed.ok()) {
    log::Warn("increase_job_lease_lost", {{"job_id", run->job.job_id}, {"error", renewed.status().ToString()}});
    MutexLock lock(mu_);
    run->lease_lost = true;
  }
}

void IncreaseJobRunner::Tick() {
  RenewIfDue();
  {
    MutexLock lock(mu_);
    if (running_ || stopping_ || clock_.Now() < next_take_over_) return;
    next_take_over_ = clock_.Now() + options_.lease_ttl;
  }
  store::JobFilter filter;
  filter.state = domain::JobState::kRunning;
  filter.limit = 50;
  auto page = jobs_.ListJobs(filter);
  if (!page.ok()) return;
  for (const domain::Job& job : page->items) {
    if (job.kind != kIncreaseJobKind) continue;
    auto lease = leases_.GetLease(LeaseName(job.job_id));
    if (lease.ok() && lease->expires_at_ms > clock_.NowUnixMillis()) continue;  // alive elsewhere
    if (!lease.ok() && lease.status().code() != StatusCode::kNotFound) continue;
    if (TakeOver(job).ok()) return;
  }
}

TimePoint IncreaseJobRunner::NextTick() const {
  MutexLock lock(mu_);
  if (running_ && !running_->lease_lost) return std::min(next_renewal_, next_take_over_);
  return next_take_over_;
}

void IncreaseJobRunner::StartTicks() { ticker_.Start(); }

std::optional<std::string> IncreaseJobRunner::Running() const {
  MutexLock lock(mu_);
  if (!running_) return std::nullopt;
  return running_->job.job_id;
}

void IncreaseJobRunner::WaitIdle() {
  {
    MutexLock lock(mu_);
    lock.Wait(cv_, [&]() REQUIRES(mu_) { return running_ == nullptr; });
  }
  JoinFinished();
}

void IncreaseJobRunner::Shutdown() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  ticker_.Stop();
  WaitIdle();
}

}  // namespace ap::service
