#include "service/refresh_scheduler.h"

#include <algorithm>

#include "common/log.h"

namespace ap::service {

RefreshScheduler::RefreshScheduler(FleetRefresher& fleet, QuotaService& quota, const Clock& clock, Random& random,
                                   SchedulerOptions options)
    : fleet_(fleet), quota_(quota), clock_(clock), random_(random), options_(options) {
  next_run_ = clock_.Now() + JitteredInterval();
}

RefreshScheduler::~RefreshScheduler() { Stop(); }

Duration RefreshScheduler::JitteredInterval() {
  if (options_.interval <= Duration::zero()) return Duration::zero();
  auto base = std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval).count();
  auto spread = static_cast<int64_t>(static_cast<double>(base) * options_.jitter);
  int64_t offset = spread > 0 ? static_cast<int64_t>(random_.Uniform(static_cast<uint64_t>(2 * spread + 1))) - spread : 0;
  return std::chrono::milliseconds(std::max<int64_t>(1000, base + offset));
}

bool RefreshScheduler::RefreshedRecently(const domain::Account& account, const std::string& region) {
  Duration window = options_.skip_recent > Duration::zero() ? options_.skip_recent : options_.interval / 2;
  auto snapshot = quota_.Snapshot(account.account_id, region);
  if (!snapshot.ok()) return false;
  int64_t last = 0;
  for (const auto& v : (*snapshot)->values) last = std::max(last, v.attempted_at_ms);
  auto window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(window).count();
  return last > 0 && clock_.NowUnixMillis() - last < window_ms;
}

TimePoint RefreshScheduler::next_run() const {
  std::lock_guard lock(mu_);
  return next_run_;
}

bool RefreshScheduler::Tick() {
  if (options_.interval <= Duration::zero()) return false;
  {
    std::lock_guard lock(mu_);
    if (clock_.Now() < next_run_) return false;
  }
  if (fleet_.Running()) return false;  // an admin's fleet job is running: try again on the next tick
  FleetRequest req;
  req.kind = "quota_refresh_scheduled";
  req.skip = [this](const domain::Account& a, const std::string& r) { return RefreshedRecently(a, r); };
  auto job = fleet_.Start(RequestContext::System(), std::move(req));
  {
    std::lock_guard lock(mu_);
    next_run_ = clock_.Now() + JitteredInterval();
  }
  if (!job.ok()) {
    log::Warn("scheduled_refresh_not_started", {{"error", job.status().ToString()}});
    return false;
  }
  log::Info("scheduled_refresh_started", {{"job_id", job->job_id}, {"accounts", job->total()}});
  return true;
}

void RefreshScheduler::Start() {
  if (options_.interval <= Duration::zero()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      // Real time paces the thread; the injected clock decides what is due.
      auto wait = std::clamp<Duration>(next_run_ - clock_.Now(), std::chrono::seconds(1), std::chrono::minutes(1));
      cv_.wait_for(lock, wait);
      if (stopping_) break;
      lock.unlock();
      Tick();
      lock.lock();
    }
  });
}

void RefreshScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ap::service
