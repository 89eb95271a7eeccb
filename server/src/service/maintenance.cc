#include "service/maintenance.h"

#include <algorithm>
#include <utility>

#include "common/log.h"

namespace ap::service {

MaintenanceRunner::MaintenanceRunner(store::Store& store, const Clock& clock, Random& random,
                                     MaintenanceOptions options)
    : store_(store), clock_(clock), random_(random), options_(options), next_run_(clock.Now()) {
  purges_.emplace_back("sessions", [this](int64_t now_ms) { return store_.DeleteExpiredSessions(now_ms); });
  if (options_.audit_retention > Duration::zero()) {
    purges_.emplace_back("audit_retention", [this](int64_t now_ms) { return PurgeAudit(now_ms); });
  }
}

MaintenanceRunner::~MaintenanceRunner() { Stop(); }

void MaintenanceRunner::AddPurge(std::string name, Purge purge) {
  purges_.emplace_back(std::move(name), std::move(purge));
}

Result<int64_t> MaintenanceRunner::PurgeAudit(int64_t now_ms) {
  const int64_t cutoff =
      now_ms - std::chrono::duration_cast<std::chrono::milliseconds>(options_.audit_retention).count();
  int64_t removed = 0;
  // Small batches: each is one short write, so requests' writes interleave with a large backlog's deletion.
  for (int64_t i = 0; i < options_.max_audit_batches; ++i) {
    ASSIGN_OR_RETURN(int64_t n, store_.DeleteAuditBefore(cutoff, options_.audit_batch));
    removed += n;
    if (n < options_.audit_batch) break;
  }
  return removed;
}

std::vector<PurgeResult> MaintenanceRunner::RunOnce() {
  std::lock_guard run_lock(run_mu_);
  const int64_t now_ms = clock_.NowUnixMillis();
  std::vector<PurgeResult> results;
  for (const auto& [name, purge] : purges_) {
    PurgeResult r;
    r.name = name;
    Result<int64_t> removed = purge(now_ms);
    if (removed.ok()) {
      r.removed = *removed;
      if (r.removed > 0) log::Info("maintenance_purged", {{"purge", name}, {"removed", r.removed}});
    } else {
      r.status = removed.status();
      log::Warn("maintenance_purge_failed", {{"purge", name}, {"error", r.status.ToString()}});
    }
    results.push_back(std::move(r));
  }
  return results;
}

Duration MaintenanceRunner::JitteredInterval() {
  auto base = std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval).count();
  auto spread = static_cast<int64_t>(static_cast<double>(base) * options_.jitter);
  int64_t offset =
      spread > 0 ? static_cast<int64_t>(random_.Uniform(static_cast<uint64_t>(2 * spread + 1))) - spread : 0;
  return std::chrono::milliseconds(std::max<int64_t>(1000, base + offset));
}

TimePoint MaintenanceRunner::next_run() const {
  std::lock_guard lock(mu_);
  return next_run_;
}

bool MaintenanceRunner::Tick() {
  {
    std::lock_guard lock(mu_);
    if (clock_.Now() < next_run_) return false;
    // Planned before running, so that a failing store does not make every tick retry at once.
    next_run_ = clock_.Now() + JitteredInterval();
  }
  RunOnce();
  return true;
}

void MaintenanceRunner::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
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

void MaintenanceRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ap::service
