// AlertRunner: runs the alert evaluator in the server (issue 13 §3): an evaluation of an (account, region) after
// each usage poll and each quota refresh of it, and the delivery sweeper.
//
// Evaluations. UsagePoller and QuotaRefresher call Enqueue(account, region) when they finish (an observer in their
// options; see ServiceGraph). Enqueue never blocks and never evaluates on the caller's thread: it queues one task on
// the worker pool. Coalescing: at most one evaluation per (account, region) is queued at a time — an Enqueue while
// one is queued joins it; an Enqueue while one runs queues exactly one more after it (the data it read may be older
// than the poll that asked). At most max_queued (account, region) pairs wait at once; beyond, Enqueue drops the
// evaluation (counted and logged: the next poll or refresh of that pair evaluates it again). An evaluation error is
// logged and counted; it is never retried here (the next poll or refresh evaluates again, and the sweeper delivers
// what the error left in the outbox).
//
// The sweeper. Every sweep_interval (0 = off), AlertEvaluator::DeliverPending on a thread of its own (deliveries
// block on back-off waits). It runs on EVERY instance, with no fleet-wide lease: DeliverPending already takes the
// lease "alert-delivery/<key>" per alert, so two instances sweeping at once never send one notice twice, and no
// instance waits on another's sweep lease when that instance dies. The cost is one ListPendingAlerts (O(page)) per
// instance per interval.
//
// Metrics (when options.metrics): ap_alert_evaluations_total{outcome=ok|error|coalesced|dropped},
// ap_alert_evaluation_duration_seconds, ap_alert_notices_total, ap_alert_write_conflicts_total,
// ap_alert_deliveries_total{by=evaluation|sweeper} (succeeded channel deliveries), ap_alert_sweeps_total{outcome}.
//
// Thread safety: safe from any thread. The evaluator is shared by every pool thread: REQUIRES that it is safe from
// many threads (its ChannelSender's Random must be: SecureRandom in the server). Ownership: references only; the
// evaluator and the pool must outlive the runner. Stop() before the pool is drained.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/mutex.h"
#include "common/periodic.h"
#include "common/thread_pool.h"
#include "service/alert_evaluator.h"

namespace ap::service {

struct AlertRunnerOptions {
  MetricsRegistry* metrics = nullptr;  // null: none
  // How often the sweeper delivers the outbox (AlertEvaluator::DeliverPending). 0 = no sweeper. Default 30 s.
  Duration sweep_interval = std::chrono::seconds(30);
  // (account, region) pairs whose evaluation may wait in the pool's queue at once. Default 10,000.
  size_t max_queued = 10'000;
};

class AlertRunner {
 public:
  AlertRunner(AlertEvaluator& evaluator, ThreadPool& pool, const Clock& clock, AlertRunnerOptions options);
  ~AlertRunner();  // Stop()
  AlertRunner(const AlertRunner&) = delete;
  AlertRunner& operator=(const AlertRunner&) = delete;

  // Queues an evaluation of (account_id, region) on the pool (see the file comment). No-op after Stop().
  void Enqueue(const std::string& account_id, const std::string& region);

  // One sweep now, on the caller's thread: DeliverPending, counted and logged. Returns its result.
  Result<int64_t> Sweep();

  // Starts the sweeper thread (no-op when sweep_interval is 0).
  void Start();
  // Stops the sweeper (an ongoing sweep finishes) and refuses further Enqueue calls; queued evaluations still run
  // when the pool drains. Idempotent.
  void Stop();

  // Evaluations queued or running (tests).
  size_t pending() const;

 private:
  struct Slot {
    bool queued = false;   // a task is in the pool's queue
    bool running = false;  // a task is evaluating
    bool again = false;    // an Enqueue arrived while running: queue once more after
  };
  void Run(const std::string& key, const std::string& account_id, const std::string& region);
  void Count(const std::string& name, const std::string& help, const Labels& labels, double n = 1);

  AlertEvaluator& evaluator_;
  ThreadPool& pool_;
  const Clock& clock_;
  const AlertRunnerOptions options_;

  mutable Mutex mu_;
  std::map<std::string, Slot> slots_ GUARDED_BY(mu_);  // by "account/region"; erased when idle
  size_t queued_ GUARDED_BY(mu_) = 0;
  bool stopped_ GUARDED_BY(mu_) = false;
  TimePoint next_sweep_ GUARDED_BY(mu_);
  TickThread ticker_;
};

}  // namespace ap::service
