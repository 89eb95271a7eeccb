#include "service/maintenance.h"

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "common/periodic.h"

namespace ap::service {

MaintenanceRunner::MaintenanceRunner(store::Store& store, const Clock& clock, Random& random,
                                     MaintenanceOptions options)
    : store_(store),
      clock_(clock),
      random_(random),
      options_(options),
      next_run_(clock.Now()),
      ticker_(
          clock, [this] { return next_run(); }, [this] { Tick(); }) {
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
  MutexLock run_lock(run_mu_);
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

TimePoint MaintenanceRunner::next_run() const {
  MutexLock lock(mu_);
  return next_run_;
}

bool MaintenanceRunner::Tick() {
  {
    MutexLock lock(mu_);
    if (clock_.Now() < next_run_) return false;
    // Planned before running, so that a failing store does not make every tick retry at once.
    next_run_ = clock_.Now() + Jittered(options_.interval, options_.jitter, random_);
  }
  RunOnce();
  return true;
}

void MaintenanceRunner::Start() { ticker_.Start(); }

void MaintenanceRunner::Stop() { ticker_.Stop(); }

}  // namespace ap::service
