#include "service/alert_runner.h"

#include <utility>

#include "common/log.h"

namespace ap::service {

AlertRunner::AlertRunner(AlertEvaluator& evaluator, ThreadPool& pool, const Clock& clock, AlertRunnerOptions options)
    : evaluator_(evaluator),
      pool_(pool),
      clock_(clock),
      options_(options),
      ticker_(
          clock,
          [this] {
            MutexLock lock(mu_);
            return next_sweep_;
          },
          [this] {
            {
              MutexLock lock(mu_);
              if (clock_.Now() < next_sweep_) return;
              next_sweep_ = clock_.Now() + options_.sweep_interval;
            }
            (void)Sweep();  // counted and logged there
          }) {
  MutexLock lock(mu_);
  next_sweep_ = clock_.Now() + options_.sweep_interval;
}

AlertRunner::~AlertRunner() { Stop(); }

void AlertRunner::Count(const std::string& name, const std::string& help, const Labels& labels, double n) {
  if (options_.metrics) options_.metrics->GetCounter(name, help, labels).Add(n);
}

void AlertRunner::Enqueue(const std::string& account_id, const std::string& region) {
  const std::string key = account_id + "/" + region;
  {
    MutexLock lock(mu_);
    if (stopped_) return;
    auto it = slots_.find(key);
    if (it != slots_.end() && (it->second.queued || it->second.running)) {
      // Queued: that evaluation reads the data this call is about. Running: it may have read it before the poll
      // wrote it, so one more runs after it.
      if (!it->second.queued) it->second.again = true;
      Count("ap_alert_evaluations_total", "Alert evaluations of one account and region, by outcome",
            {{"outcome", "coalesced"}});
      return;
    }
    if (queued_ >= options_.max_queued) {
      Count("ap_alert_evaluations_total", "Alert evaluations of one account and region, by outcome",
            {{"outcome", "dropped"}});
      log::Warn("alert_evaluation_dropped", {{"account_id", account_id}, {"region", region}});
      return;
    }
    slots_[key].queued = true;
    ++queued_;
  }
  pool_.Submit([this, key, account_id, region] { Run(key, account_id, region); });
}

void AlertRunner::Run(const std::string& key, const std::string& account_id, const std::string& region) {
  {
    MutexLock lock(mu_);
    Slot& slot = slots_[key];
    slot.queued = false;
    slot.running = true;
    --queued_;
  }
  const TimePoint started = clock_.Now();
  Result<AlertEvaluation> result = evaluator_.EvaluateAccountRegion(account_id, region);
  const double seconds = std::chrono::duration<double>(clock_.Now() - started).count();
  if (options_.metrics) {
    options_.metrics
        ->GetHistogram("ap_alert_evaluation_duration_seconds", "Wall time of one account and region's alert evaluation")
        .Observe(seconds);
  }
  if (result.ok()) {
    Count("ap_alert_evaluations_total", "Alert evaluations of one account and region, by outcome", {{"outcome", "ok"}});
    Count("ap_alert_notices_total", "Alert notices decided by this instance", {}, static_cast<double>(result->notices));
    Count("ap_alert_write_conflicts_total", "Alert writes lost to another writer (then re-read)", {},
          static_cast<double>(result->conflicts));
    Count("ap_alert_deliveries_total", "Alert channel deliveries that succeeded, by who sent them",
          {{"by", "evaluation"}}, static_cast<double>(result->delivered));
    if (result->written > 0) {
      log::Info("alert_evaluation", {{"account_id", account_id},
                                     {"region", region},
                                     {"observed", result->observed},
                                     {"written", result->written},
                                     {"notices", result->notices},
                                     {"delivered", result->delivered}});
    }
  } else {
    // NotFound: the account was deleted after its poll; still an error to count, but not worth shouting about.
    Count("ap_alert_evaluations_total", "Alert evaluations of one account and region, by outcome",
          {{"outcome", "error"}});
    const bool gone = result.status().code() == StatusCode::kNotFound;
    log::Write(gone ? log::Level::kInfo : log::Level::kError, "alert_evaluation_failed",
               {{"account_id", account_id}, {"region", region}, {"error", result.status().ToString()}});
  }
  bool again = false;
  {
    MutexLock lock(mu_);
    Slot& slot = slots_[key];
    slot.running = false;
    again = slot.again && !stopped_;
    slot.again = false;
    if (again) {
      slot.queued = true;
      ++queued_;
    } else {
      slots_.erase(key);
    }
  }
  if (again) pool_.Submit([this, key, account_id, region] { Run(key, account_id, region); });
}

Result<int64_t> AlertRunner::Sweep() {
  Result<int64_t> delivered = evaluator_.DeliverPending();
  Count("ap_alert_sweeps_total", "Alert delivery sweeps, by outcome", {{"outcome", delivered.ok() ? "ok" : "error"}});
  if (delivered.ok()) {
    Count("ap_alert_deliveries_total", "Alert channel deliveries that succeeded, by who sent them", {{"by", "sweeper"}},
          static_cast<double>(*delivered));
    if (*delivered > 0) log::Info("alert_sweep", {{"delivered", *delivered}});
  } else {
    log::Error("alert_sweep_failed", {{"error", delivered.status().ToString()}});
  }
  return delivered;
}

void AlertRunner::Start() {
  if (options_.sweep_interval <= Duration::zero()) return;
  ticker_.Start();
}

void AlertRunner::Stop() {
  {
    MutexLock lock(mu_);
    stopped_ = true;
  }
  ticker_.Stop();
}

size_t AlertRunner::pending() const {
  MutexLock lock(mu_);
  return slots_.size();
}

}  // namespace ap::service
