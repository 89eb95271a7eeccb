#include "service/refresh_scheduler.h"

#include <algorithm>

#include "common/log.h"
#include "common/periodic.h"
#include "domain/read_failure.h"

namespace ap::service {

RefreshScheduler::RefreshScheduler(FleetRefresher& fleet, QuotaService& quota, store::CoordinationStore& leases,
                                   const Clock& clock, Random& random, SchedulerOptions options)
    : fleet_(fleet),
      quota_(quota),
      leases_(leases),
      clock_(clock),
      random_(random),
      options_(options),
      ticker_(
          clock, [this] { return next_run(); }, [this] { Tick(); }) {
  MutexLock lock(mu_);
  next_run_ = clock_.Now() + NextInterval();
}

Duration RefreshScheduler::NextInterval() {
  if (options_.interval <= Duration::zero()) return Duration::zero();
  return Jittered(options_.interval, options_.jitter, random_);
}

RefreshScheduler::~RefreshScheduler() { Stop(); }

bool RefreshScheduler::RefreshedRecently(const domain::Account& account, const std::string& region) {
  Duration window = options_.skip_recent > Duration::zero() ? options_.skip_recent : options_.interval / 2;
  auto snapshot = quota_.Snapshot(account.account_id, region);
  if (!snapshot.ok()) return false;
  // A refresh that read nothing does not count: it marked the values stale, and the pair is retried.
  const domain::LastRefresh last = domain::SummarizeLastRefresh(**snapshot);
  auto window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(window).count();
  return last.at_ms > 0 && last.read > 0 && clock_.NowUnixMillis() - last.at_ms < window_ms;
}

TimePoint RefreshScheduler::next_run() const {
  MutexLock lock(mu_);
  return next_run_;
}

bool RefreshScheduler::Tick() {
  if (options_.interval <= Duration::zero()) return false;
  {
    MutexLock lock(mu_);
    if (clock_.Now() < next_run_) return false;
  }
  if (fleet_.Running()) return false;  // an admin's fleet job is running: try again on the next tick
  Status made = StartRun();
  {
    MutexLock lock(mu_);
    next_run_ = clock_.Now() + NextInterval();
  }
  if (made.code() == StatusCode::kFailedPrecondition) {
    log::Info("scheduled_refresh_not_started", {{"reason", made.message()}});
  } else if (!made.ok()) {
    log::Warn("scheduled_refresh_not_started", {{"error", made.ToString()}});
  }
  return made.ok();
}

Status RefreshScheduler::StartRun() {
  // This interval's run is the lease holder's: FailedPrecondition when another instance made it.
  const int64_t ttl_ms = std::clamp<int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval).count(), 1, store::kMaxLeaseTtlMs);
  RETURN_IF_ERROR(
      leases_.AcquireLease(kScheduledRefreshLease, fleet_.instance_id(), clock_.NowUnixMillis(), ttl_ms).status());
  FleetRequest req;
  req.kind = "quota_refresh_scheduled";
  req.skip = [this](const domain::Account& a, const std::string& r) { return RefreshedRecently(a, r); };
  ASSIGN_OR_RETURN(domain::Job job, fleet_.Start(RequestContext::System(), req));
  log::Info("scheduled_refresh_started", {{"job_id", job.job_id}, {"accounts", job.total()}});
  return Status::Ok();
}

void RefreshScheduler::Start() {
  if (options_.interval <= Duration::zero()) return;
  ticker_.Start();
}

void RefreshScheduler::Stop() { ticker_.Stop(); }

}  // namespace ap::service
